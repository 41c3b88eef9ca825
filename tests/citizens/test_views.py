import csv
import datetime as dt
import io
import logging

import pytest
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from citizens.choices import AccessAction
from citizens.models import AccessLog, Citizen
from csrprogram.choices import Role
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.csrprogram.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

RAW = "0101901235"
FORMATTED = "010190-1235"


def assert_no_cpr(text: str) -> None:
    assert RAW not in text
    assert FORMATTED not in text


def _create_payload(programme, **extra):
    return {"name": "Karen Hansen", "cpr": FORMATTED, "target_group": "job_ready",
            "weekly_hours": 20, "wishes": ["retail", "cleaning"], "programme": programme.pk,
            "enrolled_on": "2017-09-01", **extra}


def test_consultant_creates_and_enrols_a_citizen(client, alice, programme, caplog):
    client.force_login(alice)
    caplog.set_level(logging.DEBUG)
    response = client.post(reverse("citizens:citizen-create"), _create_payload(programme))
    citizen = Citizen.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("citizens:citizen-detail", args=[citizen.pk])
    assert citizen.enrolments.get().programme == programme
    assert citizen.wishes == ["retail", "cleaning"]
    page = client.get(response["Location"]).content.decode()
    assert "010190-XXXX" in page
    assert_no_cpr(page)
    assert_no_cpr(caplog.text)


def test_invalid_or_duplicate_cpr_shows_a_danish_error_and_never_echoes_the_number(
        client, alice, programme, caplog):
    client.force_login(alice)
    caplog.set_level(logging.DEBUG)
    response = client.post(reverse("citizens:citizen-create"),
                           _create_payload(programme, cpr="310290-1234"))
    assert response.status_code == 200
    assert "fødselsdato er ugyldig" in response.content.decode()
    assert "310290" not in response.content.decode()

    CitizenFactory(cpr=RAW)
    response = client.post(reverse("citizens:citizen-create"), _create_payload(programme))
    page = response.content.decode()
    assert "Der findes allerede en borger med dette CPR-nummer." in page
    assert_no_cpr(page)
    assert Citizen.objects.count() == 1
    assert_no_cpr(caplog.text)
    assert "310290-1234" not in caplog.text


def test_cpr_field_is_hidden_in_error_reports(rf, alice):
    request = rf.post(reverse("citizens:citizen-lookup"), {"cpr": FORMATTED})
    request.user = alice
    from citizens.views import CitizenLookupView

    CitizenLookupView.as_view()(request)
    parameters = SafeExceptionReporterFilter().get_post_parameters(request)
    assert parameters["cpr"] != FORMATTED


def test_lookup_by_cpr_is_a_post_and_is_logged(client, alice, citizen):
    client.force_login(alice)
    response = client.post(reverse("citizens:citizen-lookup"), {"cpr": FORMATTED})
    assert response.status_code == 302
    assert response["Location"] == reverse("citizens:citizen-detail", args=[citizen.pk])
    assert RAW not in response["Location"]
    entry = AccessLog.objects.get(action=AccessAction.LOOKUP)
    assert (entry.citizen, entry.actor, entry.purpose) == (citizen, alice, "CPR-opslag")


def test_lookup_does_not_find_citizens_outside_the_consultants_programmes(client, citizen):
    stranger = UserFactory(roles=[Role.CONSULTANT])
    ProgrammeFactory(members=[stranger])
    client.force_login(stranger)
    response = client.post(reverse("citizens:citizen-lookup"), {"cpr": FORMATTED})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Der er ingen borger med dette CPR-nummer" in page
    assert_no_cpr(page)
    assert client.get(reverse("citizens:citizen-detail", args=[citizen.pk])).status_code == 404
    assert not AccessLog.objects.filter(actor=stranger).exists()


def test_citizen_page_is_logged_and_shows_the_masked_cpr(client, alice, citizen):
    client.force_login(alice)
    response = client.get(reverse("citizens:citizen-detail", args=[citizen.pk]))
    page = response.content.decode()
    assert "010190-XXXX" in page
    assert_no_cpr(page)
    entry = AccessLog.objects.get(action=AccessAction.VIEW)
    assert (entry.actor, entry.purpose) == (alice, "Visning af borgerside")


def test_full_cpr_is_shown_on_request_and_logged(client, alice, bob, citizen):
    client.force_login(alice)
    response = client.post(reverse("citizens:citizen-reveal-cpr", args=[citizen.pk]))
    assert FORMATTED in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert AccessLog.objects.filter(purpose="Visning af fuldt CPR-nummer", actor=alice).exists()
    client.force_login(bob)
    assert client.post(reverse("citizens:citizen-reveal-cpr",
                               args=[citizen.pk])).status_code == 403


def test_consultant_sees_only_citizens_of_their_programmes(client, alice, citizen):
    elsewhere = CitizenFactory(name="Anden Borger")
    EnrolmentFactory(citizen=elsewhere, programme=ProgrammeFactory())
    client.force_login(alice)
    page = client.get(reverse("citizens:citizen-list")).content.decode()
    assert "Jens Jensen" in page
    assert "Anden Borger" not in page
    assert client.get(reverse("citizens:citizen-detail",
                              args=[elsewhere.pk])).status_code == 404


def test_list_filters(client, alice, programme, citizen):
    other = CitizenFactory(name="Sofie Flex", target_group="flex", consultant=alice)
    EnrolmentFactory(citizen=other, programme=programme, status="in_job")
    client.force_login(alice)
    url = reverse("citizens:citizen-list")

    def names(**params):
        page = client.get(url, params).content.decode()
        return [name for name in ("Jens Jensen", "Sofie Flex") if name in page]

    assert names(q="sofie") == ["Sofie Flex"]
    assert names(target_group="activity_ready") == ["Jens Jensen"]
    assert names(status="in_job") == ["Sofie Flex"]
    assert names(programme=programme.pk, enrolled_from="2017-08-01",
                 enrolled_to="2017-08-01") == ["Jens Jensen", "Sofie Flex"]
    assert names(enrolled_to="2017-07-31") == []


def test_team_leader_exports_the_access_log_as_csv(client, alice, bob, citizen):
    client.force_login(alice)
    client.get(reverse("citizens:citizen-detail", args=[citizen.pk]))
    client.force_login(bob)
    response = client.get(reverse("citizens:access-log-export", args=[citizen.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Tidspunkt", "Bruger", "E-mail", "Handling", "Formål"]
    assert any(row[2] == alice.email and row[4] == "Visning af borgerside" for row in rows[1:])
    assert_no_cpr(text)
    # The export itself is logged.
    assert AccessLog.objects.filter(actor=bob, action=AccessAction.EXPORT).exists()
    assert client.get(reverse("citizens:access-log", args=[citizen.pk])).status_code == 200


def test_the_access_log_export_is_compressed_for_a_browser_that_accepts_it(client, alice, bob,
                                                                          citizen):
    import gzip

    client.force_login(alice)
    for _ in range(5):
        client.get(reverse("citizens:citizen-detail", args=[citizen.pk]))
    client.force_login(bob)
    url = reverse("citizens:access-log-export", args=[citizen.pk])
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    rows = list(csv.reader(io.StringIO(gzip.decompress(packed.content).decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[0] == ["Tidspunkt", "Bruger", "E-mail", "Handling", "Formål"]
    assert sum(row[2] == alice.email for row in rows[1:]) == 5
    assert len(packed.content) < len(plain.content)


def test_the_access_log_export_neutralises_a_formula_in_a_user_name(client, alice, bob,
                                                                     citizen):
    alice.first_name, alice.last_name = '=HYPERLINK("http://x","y")', "@SUM(A1)"
    alice.save()
    client.force_login(alice)
    client.get(reverse("citizens:citizen-detail", args=[citizen.pk]))
    client.force_login(bob)
    response = client.get(reverse("citizens:access-log-export", args=[citizen.pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="adgangslog-borger-{citizen.pk}.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert """'=HYPERLINK("http://x","y") @SUM(A1)""" in [row[1] for row in rows[1:]]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_enrolment_and_consent_forms(client, alice, citizen):
    client.force_login(alice)
    second = ProgrammeFactory(name="Fastholdelse", members=[alice],
                              starts_on=dt.date(2021, 8, 1), ends_on=dt.date(2022, 12, 31))
    response = client.post(reverse("citizens:enrolment-create", args=[citizen.pk]),
                           {"programme": second.pk, "enrolled_on": "2021-09-01"})
    assert response.status_code == 302
    response = client.post(reverse("citizens:enrolment-create", args=[citizen.pk]),
                           {"programme": second.pk, "enrolled_on": "2021-09-02"})
    assert "allerede visiteret" in response.content.decode()
    response = client.post(reverse("citizens:consent-create", args=[citizen.pk]),
                           {"kind": "participation", "given_on": "2017-08-01"})
    assert response.status_code == 302
    consent = citizen.consents.get()
    assert consent.recorded_by == alice
    enrolment = citizen.enrolments.get(programme=second)
    response = client.post(reverse("citizens:enrolment-close", args=[citizen.pk, enrolment.pk]),
                           {"status": "closed", "exit_date": "2022-03-01",
                            "exit_reason": "education"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.exit_date, enrolment.exit_reason) == (dt.date(2022, 3, 1), "education")


def test_other_citizens_enrolment_is_404(client, alice, citizen, programme):
    other = CitizenFactory(consultant=alice)
    enrolment = EnrolmentFactory(citizen=other, programme=programme)
    client.force_login(alice)
    url = reverse("citizens:enrolment-close", args=[citizen.pk, enrolment.pk])
    assert client.get(url).status_code == 404


@pytest.fixture
def fresh_templates():
    from django.template import engines

    def reset():
        for loader in engines["django"].engine.template_loaders:
            if hasattr(loader, "reset"):
                loader.reset()

    reset()
    yield engines["django"].engine
    reset()


def test_follow_up_visits_join_the_course_when_their_tag_library_exists(
        client, alice, citizen, monkeypatch, fresh_templates):
    from django import template

    url = reverse("citizens:citizen-detail", args=[citizen.pk])
    client.force_login(alice)
    assert "FAKE-VISITS" not in client.get(url).content.decode()

    library = template.Library()

    @library.simple_tag
    def citizen_visits(person):
        return f"FAKE-VISITS for {person.pk}"

    monkeypatch.setitem(fresh_templates.template_libraries, "followups_tags", library)
    # The real library is installed: forget the templates compiled with it.
    for loader in fresh_templates.template_loaders:
        loader.reset()
    assert f"FAKE-VISITS for {citizen.pk}" in client.get(url).content.decode()
