"""Hostile values to the relations forms: always a page or a redirect, never a server error,
and nothing saved half-way (the spot sheet saves all rows or none)."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from relations.models import Event, SpottedOpening
from tests.hostile import HOSTILE_TEXT, TALLIES, hostile_settings

SETTINGS = hostile_settings(25)


def _post(client, url, data, target):
    response = client.post(url, data)
    TALLIES["relations forms"].record(target, response.status_code,
                                      accepted=response.status_code == 302)
    assert response.status_code < 500, (url, data)
    return response


@pytest.mark.django_db
def test_hostile_event_invite_contact_and_sheet(client, alice, event, company_a):
    client.force_login(alice)

    @SETTINGS
    @given(text=HOSTILE_TEXT, other=HOSTILE_TEXT, number=HOSTILE_TEXT)
    def run(text, other, number):
        before = Event.objects.count()
        response = _post(client, reverse("relations:event-create"), {
            "title": text, "kind": other, "programme": number, "place": text, "day": other,
            "starts": number, "ends": text, "organiser": other}, "event create")
        if response.status_code != 302:
            assert Event.objects.count() == before
        _post(client, reverse("relations:event-invite", args=[event.pk]),
              {"cvr": text, "companies": number}, "invite")
        _post(client, reverse("relations:contact-create", args=[company_a.pk]), {
            "kind": "phone", "occurred_on": other, "summary": text, "next_step": other,
            "next_step_on": number}, "contact")
        spotted = SpottedOpening.objects.count()
        response = _post(client, reverse("relations:event-spot", args=[event.pk]), {
            "spot-TOTAL_FORMS": "2", "spot-INITIAL_FORMS": "0",
            "spot-0-company": str(company_a.pk), "spot-0-title": text,
            "spot-0-weekly_hours": number, "spot-0-kind": "csr_job",
            "spot-0-job_category": "warehouse", "spot-0-positions": other,
            "spot-1-company": number, "spot-1-title": other, "spot-1-weekly_hours": text,
            "spot-1-kind": other, "spot-1-job_category": text, "spot-1-positions": "1"},
            "spot sheet")
        if response.status_code != 302:
            assert SpottedOpening.objects.count() == spotted
        _post(client, reverse("relations:course-create"), {
            "title": text, "starts_on": other, "ends_on": number,
            "participants": f"{text}; {other}\n{number}"}, "course")

    run()
    assert TALLIES["relations forms"].server_errors == 0


@pytest.mark.django_db
@given(text=st.text(max_size=20))
@hostile_settings(10)
def test_hostile_management_form(client, alice, event, text):
    client.force_login(alice)
    _post(client, reverse("relations:event-spot", args=[event.pk]),
          {"spot-TOTAL_FORMS": text, "spot-INITIAL_FORMS": text}, "spot management form")
