"""Services that change data ask the same policy as the pages: called from the shell with a
user the page would refuse, they raise PermissionDenied and change nothing; tasks and
commands act as SYSTEM."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from certificates.services import certificate_issue, certificate_revoke
from citizens import services as citizen_services
from citizens.models import Citizen
from companies.models import Company
from companies.services import company_create, criterion_save
from csrprogram import services as base_services
from csrprogram.models import Target
from csrprogram.policy import SYSTEM
from followups import services as followup_services
from followups.models import Visit
from placements import services as placement_services
from placements.choices import CandidacyStatus, OpeningStatus
from tests.certificates.factories import certificate
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.companies.factories import assessment
from tests.csrprogram.factories import ProgrammeFactory
from tests.followups.factories import VisitFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory, PlacementFactory

COMPANY = {"cvr": "30000013", "name": "Shell A/S", "city": "Randers"}


def test_company_create_refuses_a_company_contact_and_allows_system(carol, alice):
    with pytest.raises(PermissionDenied):
        company_create(actor=carol, data=COMPANY)
    assert not Company.objects.filter(cvr="30000013").exists()
    assert company_create(actor=SYSTEM, data=COMPANY).pk


def test_criterion_save_is_for_team_leaders_not_consultants(alice, bob):
    data = {"title_da": "Kriterie", "title_en": "Criterion"}
    with pytest.raises(PermissionDenied):
        criterion_save(actor=alice, data=data)
    assert criterion_save(actor=bob, data=data).pk


def test_citizen_services_refuse_team_leaders_and_consultants_outside_their_programmes(
        programme, alice, bob):
    other = CitizenFactory(name="Uden for")
    EnrolmentFactory(citizen=other, programme=ProgrammeFactory(name="Andet"))
    with pytest.raises(PermissionDenied):
        citizen_services.citizen_update(citizen=other, actor=alice, data={"name": "Ændret"})
    with pytest.raises(PermissionDenied):
        citizen_services.citizen_create(actor=bob, cpr="0101701234", data={"name": "Ny"})
    assert Citizen.objects.get(pk=other.pk).name == "Uden for"
    enrolment = other.enrolments.get()
    with pytest.raises(PermissionDenied):
        citizen_services.enrolment_close(enrolment=enrolment, actor=alice, status="closed",
                                         exit_date=dt.date(2018, 1, 1))
    # The 3-month sweep closes enrolments as SYSTEM.
    citizen_services.enrolment_close(enrolment=enrolment, actor=SYSTEM, status="closed",
                                     exit_date=dt.date(2018, 1, 1))


def test_certificate_issue_and_revoke_are_for_leaders(programme, alice, bob, company_a):
    found = assessment(company=company_a, programme=programme, by=alice, met=3)
    with pytest.raises(PermissionDenied):
        certificate_issue(assessment=found, actor=alice, queue_pdf=False)
    issued = certificate(programme=programme, leader=bob, consultant=alice)
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=issued, actor=alice, reason="Nej")
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_opening_and_candidacy_services_refuse_the_wrong_people(programme, alice, bob, carol,
                                                                dave, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a)
    with pytest.raises(PermissionDenied):
        placement_services.opening_withdraw(opening=opening, actor=bob)
    with pytest.raises(PermissionDenied):
        placement_services.opening_withdraw(opening=opening, actor=carol)
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN
    candidacy = CandidacyFactory(opening=opening)
    # Another company's contact cannot answer for this company.
    with pytest.raises(PermissionDenied):
        placement_services.candidacy_decline(candidacy=candidacy, actor=dave, reason="Nej")
    placement_services.candidacy_decline(candidacy=candidacy, actor=carol, reason="Nej tak")
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.DECLINED


def test_visit_services_refuse_a_team_leader(programme, alice, bob, company_a):
    placement = PlacementFactory(opening=JobOpeningFactory(programme=programme,
                                                           company=company_a))
    visit = VisitFactory(placement=placement)
    with pytest.raises(PermissionDenied):
        followup_services.visit_reschedule(visit=visit, actor=bob,
                                           due_date=visit.due_date + dt.timedelta(days=7),
                                           reason="Flyttet")
    assert Visit.objects.get(pk=visit.pk).due_date == visit.due_date
    with pytest.raises(PermissionDenied):
        followup_services.visit_add_extra(placement=placement, actor=bob,
                                          due_date=dt.date(2017, 12, 1))


def test_target_services_are_for_leaders(programme, alice, bob):
    with pytest.raises(PermissionDenied):
        base_services.target_create(programme=programme, actor=alice,
                                    metric_key="x", value=1, deadline=dt.date(2017, 12, 31))
    with pytest.raises(PermissionDenied):
        base_services.programme_update(programme=programme, actor=alice,
                                       data={"csr_threshold": 4})
    assert not Target.objects.exists()
