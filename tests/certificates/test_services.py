import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from certificates.choices import CertificateStatus
from certificates.models import Certificate, CertificateCounter
from certificates.services import (
    certificate_issue,
    certificate_renew,
    certificate_revoke,
    certificate_valid_until,
)
from tests.certificates.factories import at, certificate
from tests.companies.factories import CompanyFactory, assessment

pytestmark = pytest.mark.django_db


def test_issue_numbers_and_dates(programme, alice, bob):
    first = certificate(programme=programme, leader=bob, consultant=alice,
                        issued_at=at(2017, 9, 1))
    second = certificate(programme=programme, leader=bob, consultant=alice,
                         issued_at=at(2017, 9, 2))
    next_year = certificate(programme=programme, leader=bob, consultant=alice,
                            issued_at=at(2018, 1, 3))
    assert [first.number, second.number, next_year.number] == [
        "CSR-2017-0001", "CSR-2017-0002", "CSR-2018-0001"]
    assert (first.valid_from, first.valid_until) == (dt.date(2017, 9, 1), dt.date(2018, 8, 31))
    assert first.issued_by == bob
    assert len(first.public_token) >= 32
    assert first.public_token != str(first.pk)


def test_a_certificate_issued_late_on_new_years_eve_belongs_to_that_year(programme, alice,
                                                                         bob):
    late = certificate(programme=programme, leader=bob, consultant=alice,
                       issued_at=at(2017, 12, 31, 23, 30))
    assert late.issued_on == dt.date(2017, 12, 31)
    assert late.number == "CSR-2017-0001"


def test_validity_follows_the_programme_setting(programme, alice, bob):
    programme.certificate_validity_months = 24
    programme.save()
    issued = certificate(programme=programme, leader=bob, consultant=alice,
                         issued_at=at(2018, 2, 28))
    assert issued.valid_until == dt.date(2020, 2, 27)
    assert certificate_valid_until(valid_from=dt.date(2017, 1, 31), months=1) == dt.date(
        2017, 2, 27)


def test_a_validity_that_ends_before_it_starts_is_refused(programme, alice, bob):
    programme.certificate_validity_months = 0
    programme.save()
    company = CompanyFactory()
    found = assessment(company=company, programme=programme, by=alice, met=3)
    with pytest.raises(ValidationError, match="Gyldighedsperioden skal slutte efter den starter"):
        certificate_issue(assessment=found, actor=bob, issued_at=at(2017, 9, 1))
    assert not Certificate.objects.exists()
    # The number was not used up either: the counter rolled back with the failed issue.
    assert not CertificateCounter.objects.filter(last_sequence__gt=0).exists()


def test_the_database_refuses_a_validity_that_ends_before_it_starts(programme, alice, bob):
    issued = certificate(programme=programme, leader=bob, consultant=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=issued.pk).update(valid_until=issued.valid_from)


def test_issue_from_a_non_eligible_assessment_is_refused_in_danish(programme, alice, bob):
    found = assessment(company=CompanyFactory(), programme=programme, by=alice, met=2)
    with pytest.raises(ValidationError) as error:
        certificate_issue(assessment=found, actor=bob)
    assert "Vurderingen opfylder ikke kravet: 2 af 3 kriterier er opfyldt." in error.value.messages
    assert not Certificate.objects.exists()


def test_issue_from_a_superseded_assessment_is_refused(programme, alice, bob):
    company = CompanyFactory()
    old = assessment(company=company, programme=programme, by=alice, met=4)
    assessment(company=company, programme=programme, by=alice, met=1)
    with pytest.raises(ValidationError, match="Der findes en nyere vurdering"):
        certificate_issue(assessment=old, actor=bob)


def test_one_assessment_gives_one_certificate(programme, alice, bob):
    issued = certificate(programme=programme, leader=bob, consultant=alice)
    with pytest.raises(ValidationError, match="allerede udstedt et certifikat"):
        certificate_issue(assessment=issued.assessment, actor=bob)


def test_only_users_with_the_issue_permission_may_issue(programme, alice, bob):
    found = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
    with pytest.raises(PermissionDenied, match="tilladelse til at udstede"):
        certificate_issue(assessment=found, actor=alice)
    assert bob.has_perm("certificates.issue_certificate")  # granted by the data migration


def test_valid_from_before_the_assessment_is_refused(programme, alice, bob):
    found = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3,
                       assessed_on=dt.date(2017, 8, 1))
    with pytest.raises(ValidationError, match="før vurderingsdatoen"):
        certificate_issue(assessment=found, actor=bob, valid_from=dt.date(2017, 7, 1))


def test_status_is_derived_from_dates_and_revocation(programme, alice, bob):
    issued = certificate(programme=programme, leader=bob, consultant=alice,
                         issued_at=at(2017, 9, 1))
    assert issued.status_on(dt.date(2017, 8, 31)) == CertificateStatus.PENDING
    assert issued.status_on(dt.date(2017, 9, 1)) == CertificateStatus.VALID
    assert issued.status_on(dt.date(2018, 8, 31)) == CertificateStatus.VALID
    assert issued.status_on(dt.date(2018, 9, 1)) == CertificateStatus.EXPIRED
    annotated = Certificate.objects.with_status(dt.date(2018, 9, 1)).get()
    assert annotated.current_status == CertificateStatus.EXPIRED
    certificate_revoke(certificate=issued, actor=bob, reason="Konkurs")
    issued.refresh_from_db()
    assert issued.status_on(dt.date(2017, 10, 1)) == CertificateStatus.REVOKED


def test_revocation_needs_a_reason_and_the_permission(programme, alice, bob):
    issued = certificate(programme=programme, leader=bob, consultant=alice)
    with pytest.raises(ValidationError) as error:
        certificate_revoke(certificate=issued, actor=bob, reason="   ")
    assert error.value.message_dict["reason"] == ["Angiv en begrundelse for tilbagekaldelsen."]
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=issued, actor=alice, reason="Konkurs")
    issued.refresh_from_db()
    assert issued.revoked_at is None
    certificate_revoke(certificate=issued, actor=bob, reason="Konkurs")
    with pytest.raises(ValidationError, match="allerede tilbagekaldt"):
        certificate_revoke(certificate=issued, actor=bob, reason="Igen")


def test_the_database_refuses_a_revocation_without_reason(programme, alice, bob):
    issued = certificate(programme=programme, leader=bob, consultant=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=issued.pk).update(revoked_at=at(2018, 1, 1))


def test_renewal_supersedes_the_old_certificate(programme, alice, bob):
    old = certificate(programme=programme, leader=bob, consultant=alice,
                      issued_at=at(2017, 9, 1))
    newer = assessment(company=old.company, programme=programme, by=alice, met=4,
                       assessed_on=dt.date(2018, 8, 1))
    with time_machine.travel(at(2018, 8, 10), tick=False):
        renewed = certificate_renew(certificate=old, assessment=newer, actor=bob)
    old.refresh_from_db()
    assert old.status == CertificateStatus.SUPERSEDED
    assert old.superseded_by == renewed
    assert renewed.valid_from == dt.date(2018, 8, 10)
    assert renewed.number == "CSR-2018-0001"


def test_renewal_needs_a_newer_assessment_of_the_same_company(programme, alice, bob):
    old = certificate(programme=programme, leader=bob, consultant=alice)
    other = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
    with pytest.raises(ValidationError, match="anden virksomhed"):
        certificate_renew(certificate=old, assessment=other, actor=bob)
    with pytest.raises(ValidationError, match="ny vurdering"):
        certificate_renew(certificate=old, assessment=old.assessment, actor=bob)


def test_at_most_one_current_certificate_per_company_and_programme_in_the_database(
    programme, alice, bob
):
    first = certificate(programme=programme, leader=bob, consultant=alice)
    second_assessment = assessment(company=first.company, programme=programme, by=alice, met=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            company=first.company, programme=programme, assessment=second_assessment,
            number="CSR-2017-0099", year=2017, sequence=99, issued_at=first.issued_at,
            issued_on=first.issued_on, issued_by=bob, valid_from=first.valid_from,
            valid_until=first.valid_until, public_token="another-token",
        )


def test_after_a_revocation_a_new_certificate_can_be_issued(programme, alice, bob):
    first = certificate(programme=programme, leader=bob, consultant=alice)
    certificate_revoke(certificate=first, actor=bob, reason="Fejl i vurderingen")
    again = certificate(programme=programme, leader=bob, consultant=alice,
                        company=first.company, issued_at=at(2017, 10, 1))
    assert again.status_on(dt.date(2017, 10, 2)) == CertificateStatus.VALID


def test_issue_queues_the_pdf_task_after_commit(
    programme, alice, bob, django_capture_on_commit_callbacks, monkeypatch
):
    from certificates import tasks

    queued = []
    monkeypatch.setattr(tasks.certificate_pdf_render_task, "apply_async",
                        lambda args, kwargs: queued.append(args))
    found = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issued = certificate_issue(assessment=found, actor=bob)
    assert queued == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert queued == [(issued.pk,)]
