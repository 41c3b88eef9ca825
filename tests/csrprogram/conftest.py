import pytest

from tests.csrprogram.dashboard_metrics import register_test_metrics, unregister_test_metrics


@pytest.fixture
def test_metrics():
    """Registers the test-only metrics for one test."""
    register_test_metrics()
    yield
    unregister_test_metrics()


def pytest_terminal_summary(terminalreporter):
    """The tally of the hostile-input (hypothesis) tests, when any ran."""
    from tests.hostile import summary_lines

    for line in summary_lines():
        terminalreporter.write_line(line)
