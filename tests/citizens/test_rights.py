"""A citizen's rights (issue 16 parts 1, 2 and 6): export, restriction, retention, and
disclosure to employers only with consent and in stages."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from citizens import rights, services
from citizens import selectors as citizen_selectors
from citizens.choices import (
    AccessAction,
    ConsentKind,
    EnrolmentStatus,
    ErasureKind,
    RetentionReviewStatus,
)
from citizens.models import AccessLog, Citizen, ErasureRecord, RetentionReview
from citizens.tasks import citizens_retention_sweep
from placements import selectors as placement_selectors
from placements import services as placement_services
from placements.choices import CandidacyStatus
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory

pytestmark = pytest.mark.django_db


def _consent(citizen, kind=ConsentKind.EMPLOYER_SHARING, given_on=dt.date(2017, 8, 1)):
    from citizens.models import Consent

    return Consent.objects.create(citizen=citizen, kind=kind, given_on=given_on)


# --- Export --------------------------------------------------------------------------------------

def test_export_collects_every_app_and_logs_the_purpose(client, bob, programme, citizen):
    client.force_login(bob)
    response = client.post(reverse("citizens:citizen-export-json", kwargs={"pk": citizen.pk}),
                           {"purpose": "Anmodning om indsigt"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert {"citizens", "placements", "followups"} <= set(data["sections"])
    record = data["sections"]["citizens"]["citizen"]["records"][0]
    assert record["Navn"] == citizen.name
    assert citizen.cpr_masked in json.dumps(data, ensure_ascii=False)
    assert citizen.get_cpr().replace("-", "") not in response.content.decode()
    entry = AccessLog.objects.filter(citizen=citizen, action=AccessAction.EXPORT).get()
    assert (entry.actor, entry.purpose) == (bob, "Indsigt: Anmodning om indsigt")


def test_export_pdf_is_readable_danish(client, bob, citizen):
    client.force_login(bob)
    response = client.post(reverse("citizens:citizen-export-pdf", kwargs={"pk": citizen.pk}),
                           {"purpose": "Anmodning om indsigt"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(
        b"".join(response.streaming_content) if response.streaming else response.content)).pages)
    assert "Indsigt i personoplysninger" in text
    assert "Visiteringer" in text
    assert citizen.name in text


def test_export_without_purpose_is_refused_with_a_message(client, bob, citizen):
    client.force_login(bob)
    response = client.post(reverse("citizens:citizen-export-json", kwargs={"pk": citizen.pk}),
                           {"purpose": ""}, follow=True)
    assert "Angiv formålet med indsigten." in response.content.decode()
    assert not AccessLog.objects.filter(citizen=citizen, action=AccessAction.EXPORT).exists()


def test_a_consultant_may_not_export_or_erase(alice, citizen):
    with pytest.raises(PermissionDenied):
        services.citizen_export(citizen=citizen, actor=alice, purpose="x")
    with pytest.raises(PermissionDenied):
        services.citizen_erase(citizen=citizen, actor=alice, reason="x")


def test_export_blocks_render_any_shape():
    blocks = rights.export_blocks({"cases": {"title": "Cases", "records": [
        {"Titel": "A", "Dele": [{"x": 1}]}]}, "other": {"a": [1, 2], "b": None}})
    headings = [block.heading for block in blocks]
    assert headings[0] == "Cases"
    assert "other" in headings
    assert ("a", "1, 2") in blocks[-1].rows
    assert ("b", "–") in blocks[-1].rows


def test_cpr_forms_cover_the_common_ways_of_writing():
    assert {"0101901234", "010190-1234", "010190 1234", "01.01.90-1234"} <= set(
        rights.cpr_forms("0101901234"))


# --- Erasure -------------------------------------------------------------------------------------

def test_erasure_twice_is_refused_and_the_row_keeps_its_counts(bob, citizen):
    services.citizen_erase(citizen=citizen, actor=bob, reason="Anmodning")
    citizen.refresh_from_db()
    assert citizen.erased_at
    assert citizen.cpr_encrypted == ""
    assert citizen.enrolments.count() == 1
    with pytest.raises(ValidationError):
        services.citizen_erase(citizen=citizen, actor=bob, reason="Anmodning")
    # A key rotation skips the erased row instead of stopping at it.
    assert services.cpr_keys_rotate(dry_run=True).unreadable == []


def test_erasure_confirmation_expires_with_a_bad_token(client, bob, citizen):
    client.force_login(bob)
    url = reverse("citizens:citizen-erase", kwargs={"pk": citizen.pk})
    response = client.post(url, {"token": "forged", "confirm": "on"}, follow=True)
    assert "Bekræftelsen er udløbet" in response.content.decode()
    assert Citizen.objects.get(pk=citizen.pk).erased_at is None


def test_erasure_without_reason_shows_a_danish_message(client, bob, citizen):
    client.force_login(bob)
    response = client.post(reverse("citizens:citizen-erase", kwargs={"pk": citizen.pk}),
                           {"reason": ""})
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.content.decode()


# --- Restriction ---------------------------------------------------------------------------------

def test_restricted_citizen_is_read_only_and_hidden(client, alice, bob, programme, citizen):
    services.citizen_restrict(citizen=citizen, actor=bob, reason="Borgeren gør indsigelse")
    citizen.refresh_from_db()
    assert citizen not in citizen_selectors.citizen_list(alice)
    opening = JobOpeningFactory(programme=programme)
    assert citizen not in placement_selectors.match_pool(opening)
    with pytest.raises(ValidationError):
        services.citizen_update(citizen=citizen, actor=alice, data={"phone": "11111111"})
    with pytest.raises(ValidationError):
        placement_services.candidacy_propose(opening=opening, citizen=citizen, actor=alice)
    client.force_login(alice)
    assert client.get(reverse("citizens:citizen-detail", kwargs={"pk": citizen.pk})
                      ).status_code == 200
    services.citizen_restriction_lift(citizen=citizen, actor=bob, reason="Afklaret")
    citizen.refresh_from_db()
    services.citizen_update(citizen=citizen, actor=alice, data={"phone": "11111111"})
    assert AccessLog.objects.filter(citizen=citizen, action=AccessAction.RESTRICT).count() == 2


# --- Retention -----------------------------------------------------------------------------------

def _closed_citizen(programme, exit_date):
    citizen = CitizenFactory()
    EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=dt.date(2017, 7, 1),
                     status=EnrolmentStatus.CLOSED, exit_date=exit_date)
    return citizen


def test_retention_dry_run_then_approved_run_in_batches(settings, programme, bob):
    settings.CSR_CITIZEN_RETENTION_MONTHS = 60
    settings.CSR_RETENTION_BATCH_SIZE = 2
    due = [_closed_citizen(programme, dt.date(2017, 12, 31)) for _ in range(3)]
    later = _closed_citizen(programme, dt.date(2018, 6, 30))
    open_one = CitizenFactory()
    EnrolmentFactory(citizen=open_one, programme=programme, enrolled_on=dt.date(2017, 7, 1))

    with time_machine.travel(dt.datetime(2022, 12, 30, 12, tzinfo=dt.UTC), tick=False):
        citizens_retention_sweep.delay()
        assert not RetentionReview.objects.exists()  # nobody due yet
    with time_machine.travel(dt.datetime(2023, 1, 2, 12, tzinfo=dt.UTC), tick=False):
        citizens_retention_sweep.delay()
        review = RetentionReview.objects.get()
        assert review.status == RetentionReviewStatus.PENDING
        assert review.citizen_ids == sorted(c.pk for c in due)
        # The dry run changed nothing; a second sweep prepares no second report.
        citizens_retention_sweep.delay()
        assert RetentionReview.objects.count() == 1
        assert not Citizen.objects.filter(erased_at__isnull=False).exists()
        # Re-enrolled since the report: skipped at the real run.
        EnrolmentFactory(citizen=due[2], programme=programme, enrolled_on=dt.date(2023, 1, 1))
        services.retention_review_decide(review=review, actor=bob, approve=True)
        citizens_retention_sweep.delay()
        assert Citizen.objects.filter(erased_at__isnull=False).count() == 2  # one batch
        citizens_retention_sweep.delay()
        citizens_retention_sweep.delay()  # idempotent
    review.refresh_from_db()
    assert (review.status, review.anonymised, review.skipped) == (
        RetentionReviewStatus.DONE, 2, 1)
    erased = set(Citizen.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {due[0].pk, due[1].pk}
    assert ErasureRecord.objects.filter(kind=ErasureKind.RETENTION, erased_by=None).count() == 2
    assert Citizen.objects.get(pk=later.pk).erased_at is None


def test_programme_retention_period_overrides_the_default(settings, programme):
    settings.CSR_CITIZEN_RETENTION_MONTHS = 60
    programme.personal_data_retention_months = 12
    programme.save()
    citizen = _closed_citizen(programme, dt.date(2017, 12, 31))
    assert services.citizen_retention_due_on(citizen) == dt.date(2018, 12, 31)
    assert services.citizens_due_for_retention(as_of=dt.date(2019, 1, 1)) == [citizen.pk]


def test_retention_review_is_decided_by_a_team_leader_only(client, alice, bob, programme):
    review = RetentionReview.objects.create(as_of=dt.date(2023, 1, 1), citizen_ids=[])
    with pytest.raises(PermissionDenied):
        services.retention_review_decide(review=review, actor=alice, approve=True)
    client.force_login(bob)
    url = reverse("citizens:retention-review-detail", kwargs={"pk": review.pk})
    assert client.post(url, {"decision": "reject"}).status_code == 302
    review.refresh_from_db()
    assert review.status == RetentionReviewStatus.REJECTED


# --- Disclosure only with consent, in stages (part 6) --------------------------------------------

def test_presenting_needs_the_sharing_consent(alice, programme, citizen):
    opening = JobOpeningFactory(programme=programme)
    candidacy = placement_services.candidacy_propose(opening=opening, citizen=citizen,
                                                     actor=alice)
    pool = {c.pk: c for c in placement_selectors.match_pool(JobOpeningFactory(
        programme=programme))}
    assert pool[citizen.pk].has_sharing_consent is False
    with pytest.raises(ValidationError, match="samtykke til, at profilen deles"):
        placement_services.candidacy_present(candidacy=candidacy, actor=alice)
    _consent(citizen)
    placement_services.candidacy_present(candidacy=candidacy, actor=alice)
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.PRESENTED


def test_withdrawing_the_consent_withdraws_presentations_and_tells_the_consultant(
        alice, programme, citizen, django_capture_on_commit_callbacks):
    consent = _consent(citizen)
    candidacy = CandidacyFactory(opening=JobOpeningFactory(programme=programme),
                                 citizen=citizen, proposed_by=alice)
    participation = _consent(citizen, kind=ConsentKind.PARTICIPATION)
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(consent=participation, withdrawn_on=dt.date(2017, 9, 1),
                                  actor=alice)
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.PRESENTED
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(consent=consent, withdrawn_on=dt.date(2017, 9, 1),
                                  actor=alice)
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.WITHDRAWN
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert f"Borger nr. {citizen.pk}" in mail.outbox[0].body
    assert citizen.name not in mail.outbox[0].body


def test_employer_sees_no_name_until_asking_to_meet(client, carol, programme, company_a,
                                                    citizen):
    _consent(citizen)
    citizen.email, citizen.accommodation_needs = "borger@example.dk", "Korte dage."
    citizen.save()
    candidacy = CandidacyFactory(opening=JobOpeningFactory(programme=programme,
                                                           company=company_a),
                                 citizen=citizen)
    client.force_login(carol)
    url = reverse("placements:portal-candidacy", kwargs={"pk": candidacy.pk})
    page = client.get(url).content.decode()
    assert citizen.name not in page
    assert "borger@example.dk" not in page
    assert "Korte dage." not in page
    assert "brug for hensyn" in page
    assert f"Kandidat nr. {candidacy.pk}" in page
    opening_page = client.get(reverse("placements:portal-opening-detail",
                                      kwargs={"pk": candidacy.opening_id})).content.decode()
    assert citizen.name not in opening_page
    assert client.post(url, {"meet": "1"}).status_code == 302
    page = client.get(url).content.decode()
    assert citizen.name in page
    assert "borger@example.dk" in page
    disclosure = AccessLog.objects.get(citizen=citizen, action=AccessAction.DISCLOSE)
    assert disclosure.actor == carol
    assert company_a.name in disclosure.purpose
    client.post(url, {"meet": "1"})  # asking again logs nothing new
    assert AccessLog.objects.filter(citizen=citizen, action=AccessAction.DISCLOSE).count() == 1


# --- Query budgets -------------------------------------------------------------------------------

def test_erasure_list_budget(client, bob, programme):
    from tests.query_budget import assert_query_budget

    def add(count):
        for _ in range(count):
            citizen = CitizenFactory()
            EnrolmentFactory(citizen=citizen, programme=programme)
            ErasureRecord.objects.create(citizen=citizen, kind=ErasureKind.REQUEST,
                                         erased_by=bob, reason="Anmodning")

    client.force_login(bob)
    assert_query_budget(client, reverse("citizens:erasure-list"), add_rows=add, budget=12)


def test_retention_review_page_budget(client, bob, programme):
    from tests.query_budget import assert_query_budget

    review = RetentionReview.objects.create(as_of=dt.date(2023, 1, 2), citizen_ids=[])

    def add(count):
        review.citizen_ids += [_closed_citizen(programme, dt.date(2017, 12, 31)).pk
                               for _ in range(count)]
        review.save()

    client.force_login(bob)
    assert_query_budget(client, reverse("citizens:retention-review-detail",
                                        kwargs={"pk": review.pk}), add_rows=add, budget=14)
