"""Editing an event: the creation form's rules, the stored times shown back, the change in
the change history with who made it."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from tests.csrprogram.factories import ProgrammeFactory
from tests.query_budget import assert_query_budget
from tests.relations.factories import InvitationFactory, NetworkFactory, cph

NOW = dt.datetime(2017, 10, 2, 12, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


def _data(programme, **changes):
    return {"title": "Morgenmøde i Task Forcen", "kind": "breakfast_meeting",
            "programme": programme.pk, "organiser": "Jobcentret",
            "place": "Jobcenter Randers, Laksetorvet", "day": "2017-10-05", "starts": "08:00",
            "ends": "10:00", **changes}


@time_machine.travel(NOW, tick=False)
def test_the_edit_page_shows_the_stored_day_and_times(client, alice, event):
    client.force_login(alice)
    form = client.get(reverse("relations:event-update", args=[event.pk])).context["form"]
    assert form["day"].value() == dt.date(2017, 10, 5)
    assert form["starts"].value() == dt.time(8, 0)
    assert form["ends"].value() == dt.time(10, 0)


@time_machine.travel(NOW, tick=False)
def test_an_event_ending_before_it_starts_is_a_message_at_the_field(client, alice, event,
                                                                    programme):
    client.force_login(alice)
    url = reverse("relations:event-update", args=[event.pk])
    response = client.post(url, _data(programme, place="Rådhuset", starts="11:00",
                                      ends="10:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["ends"] == [
        "Arrangementet skal slutte efter det starter."]
    event.refresh_from_db()
    assert (event.place, event.starts_at) == ("Jobcenter Randers, Laksetorvet",
                                              cph(2017, 10, 5, 8))


@time_machine.travel(NOW, tick=False)
def test_the_change_is_saved_and_in_the_change_history(client, alice, event, programme):
    client.force_login(alice)
    response = client.post(reverse("relations:event-update", args=[event.pk]),
                           _data(programme, place="Rådhuset, sal 2", day="2017-10-06",
                                 starts="09:00", ends="11:30"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.place == "Rådhuset, sal 2"
    assert (event.starts_at, event.ends_at) == (cph(2017, 10, 6, 9), cph(2017, 10, 6, 11, 30))
    change = LogEntry.objects.get_for_object(event).filter(
        action=LogEntry.Action.UPDATE).latest("timestamp")
    assert change.actor == alice
    assert change.changes_dict["place"] == ["Jobcenter Randers, Laksetorvet", "Rådhuset, sal 2"]


@time_machine.travel(NOW, tick=False)
def test_a_programme_the_consultant_does_not_work_in_is_refused(client, alice, event):
    elsewhere = ProgrammeFactory(name="Et andet program")
    client.force_login(alice)
    response = client.post(reverse("relations:event-update", args=[event.pk]),
                           _data(elsewhere))
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors
    event.refresh_from_db()
    assert event.programme.name == "CSR Strategi 2017"


@time_machine.travel(NOW, tick=False)
def test_edit_page_budget(client, alice, event):
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            NetworkFactory()
            InvitationFactory(event=event)

    assert_query_budget(client, reverse("relations:event-update", args=[event.pk]),
                        add_rows=add, budget=10)
