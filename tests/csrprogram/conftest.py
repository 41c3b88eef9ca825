import pytest

from tests.csrprogram.dashboard_metrics import register_test_metrics, unregister_test_metrics


@pytest.fixture
def test_metrics():
    """Registers the test-only metrics for one test."""
    register_test_metrics()
    yield
    unregister_test_metrics()
