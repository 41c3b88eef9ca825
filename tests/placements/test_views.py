import datetime as dt

import pytest
from django.urls import reverse

from citizens.models import AccessLog
from placements.choices import CandidacyStatus, OpeningStatus
from placements.models import Candidacy, JobOpening, Placement
from tests.placements.factories import CandidacyFactory, JobOpeningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def presented(opening, citizen):
    citizen.accommodation_needs = "Ryglidelse: ingen tunge løft."
    citizen.competencies = "Truckcertifikat og lagererfaring."
    citizen.save()
    return CandidacyFactory(opening=opening, citizen=citizen, status=CandidacyStatus.PRESENTED,
                            motivation="Mødestabil og glad for lagerarbejde.")


def test_portal_shows_competencies_wishes_but_no_name_cpr_target_group_or_health(
        client, carol, presented, citizen):
    client.force_login(carol)
    page = client.get(reverse("placements:portal-candidacy", args=[presented.pk])
                      ).content.decode()
    # The name only once the employer asks to meet (issue 16, part 6).
    assert "Jens Jensen" not in page
    assert f"Kandidat nr. {presented.pk}" in page
    assert "Truckcertifikat og lagererfaring." in page
    assert "Lager og logistik" in page
    assert "Mødestabil" in page
    assert citizen.cpr_masked[:6] not in page
    assert "Ryglidelse" not in page
    assert "Aktivitetsparat" not in page
    assert AccessLog.objects.filter(actor=carol, citizen=citizen).exists()


def test_portal_lists_only_presented_candidates(client, carol, opening, presented, programme):
    from tests.citizens.factories import CitizenFactory

    hidden = CandidacyFactory(opening=opening, citizen=CitizenFactory(name="Kun Foreslået"),
                              status=CandidacyStatus.PROPOSED)
    client.force_login(carol)
    page = client.get(reverse("placements:portal-opening-detail", args=[opening.pk])
                      ).content.decode()
    assert f"Kandidat nr. {presented.pk}" in page
    assert "Jens Jensen" not in page
    assert "Kun Foreslået" not in page
    assert client.get(reverse("placements:portal-candidacy",
                              args=[hidden.pk])).status_code == 404


def test_company_contact_accepts_in_the_portal_and_the_placement_starts(client, carol,
                                                                        presented, opening):
    client.force_login(carol)
    response = client.post(reverse("placements:portal-candidacy", args=[presented.pk]),
                           {"start_date": "2017-10-02"})
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.citizen, placement.company, placement.start_date) == (
        presented.citizen, opening.company, dt.date(2017, 10, 2))
    presented.refresh_from_db()
    assert (presented.status, presented.decided_by) == (CandidacyStatus.ACCEPTED, carol)


def test_company_contact_declines_with_a_reason(client, carol, presented):
    client.force_login(carol)
    url = reverse("placements:portal-candidacy", args=[presented.pk])
    response = client.post(url, {"decline": "1", "decline_reason": ""})
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.content.decode()
    client.post(url, {"decline": "1", "decline_reason": "Vi mangler en med kørekort."})
    presented.refresh_from_db()
    assert (presented.status, presented.decline_reason) == (CandidacyStatus.DECLINED,
                                                            "Vi mangler en med kørekort.")


def test_another_company_cannot_see_or_decide_our_candidate(client, dave, presented):
    client.force_login(dave)
    url = reverse("placements:portal-candidacy", args=[presented.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"start_date": "2017-10-02"}).status_code == 404
    assert client.get(reverse("placements:portal-opening-detail",
                              args=[presented.opening_id])).status_code == 404
    presented.refresh_from_db()
    assert presented.status == CandidacyStatus.PRESENTED
    page = client.get(reverse("placements:portal-opening-list")).content.decode()
    assert presented.opening.title not in page


def test_portal_refuses_accepting_for_a_filled_opening(client, carol, presented, opening):
    JobOpening.objects.filter(pk=opening.pk).update(positions_filled=1,
                                                    status=OpeningStatus.FILLED)
    client.force_login(carol)
    response = client.post(reverse("placements:portal-candidacy", args=[presented.pk]),
                           {"start_date": "2017-10-02"})
    assert "Alle pladser i jobåbningen er besat." in response.content.decode()
    assert Placement.objects.count() == 0


def test_consultant_proposes_from_the_match_page_with_hours_override(client, alice, citizen,
                                                                     programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a, weekly_hours=30)
    client.force_login(alice)
    url = reverse("placements:opening-match", args=[opening.pk])
    page = client.get(url).content.decode()
    assert "Kan kun arbejde 20 timer; jobbet er på 30 timer." in page
    response = client.post(url, {"citizen": citizen.pk, "motivation": ""})
    assert "Angiv en begrundelse" in response.content.decode()
    assert not Candidacy.objects.exists()
    response = client.post(url, {"citizen": citizen.pk, "hours_override_reason": "Optrapning"})
    assert response.status_code == 302
    candidacy = Candidacy.objects.get()
    client.post(reverse("placements:candidacy-present", args=[candidacy.pk]))
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.PRESENTED


def test_consultant_records_the_employers_answer(client, alice, presented):
    client.force_login(alice)
    url = reverse("placements:candidacy-decide", args=[presented.pk])
    response = client.post(url, {"decision": "accept", "decided_on": "2017-09-20"})
    assert "Angiv startdatoen." in response.content.decode()
    response = client.post(url, {"decision": "accept", "decided_on": "2017-09-20",
                                 "start_date": "2017-07-01"})
    assert "før borgerens visitering" in response.content.decode()
    response = client.post(url, {"decision": "accept", "decided_on": "2017-09-20",
                                 "start_date": "2017-10-02", "planned_end": "2017-12-22"})
    placement = Placement.objects.get()
    assert response["Location"] == reverse("placements:placement-detail", args=[placement.pk])
    presented.refresh_from_db()
    assert presented.decided_on == dt.date(2017, 9, 20)

    response = client.post(reverse("placements:placement-end", args=[placement.pk]),
                           {"end_date": "2017-12-22", "outcome": "education"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.outcome == "education"


def test_spot_a_job_form_registers_an_opening(client, alice, programme, company_a):
    client.force_login(alice)
    response = client.get(reverse("placements:opening-spot"))
    assert 'name="viewport"' in response.content.decode()
    response = client.post(reverse("placements:opening-spot"), {
        "programme": programme.pk, "company": company_a.pk, "title": "Kantinehjælper",
        "kind": "csr_job", "job_category": "kitchen", "weekly_hours": 12, "positions": 2,
        "source": "spot_a_job"})
    opening = JobOpening.objects.get()
    assert response["Location"] == reverse("placements:opening-detail", args=[opening.pk])
    assert (opening.created_by, opening.positions, opening.status) == (alice, 2, "open")


def test_opening_hours_outside_range_get_a_danish_message(client, alice, programme, company_a):
    client.force_login(alice)
    response = client.post(reverse("placements:opening-spot"), {
        "programme": programme.pk, "company": company_a.pk, "title": "X", "kind": "csr_job",
        "job_category": "kitchen", "weekly_hours": 38, "positions": 1,
        "source": "spot_a_job"})
    assert response.status_code == 200
    assert "37" in response.content.decode()
    assert not JobOpening.objects.exists()


def test_opening_and_placement_lists_filter(client, bob, programme, company_a, company_b):
    JobOpeningFactory(programme=programme, company=company_a, title="Praktik A",
                      kind="internship", weekly_hours=10)
    JobOpeningFactory(programme=programme, company=company_b, title="Job B",
                      kind="csr_job", weekly_hours=25)
    client.force_login(bob)
    url = reverse("placements:opening-list")
    page = client.get(url, {"kind": "internship"}).content.decode()
    assert "Praktik A" in page
    assert "Job B" not in page
    page = client.get(url, {"hours_min": 20, "company": company_b.pk}).content.decode()
    assert "Job B" in page
    assert "Praktik A" not in page


def test_placement_page_is_logged_as_a_view_of_the_citizen(client, bob, opening, citizen):
    from tests.placements.factories import PlacementFactory

    placement = PlacementFactory(opening=opening, citizen=citizen)
    client.force_login(bob)
    client.get(reverse("placements:placement-detail", args=[placement.pk]))
    entry = AccessLog.objects.get(actor=bob)
    assert (entry.citizen, entry.purpose) == (citizen, "Visning af forløb")
