"""The server errors and accepted nonsense of issue 9, one regression test each, through the
pages as their users reach them."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from certificates.models import Certificate
from citizens.models import Enrolment
from companies.models import Company, CsrAssessment
from csrprogram.models import Programme
from placements.models import JobOpening
from tests.citizens.factories import CitizenFactory
from tests.companies.factories import CompanyFactory, ContactPersonFactory, assessment, criteria

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="_submission" value="([^"]+)"')


def contacts_management(total: int, initial: int) -> dict:
    return {"contacts-TOTAL_FORMS": str(total), "contacts-INITIAL_FORMS": str(initial),
            "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "20"}


def test_ticking_slet_on_the_empty_extra_contact_row_saves_the_company(client, alice):
    """Was a KeyError (HTTP 500): a row ticked "Slet" is not validated, so it had no name."""
    company = CompanyFactory(name="Alfa")
    kept = ContactPersonFactory(company=company, name="Anne", is_primary=True)
    client.force_login(alice)
    response = client.post(reverse("companies:company-update", args=[company.pk]), {
        "cvr": company.cvr, "name": "Alfa", "language": "da", **contacts_management(2, 1),
        "contacts-0-id": kept.pk, "contacts-0-name": "Anne", "contacts-0-is_primary": "on",
        "contacts-1-DELETE": "on",
    })
    assert response.status_code == 302
    assert list(company.contacts.values_list("name", flat=True)) == ["Anne"]


def test_a_new_contact_row_ticked_slet_on_the_create_form_is_ignored(client, alice):
    client.force_login(alice)
    response = client.post(reverse("companies:company-create"), {
        "cvr": "35487638", "name": "Alfa", "language": "da", **contacts_management(1, 0),
        "contacts-0-name": "Bo", "contacts-0-DELETE": "on",
    })
    assert response.status_code == 302
    assert not Company.objects.get().contacts.exists()


def test_certificate_valid_from_9999_12_31_is_refused(client, programme, alice, bob):
    """Was HTTP 500: valid-until overflowed the date range."""
    found = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
    client.force_login(bob)
    response = client.post(reverse("certificates:certificate-issue", args=[found.pk]),
                           {"valid_from": "9999-12-31"})
    assert response.status_code == 200
    assert "ligger uden for det mulige" in response.text
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(("url_name", "field"), [
    ("citizens:enrolment-create", "enrolled_on"),
    ("companies:assessment-create", "assessed_on"),
    ("placements:opening-create", "registered_on"),
])
@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "1900-01-01"])
def test_implausible_dates_are_refused(client, programme, alice, url_name, field, typed):
    """0001-01-01 was accepted on enrolments, assessments and openings."""
    citizen = CitizenFactory(consultant=alice)
    company = CompanyFactory()
    criteria(3)
    args = {"citizens:enrolment-create": [citizen.pk],
            "companies:assessment-create": [company.pk]}.get(url_name, [])
    data = {"programme": programme.pk, field: typed, "company": company.pk, "title": "Kok",
            "kind": "csr_job", "job_category": "kitchen", "weekly_hours": 10, "positions": 1,
            "source": "spot_a_job"}
    client.force_login(alice)
    counts = (Enrolment.objects.count(), CsrAssessment.objects.count(),
              JobOpening.objects.count())
    response = client.post(reverse(url_name, args=args), data)
    assert response.status_code == 200
    assert "ligger uden for det mulige" in response.text
    assert counts == (Enrolment.objects.count(), CsrAssessment.objects.count(),
                      JobOpening.objects.count())


def test_a_date_outside_the_programme_period_warns_and_asks_for_confirmation(
        client, programme, alice):
    """Issue 13: not silently accepted, not refused; "Registrér alligevel" saves it."""
    citizen = CitizenFactory(consultant=alice)
    client.force_login(alice)
    url = reverse("citizens:enrolment-create", args=[citizen.pk])
    for day in ("2024-05-01", "2019-01-15"):  # years after the end; two weeks after it
        response = client.post(url, {"programme": programme.pk, "enrolled_on": day})
        assert response.status_code == 200
        assert "Datoen ligger uden for programmets periode" in response.text
        assert 'name="confirm_outside_period"' in response.text
        assert "Registrér alligevel" in response.text
        assert not citizen.enrolments.exists()
    response = client.post(url, {"programme": programme.pk, "enrolled_on": "2019-01-15",
                                 "confirm_outside_period": "on"})
    assert response.status_code == 302
    assert citizen.enrolments.get().enrolled_on.isoformat() == "2019-01-15"


def test_a_date_inside_the_period_needs_no_confirmation(client, programme, alice):
    citizen = CitizenFactory(consultant=alice)
    client.force_login(alice)
    response = client.post(reverse("citizens:enrolment-create", args=[citizen.pk]),
                           {"programme": programme.pk, "enrolled_on": "2017-09-01"})
    assert response.status_code == 302
    assert citizen.enrolments.exists()


def test_the_assessment_form_shows_the_confirmation_too(client, programme, alice, company_a):
    from tests.companies.factories import criteria

    criteria(3)
    client.force_login(alice)
    response = client.post(reverse("companies:assessment-create", args=[company_a.pk]),
                           {"programme": programme.pk, "assessed_on": "2020-02-03"})
    assert "Datoen ligger uden for programmets periode" in response.text
    assert 'name="confirm_outside_period"' in response.text
    assert not CsrAssessment.objects.exists()


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31"])
def test_programme_dates_are_bounded(client, programme, bob, typed):
    client.force_login(bob)
    url = reverse("programme-update", args=[programme.pk])
    response = client.post(url, {**programme_data(programme), "starts_on": typed})
    assert response.status_code == 200
    assert "ligger uden for det mulige" in response.text
    programme.refresh_from_db()
    assert programme.starts_on == dt.date(2017, 6, 19)


def programme_data(programme: Programme) -> dict:
    return {"name": programme.name, "municipality": programme.municipality,
            "starts_on": "2017-06-19", "ends_on": "2018-12-31", "csr_threshold": 3,
            "certificate_validity_months": 12, "first_followup_days": 15,
            "second_followup_months": 2, "second_followup_days": 15, "retention_months": 3,
            "spotted_followup_working_days": 3, "personal_data_retention_months": 60,
            "is_active": "on"}


def test_a_threshold_above_the_number_of_criteria_is_refused(client, programme, bob):
    """A threshold of 38 with 10 criteria was accepted."""
    criteria(10)
    client.force_login(bob)
    url = reverse("programme-update", args=[programme.pk])
    response = client.post(url, {**programme_data(programme), "csr_threshold": 38})
    assert "Der er kun 10 aktive CSR-kriterier" in response.text
    response = client.post(url, {**programme_data(programme), "csr_threshold": 10})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.csr_threshold == 10


@pytest.mark.parametrize("name", ["Alfa\x1b[31m ApS", "Alfa\x07", "Alfa\x00", "A\x7fB"])
def test_control_characters_in_names_are_refused(client, alice, name):
    """ESC and BEL were stored in company names."""
    client.force_login(alice)
    response = client.post(reverse("companies:company-create"), {
        "cvr": "35487638", "name": name, "language": "da", **contacts_management(1, 0)})
    assert response.status_code == 200
    assert "kontroltegn" in response.text or "Null characters" in response.text
    assert not Company.objects.exists()


def test_opening_hours_above_37_are_refused_on_the_spot_sheet(client, programme, alice,
                                                             company_a):
    client.force_login(alice)
    response = client.post(reverse("placements:opening-spot"), {
        "programme": programme.pk, "company": company_a.pk, "title": "Kok", "kind": "csr_job",
        "job_category": "kitchen", "weekly_hours": 38, "positions": 1000,
        "source": "spot_a_job"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"weekly_hours", "positions"}


def _spot_data(programme, company) -> dict:
    return {"programme": programme.pk, "company": company.pk, "title": "Kantinehjælper",
            "kind": "csr_job", "job_category": "kitchen", "weekly_hours": 12, "positions": 1,
            "source": "spot_a_job"}


def test_a_double_click_on_spot_et_job_saves_once(client, programme, alice, company_a):
    """A double click saved the opening twice; the second submit now lands on the first's
    result, with a message."""
    client.force_login(alice)
    url = reverse("placements:opening-spot")
    token = TOKEN.search(client.get(url).text).group(1)
    data = {**_spot_data(programme, company_a), "_submission": token}
    first = client.post(url, data)
    second = client.post(url, data)
    opening = JobOpening.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse(
        "placements:opening-detail", args=[opening.pk])
    assert "allerede sendt" in client.get(second["Location"]).text


def test_a_double_click_on_an_assessment_saves_once(client, programme, alice, company_a):
    active = criteria(3)
    client.force_login(alice)
    url = reverse("companies:assessment-create", args=[company_a.pk])
    token = TOKEN.search(client.get(url).text).group(1)
    data = {"programme": programme.pk, "assessed_on": "2017-08-01", "_submission": token,
            **{f"met_{c.pk}": "on" for c in active},
            **{f"evidence_{c.pk}": "Set ved besøget." for c in active}}
    responses = [client.post(url, data) for _ in range(2)]
    assert [r.status_code for r in responses] == [302, 302]
    assert CsrAssessment.objects.count() == 1


def test_a_refused_form_does_not_use_up_its_token(client, programme, alice, company_a):
    client.force_login(alice)
    url = reverse("placements:opening-spot")
    token = TOKEN.search(client.get(url).text).group(1)
    data = {**_spot_data(programme, company_a), "_submission": token}
    refused = client.post(url, {**data, "weekly_hours": 99})
    assert refused.status_code == 200
    assert client.post(url, data).status_code == 302
    assert JobOpening.objects.count() == 1


def test_a_second_submit_while_the_first_is_saving_is_refused(client, programme, alice,
                                                              company_a, settings,
                                                              monkeypatch):
    from django.core.cache import cache

    from csrprogram import submission

    monkeypatch.setattr(submission, "WAIT_SECONDS", 0.2)
    client.force_login(alice)
    token = submission.new_token()
    cache.add(f"submission:{token}", submission.PENDING)
    response = client.post(reverse("placements:opening-spot"),
                           {**_spot_data(programme, company_a), "_submission": token})
    assert response.status_code == 409
    assert "Formularen er allerede sendt" in response.text
    assert not JobOpening.objects.exists()


def test_every_create_form_carries_a_submission_token(client, programme, alice, bob,
                                                      company_a):
    citizen = CitizenFactory(consultant=alice)
    found = assessment(company=company_a, programme=programme, by=alice, met=3)
    pages = [
        (alice, reverse("companies:company-create")),
        (alice, reverse("companies:company-import")),
        (alice, reverse("companies:assessment-create", args=[company_a.pk])),
        (bob, reverse("companies:criterion-create")),
        (alice, reverse("citizens:citizen-create")),
        (alice, reverse("citizens:enrolment-create", args=[citizen.pk])),
        (alice, reverse("citizens:consent-create", args=[citizen.pk])),
        (alice, reverse("placements:opening-create")),
        (alice, reverse("placements:opening-spot")),
        (alice, reverse("placements:opening-import")),
        (bob, reverse("target-create", args=[programme.pk])),
        (bob, reverse("certificates:certificate-issue", args=[found.pk])),
    ]
    for user, url in pages:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert TOKEN.search(response.text), url
