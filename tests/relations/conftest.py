import pytest

from tests.relations.factories import EventFactory, cph


@pytest.fixture
def event(programme, alice):
    """A breakfast meeting on Thursday 5 October 2017, 8–10, created by Alice."""
    return EventFactory(programme=programme, created_by=alice, starts_at=cph(2017, 10, 5, 8),
                        ends_at=cph(2017, 10, 5, 10), letter_signatory="Torben Hansen, borgmester")
