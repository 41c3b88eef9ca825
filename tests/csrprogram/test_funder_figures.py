"""The funder's figures (issue 17): hand-counted fixtures, made only through the services.

The programme is the fixture's "CSR Strategi 2017" (19 June 2017 – 31 December 2018) with the
default settings: retention is measured for CSR-jobs, and CSR-job, flexjob, wage subsidy and
ordinary job count as a job.
"""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from certificates.services import certificate_renew
from citizens import services as citizen_services
from citizens.choices import EnrolmentStatus
from csrprogram import reports
from csrprogram import services as programme_services
from csrprogram.choices import Role, TargetGroup, TargetKind
from csrprogram.dashboard import Status, programme_dashboard
from csrprogram.metrics import registry
from csrprogram.policy import SYSTEM
from followups import services as followup_services
from placements import services as placement_services
from placements.choices import OpeningKind, PlacementOutcome
from tests.certificates.factories import at, certificate
from tests.citizens.factories import next_cpr
from tests.csrprogram.factories import UserFactory

D = dt.date
WHOLE = {"start": D(2017, 6, 19), "end": D(2018, 12, 31)}
ENROLLED_ON = D(2017, 8, 1)
REGISTERED_ON = D(2017, 9, 1)


@pytest.fixture
def make(programme, alice, company_a):
    """Helpers that build the fixtures through the services."""

    class Make:
        @staticmethod
        def citizen(name, *, on=ENROLLED_ON, consultant=None,
                    target_group=TargetGroup.ACTIVITY_READY):
            return citizen_services.citizen_create(
                actor=consultant or alice, cpr=next_cpr(), programme=programme,
                enrolled_on=on,
                data={"name": name, "target_group": target_group, "weekly_hours": 30,
                      "consultant": consultant or alice})

        @staticmethod
        def opening(kind, *, on=REGISTERED_ON, positions=1, company=None):
            return placement_services.opening_create(actor=alice, data={
                "programme": programme, "company": company or company_a, "kind": kind,
                "title": "Lagermedarbejder", "job_category": "warehouse",
                "tasks": "Pakning.", "weekly_hours": 15, "positions": positions,
                "registered_on": on})

        @classmethod
        def placement(cls, citizen, kind, start, *, company=None, consultant=None):
            opening = cls.opening(kind, on=start, company=company)
            candidacy = placement_services.candidacy_propose(opening=opening, citizen=citizen,
                                                             actor=alice)
            return placement_services.candidacy_accept(
                candidacy=candidacy, actor=alice, start_date=start, decided_on=start,
                consultant=consultant or alice)

        @staticmethod
        def end(placement, on, outcome):
            return placement_services.placement_end(placement=placement, end_date=on,
                                                    outcome=outcome, actor=alice)

    return Make


def count(key, programme, **period):
    return registry.get(key).count(programme, **(period or WHOLE))


def close_all(today):
    return followup_services.placements_close_due(today=today)


# --- Retention -----------------------------------------------------------------------------------

def test_two_csr_jobs_of_one_citizen_count_one_candidate(make, programme):
    anna = make.citizen("Anna")
    make.placement(anna, OpeningKind.CSR_JOB, D(2017, 10, 2))
    make.placement(anna, OpeningKind.CSR_JOB, D(2017, 10, 2))
    bo = make.citizen("Bo")
    make.placement(bo, OpeningKind.CSR_JOB, D(2017, 11, 1))
    close_all(D(2018, 3, 1))
    assert count("retained_at_3_months", programme) == 2
    assert count("closed_at_3_months", programme) == 2
    # Counted on the start date of the candidate's first CSR-job.
    assert registry.get("retained_at_3_months").daily(programme, **WHOLE) == {
        D(2017, 10, 2): 1, D(2017, 11, 1): 1}


def test_only_csr_jobs_are_measured_for_retention(make, programme):
    """Internships and flexjobs are not closed at 3 months and not counted as retained."""
    for name, kind in [("Intern", OpeningKind.INTERNSHIP), ("Flex", OpeningKind.FLEX_JOB),
                       ("Csr", OpeningKind.CSR_JOB)]:
        make.placement(make.citizen(name), kind, D(2017, 10, 2))
    assert close_all(D(2018, 3, 1)) == 1
    assert count("retained_at_3_months", programme) == 1


def test_an_internship_followed_by_a_hire_counts_into_job_on_the_hire(make, programme):
    citizen = make.citizen("Carl")
    internship = make.placement(citizen, OpeningKind.INTERNSHIP, D(2017, 9, 4))
    close_all(D(2018, 1, 1))
    internship.refresh_from_db()
    assert internship.closed_at is None
    assert internship.retained is None
    enrolment = citizen.enrolments.get()
    assert enrolment.status == EnrolmentStatus.ACTIVE  # an internship is not a job
    # The candidate is still open, so the consultant can propose them for a job.
    make.end(internship, D(2017, 12, 1), PlacementOutcome.OTHER)
    make.placement(citizen, OpeningKind.CSR_JOB, D(2018, 1, 8))
    assert registry.get("citizens_into_job").daily(programme, **WHOLE) == {D(2018, 1, 8): 1}
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.IN_JOB


def test_a_flexjob_kept_three_months_is_into_job(make, programme):
    citizen = make.citizen("Dorte")
    make.placement(citizen, OpeningKind.FLEX_JOB, D(2017, 10, 2))
    close_all(D(2018, 3, 1))
    assert registry.get("citizens_into_job").daily(programme, **WHOLE) == {D(2017, 10, 2): 1}
    assert count("citizens_into_job_or_education", programme) == 1


def test_a_job_started_in_the_programmes_last_month(make, programme, bob):
    citizen = make.citizen("Erik")
    make.placement(citizen, OpeningKind.CSR_JOB, D(2018, 12, 10))
    # Into job on the day it starts, inside the programme.
    assert count("citizens_into_job", programme) == 1
    target = programme_services.target_create(actor=SYSTEM,
        programme=programme, metric_key="retained_at_3_months", value=1,
        deadline=D(2018, 12, 31))
    # Before the closing the retention is unknown; the deadline is not yet "missed".
    board = programme_dashboard(programme=programme, as_of=D(2019, 1, 15))
    row = next(r for r in board.rows if r.target == target)
    assert row.actual == 0
    assert row.status != Status.MISSED
    close_all(D(2019, 3, 10))
    board = programme_dashboard(programme=programme, as_of=D(2019, 3, 15))
    row = next(r for r in board.rows if r.target == target)
    assert (row.actual, row.status) == (1, Status.REACHED)


def test_a_csr_job_left_for_an_ordinary_job_is_retained(make, programme):
    citizen = make.citizen("Frida")
    job = make.placement(citizen, OpeningKind.CSR_JOB, D(2017, 10, 2))
    make.end(job, D(2017, 12, 1), PlacementOutcome.ORDINARY_JOB)
    close_all(D(2018, 3, 1))
    assert count("retained_at_3_months", programme) == 1
    assert registry.get("citizens_into_job").daily(programme, **WHOLE) == {D(2017, 10, 2): 1}


# --- Into job / education -----------------------------------------------------------------------

def test_into_job_education_and_either_hand_counted(make, programme, alice):
    """10 into job, 2 into education, 11 into job or education (one did both)."""
    for n in range(6):  # six CSR-jobs, one of them ended by the employer
        job = make.placement(make.citizen(f"Job {n}"), OpeningKind.CSR_JOB, D(2018, 2, 1))
    make.end(job, D(2018, 3, 1), PlacementOutcome.ENDED_BY_EMPLOYER)
    make.placement(make.citizen("Flex"), OpeningKind.FLEX_JOB, D(2018, 3, 1))
    # An internship ending in an ordinary job: into job on that day.
    found = make.citizen("Ordinær")
    internship = make.placement(found, OpeningKind.INTERNSHIP, D(2018, 1, 2))
    make.end(internship, D(2018, 4, 3), PlacementOutcome.ORDINARY_JOB)
    # Education from an internship, and from an enrolment exit.
    student = make.citizen("Studerende")
    make.end(make.placement(student, OpeningKind.INTERNSHIP, D(2018, 1, 2)), D(2018, 2, 1),
             PlacementOutcome.EDUCATION)
    both = make.citizen("Begge")  # into a CSR-job first, then education
    make.end(make.placement(both, OpeningKind.CSR_JOB, D(2018, 5, 1)), D(2018, 7, 1),
             PlacementOutcome.EDUCATION)
    make.citizen("Kun visiteret")
    # A job started in the programme's last month counts on its first day.
    make.placement(make.citizen("Sidst"), OpeningKind.CSR_JOB, D(2018, 12, 17))
    # 6 CSR-jobs + flex + ordinary + "Begge" + "Sidst"; education: "Studerende", "Begge".
    assert count("citizens_into_job", programme) == 10
    assert count("citizens_into_education", programme) == 2
    assert count("citizens_into_job_or_education", programme) == 11
    assert count("citizens_enrolled", programme) == 12


def test_ordinary_jobs_need_not_count_as_jobs(make, programme):
    programme_services.programme_update(actor=SYSTEM, programme=programme,
                                        data={"job_kinds": [OpeningKind.CSR_JOB]})
    make.placement(make.citizen("Flex"), OpeningKind.FLEX_JOB, D(2018, 3, 1))
    make.placement(make.citizen("Csr"), OpeningKind.CSR_JOB, D(2018, 3, 1))
    assert count("citizens_into_job", programme) == 1


# --- Enrolment ------------------------------------------------------------------------------------

def test_a_re_enrolment_keeps_history_and_counts_the_citizen_once(make, programme, alice):
    citizen = make.citizen("Gustav", on=D(2017, 8, 1))
    first = citizen.enrolments.get()
    citizen_services.enrolment_close(enrolment=first, actor=alice,
                                     status=EnrolmentStatus.DROPPED_OUT,
                                     exit_date=D(2017, 9, 1))
    citizen_services.enrolment_create(citizen=citizen, programme=programme,
                                      enrolled_on=D(2018, 2, 1), referring_consultant=alice,
                                      actor=alice)
    assert citizen.enrolments.count() == 2
    assert count("citizens_enrolled", programme) == 1
    assert registry.get("citizens_enrolled").daily(programme, **WHOLE) == {D(2017, 8, 1): 1}
    # The re-enrolled citizen can be placed again.
    make.placement(citizen, OpeningKind.CSR_JOB, D(2018, 3, 1))
    with pytest.raises(Exception, match="allerede visiteret"):
        citizen_services.enrolment_create(citizen=citizen, programme=programme,
                                          enrolled_on=D(2018, 4, 1),
                                          referring_consultant=alice, actor=alice)


def test_enrolment_status_follows_the_placements(make):
    citizen = make.citizen("Hanne")
    job = make.placement(citizen, OpeningKind.CSR_JOB, D(2017, 10, 2))
    enrolment = citizen.enrolments.get()
    assert enrolment.status == EnrolmentStatus.IN_JOB
    make.end(job, D(2017, 11, 1), PlacementOutcome.ENDED_BY_EMPLOYER)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


# --- Internship places and certified companies ----------------------------------------------------

def test_withdrawn_internship_openings_are_shown_separately(make, programme, alice):
    make.opening(OpeningKind.INTERNSHIP, positions=3)
    withdrawn = make.opening(OpeningKind.INTERNSHIP, positions=2)
    make.opening(OpeningKind.CSR_JOB, positions=4)
    placement_services.opening_withdraw(opening=withdrawn, actor=alice)
    assert count("internship_places_offered", programme) == 3
    assert count("internship_places_withdrawn", programme) == 2


def test_a_renewal_by_another_consultant_counts_under_the_first(programme, alice, bob):
    carl = UserFactory(email="carl@jobcenter.example", first_name="Carl", roles=[Role.CONSULTANT])
    programme.members.add(carl)
    first = certificate(programme=programme, leader=bob, consultant=alice,
                        issued_at=at(2017, 9, 1))
    certificate(programme=programme, leader=bob, consultant=carl, issued_at=at(2017, 10, 1))
    from tests.companies.factories import assessment

    renewal = assessment(company=first.company, programme=programme, by=carl, met=3,
                         assessed_on=D(2018, 8, 1))
    with time_machine.travel(at(2018, 8, 2), tick=False):
        certificate_renew(certificate=first, assessment=renewal, actor=bob)
    assert registry.get("certificates_issued").count(programme, **WHOLE) == 3
    metric = registry.get("certified_companies")
    assert metric.count(programme, **WHOLE) == 2
    rows = {row.label.split()[0]: row.count
            for row in metric.breakdown(programme, **WHOLE, by=metric.breakdowns[0])}
    # The renewed company stays with Alice, who certified it first: 1 + 1 = the total 2.
    assert rows == {"Alice": 1, "Carl": 1}


# --- Shares and targets -----------------------------------------------------------------------

def _retention_cohort(make, *, retained, lost):
    """CSR-jobs started 2 October 2017; ``lost`` end by the employer before 3 months."""
    for n in range(retained + lost):
        job = make.placement(make.citizen(f"Kandidat {n}"), OpeningKind.CSR_JOB, D(2017, 10, 2))
        if n >= retained:
            make.end(job, D(2017, 11, 1), PlacementOutcome.ENDED_BY_EMPLOYER)
    close_all(D(2018, 1, 3))


def test_a_target_on_a_share_is_compared_with_the_share(make, programme):
    _retention_cohort(make, retained=8, lost=5)  # 8 of 13 = 61.5 %
    target = programme_services.target_create(actor=SYSTEM,
        programme=programme, metric_key="share_retained", value=60, deadline=D(2018, 12, 31))
    board = programme_dashboard(programme=programme, as_of=D(2018, 6, 1))
    row = board.rows[0]
    assert row.target == target
    assert (row.actual, row.numerator, row.denominator) == (61, 8, 13)
    assert row.target_value == 60
    assert row.status == Status.ON_TRACK
    board = programme_dashboard(programme=programme, as_of=D(2019, 4, 1))
    assert board.rows[0].status == Status.REACHED


def test_a_share_target_below_the_share_is_behind_and_then_missed(make, programme):
    _retention_cohort(make, retained=6, lost=6)  # 50 %
    programme_services.target_create(actor=SYSTEM,
        programme=programme, metric_key="share_retained", value=60, deadline=D(2018, 12, 31))
    assert programme_dashboard(programme=programme,
                               as_of=D(2018, 6, 1)).rows[0].status == Status.BEHIND
    assert programme_dashboard(programme=programme,
                               as_of=D(2019, 4, 1)).rows[0].status == Status.MISSED


def test_a_share_target_must_be_a_percentage_of_at_most_100(programme):
    from django.core.exceptions import ValidationError

    enrolled = programme_services.target_create(actor=SYSTEM,
        programme=programme, metric_key="citizens_enrolled", value=50,
        deadline=D(2018, 12, 31))
    with pytest.raises(ValidationError, match="andel"):
        programme_services.target_create(actor=SYSTEM,
            programme=programme, metric_key="share_retained", value=60,
            deadline=D(2018, 12, 31), kind=TargetKind.PERCENTAGE, reference=enrolled)
    with pytest.raises(ValidationError, match="100"):
        programme_services.target_create(actor=SYSTEM,
            programme=programme, metric_key="share_retained", value=120,
            deadline=D(2018, 12, 31))


def test_percentage_targets_of_another_target_keep_working(make, programme):
    enrolled = programme_services.target_create(actor=SYSTEM,
        programme=programme, metric_key="citizens_enrolled", value=50,
        deadline=D(2018, 12, 31))
    programme_services.target_create(actor=SYSTEM,
        programme=programme, metric_key="citizens_into_job", value=25,
        deadline=D(2018, 12, 31), kind=TargetKind.PERCENTAGE, reference=enrolled)
    board = programme_dashboard(programme=programme, as_of=D(2018, 6, 1))
    into_job = next(r for r in board.rows if r.target.metric_key == "citizens_into_job")
    assert into_job.target_value == 13


# --- The projection -------------------------------------------------------------------------------

def test_no_verdict_in_the_first_weeks_on_a_single_record(make, programme):
    programme_services.target_create(actor=SYSTEM,
        programme=programme, metric_key="citizens_enrolled", value=50,
        deadline=D(2018, 12, 31))
    make.citizen("Ida", on=D(2017, 6, 20))
    for as_of in (D(2017, 6, 21), D(2017, 7, 10), D(2017, 8, 1)):
        board = programme_dashboard(programme=programme, as_of=as_of)
        assert board.rows[0].status == Status.TOO_EARLY
        assert board.rows[0].projected is None
    # A quarter of the 561 days has passed on 7 November 2017: now a verdict.
    board = programme_dashboard(programme=programme, as_of=D(2017, 11, 10))
    assert board.rows[0].status == Status.BEHIND
    assert "fjerdedel" in board.verdict_rule


def test_retention_projects_only_from_what_can_be_known(make, programme):
    """As of 1 March 2018 only jobs started by 1 December 2017 can have been closed."""
    _retention_cohort(make, retained=4, lost=0)
    programme_services.target_create(actor=SYSTEM,
        programme=programme, metric_key="retained_at_3_months", value=12,
        deadline=D(2018, 12, 31))
    row = programme_dashboard(programme=programme, as_of=D(2018, 3, 1)).rows[0]
    # 4 in the 166 known days (19 June – 1 December 2017) of 561: projected 13, on track.
    assert (row.actual, row.projected, row.status) == (4, 13, Status.ON_TRACK)


# --- Breakdowns add up ------------------------------------------------------------------------

def test_every_breakdown_adds_up_to_its_total(make, programme, alice, bob, company_b):
    carl = UserFactory(email="carl@jobcenter.example", first_name="Carl", roles=[Role.CONSULTANT])
    programme.members.add(carl)
    citizens = [make.citizen(f"B {n}", consultant=alice if n % 2 else carl,
                             target_group=TargetGroup.values[n % 3]) for n in range(7)]
    for n, citizen in enumerate(citizens[:5]):
        job = make.placement(citizen, OpeningKind.CSR_JOB, D(2017, 10, 2 + n),
                             company=company_b if n % 2 else None,
                             consultant=carl if n == 3 else alice)
        make.placement(citizen, OpeningKind.CSR_JOB, D(2017, 11, 1))  # a second job
        if n == 4:
            make.end(job, D(2017, 10, 30), PlacementOutcome.EDUCATION)
    make.placement(citizens[5], OpeningKind.INTERNSHIP, D(2017, 9, 1))
    make.opening(OpeningKind.INTERNSHIP, positions=4, company=company_b)
    first = certificate(programme=programme, leader=bob, consultant=alice)
    certificate(programme=programme, leader=bob, consultant=carl)
    from tests.companies.factories import assessment

    renewal = assessment(company=first.company, programme=programme, by=carl, met=3,
                         assessed_on=D(2018, 8, 31))
    with time_machine.travel(at(2018, 9, 1), tick=False):
        certificate_renew(certificate=first, assessment=renewal, actor=bob)
    close_all(D(2018, 3, 1))
    checked = 0
    for metric in registry.all():
        total = metric.count(programme, **WHOLE)
        for dimension in metric.breakdowns:
            rows = metric.breakdown(programme, **WHOLE, by=dimension)
            assert sum(row.count for row in rows) == total, (metric.key, dimension)
            checked += 1
    assert checked >= 15
    assert count("retained_at_3_months", programme) == 5
    assert count("certified_companies", programme) == 2


# --- Definitions everywhere -------------------------------------------------------------------

@pytest.fixture
def board(make, programme):
    for key in ("citizens_enrolled", "citizens_into_job", "retained_at_3_months"):
        programme_services.target_create(actor=SYSTEM, programme=programme, metric_key=key,
                                         value=10, deadline=D(2018, 12, 31))
    programme_services.target_create(actor=SYSTEM, programme=programme, metric_key="share_retained",
                                     value=60, deadline=D(2018, 12, 31))
    _retention_cohort(make, retained=2, lost=1)
    return programme_dashboard(programme=programme, as_of=D(2018, 3, 1))


def test_every_metric_has_a_definition():
    for metric in registry.all():
        assert str(metric.description).strip().endswith("."), metric.key


def test_the_xlsx_has_a_definitions_sheet(board):
    _name, content = reports.dashboard_xlsx(board)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Definitioner"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    for key in ("citizens_enrolled", "citizens_into_job", "retained_at_3_months",
                "share_retained"):
        metric = registry.get(key)
        assert rows[str(metric.label)] == str(metric.description)
    share = next(row for row in workbook["Måltal"].iter_rows(values_only=True)
             if row[0] == "Andel fastholdt (%)")
    assert share[4] == 66
    assert share[-1] == "2 af 3"


@pytest.mark.parametrize(("language", "heading", "phrase"), [
    ("da", "Sådan er tallene opgjort", "Forskellige kandidater"),
    ("en", "How the figures are counted", "Distinct candidates"),
])
def test_the_funder_pdf_has_the_definitions(board, language, heading, phrase):
    _name, content = reports.funder_pdf(board, language=language)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    assert heading in text
    assert phrase in text


def test_the_dashboard_and_my_figures_show_the_definitions(client, bob, alice, board,
                                                           programme):
    from django.urls import reverse

    client.force_login(bob)
    page = client.get(reverse("programme-dashboard", args=[programme.pk])).content.decode()
    assert "Sådan er tallene opgjort" in page
    assert "2 af 3" in page
    for key in ("citizens_enrolled", "retained_at_3_months", "share_retained"):
        assert str(registry.get(key).description) in page
    form = client.get(reverse("target-create", args=[programme.pk])).content.decode()
    for metric in registry.all():
        assert str(metric.description) in form
    client.force_login(alice)
    mine = client.get(reverse("programme-my-figures", args=[programme.pk])).content.decode()
    assert str(registry.get("citizens_enrolled").description) in mine


def test_a_citizen_is_re_enrolled_from_the_citizen_page(client, alice, make, programme):
    from django.urls import reverse

    citizen = make.citizen("Jens")
    citizen_services.enrolment_close(enrolment=citizen.enrolments.get(), actor=alice,
                                     status=EnrolmentStatus.DROPPED_OUT,
                                     exit_date=D(2017, 9, 1))
    client.force_login(alice)
    response = client.post(reverse("citizens:enrolment-create", args=[citizen.pk]),
                           {"programme": programme.pk, "enrolled_on": "2018-01-02"})
    assert response.status_code == 302
    assert list(citizen.enrolments.order_by("enrolled_on")
                .values_list("enrolled_on", "exit_date")) == [
        (D(2017, 8, 1), D(2017, 9, 1)), (D(2018, 1, 2), None)]


def test_an_internship_cannot_be_measured_for_retention(programme):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="aldrig"):
        programme_services.programme_update(actor=SYSTEM,
            programme=programme, data={"retention_kinds": [OpeningKind.INTERNSHIP]})
