"""Issue 9's server errors around dates of visits and placements: 9999-12-31 is refused by the
forms, and the calendar feed survives a visit saved at the last representable date."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from followups.choices import VisitKind
from followups.models import CalendarFeed, Visit

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2017, 11, 8, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def placement(start_placement):
    return start_placement(start_date=dt.date(2017, 10, 2))


@time_machine.travel(NOW, tick=False)
def test_a_visit_cannot_be_moved_to_9999_12_31(client, alice, placement):
    visit = placement.visits.get(kind=VisitKind.HALF_MONTH)
    client.force_login(alice)
    response = client.post(reverse("followups:visit-reschedule", args=[visit.pk]),
                           {"due_date": "9999-12-31", "reason": "Ferie"})
    assert response.status_code == 200
    assert "ligger uden for det mulige" in response.text
    visit.refresh_from_db()
    assert visit.due_date.year == 2017


@time_machine.travel(NOW, tick=False)
def test_the_calendar_feed_survives_a_visit_on_the_last_date(client, alice, placement):
    """Was an OverflowError on every fetch of the consultant's feed."""
    Visit.objects.filter(placement=placement, kind=VisitKind.HALF_MONTH).update(
        due_date=dt.date.max)
    feed = CalendarFeed.objects.create(user=alice, token="t" * 43)
    response = client.get(reverse("followups:calendar-feed", args=[feed.token]))
    assert response.status_code == 200
    assert "DTSTART;VALUE=DATE:99991231" in response.text
    assert response.text.count("BEGIN:VEVENT") == placement.visits.count()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01"])
def test_placement_start_far_out_is_refused(client, alice, placement, typed):
    """9999-12-31 as a placement's start was HTTP 500 (its visits overflowed)."""
    client.force_login(alice)
    response = client.post(reverse("placements:placement-start", args=[placement.pk]),
                           {"start_date": typed})
    assert response.status_code == 200
    assert "ligger uden for det mulige" in response.text
    placement.refresh_from_db()
    assert placement.start_date == dt.date(2017, 10, 2)


@time_machine.travel(NOW, tick=False)
def test_an_extra_visit_far_out_is_refused(client, alice, placement):
    client.force_login(alice)
    count = placement.visits.count()
    response = client.post(reverse("followups:visit-extra", args=[placement.pk]),
                           {"due_date": "9999-12-31"})
    assert response.status_code == 200
    assert placement.visits.count() == count
