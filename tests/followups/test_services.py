import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from citizens.choices import EnrolmentStatus, ExitReason
from citizens.models import Enrolment
from followups import services
from followups.choices import MatchQuality, VisitKind, VisitStatus
from followups.models import Visit
from placements import services as placement_services
from placements.choices import PlacementOutcome
from tests.followups.factories import VisitFactory

D = dt.date
HALF, TWO_HALF = VisitKind.HALF_MONTH, VisitKind.TWO_AND_HALF_MONTHS


def _dues(placement):
    return dict(placement.visits.order_by("due_date").values_list("kind", "due_date"))


def test_starting_a_placement_creates_its_two_visits(start_placement):
    placement = start_placement(start_date=D(2022, 1, 31))
    assert _dues(placement) == {HALF: D(2022, 2, 15), TWO_HALF: D(2022, 4, 19)}
    assert set(placement.visits.values_list("status", flat=True)) == {VisitStatus.PLANNED}


def test_the_visits_roll_back_with_the_placement(start_placement):
    def start_then_fail():
        with transaction.atomic():
            start_placement(start_date=D(2022, 1, 31))
            assert Visit.objects.count() == 2
            raise RuntimeError("the placement transaction fails after the signal")

    with pytest.raises(RuntimeError):
        start_then_fail()
    assert Visit.objects.count() == 0


def test_scheduling_is_idempotent_and_the_database_refuses_a_second_half_month_visit(
        start_placement):
    placement = start_placement()
    assert services.visits_schedule(placement=placement) == []
    assert placement.visits.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(placement=placement, kind=HALF, due_date=D(2017, 11, 1))
    # Extra visits are not limited.
    VisitFactory(placement=placement, kind=VisitKind.EXTRA)
    VisitFactory(placement=placement, kind=VisitKind.EXTRA)


def test_the_offsets_come_from_the_programme(start_placement, programme):
    programme.first_followup_days = 7
    programme.save()
    placement = start_placement(start_date=D(2024, 1, 31))
    assert _dues(placement)[HALF] == D(2024, 2, 7)


@time_machine.travel(dt.datetime(2022, 2, 1, 10, 0), tick=False)
def test_a_changed_start_moves_the_open_visits_and_keeps_the_done_ones(start_placement,
                                                                        alice):
    placement = start_placement(start_date=D(2022, 1, 10))
    half = placement.visits.get(kind=HALF)
    two_half = placement.visits.get(kind=TWO_HALF)
    Visit.objects.filter(pk=two_half.pk).update(reminded_at=dt.datetime(2022, 1, 20, tzinfo=dt.UTC))
    services.visit_record(visit=half, actor=alice, done_on=D(2022, 1, 25),
                          match_quality=MatchQuality.GOOD)
    placement_services.placement_change_start(placement=placement, start_date=D(2022, 1, 31),
                                              actor=alice)
    half.refresh_from_db()
    two_half.refresh_from_db()
    assert half.due_date == D(2022, 1, 25)
    assert half.status == VisitStatus.DONE
    assert two_half.due_date == D(2022, 4, 19)
    assert two_half.reminded_at is None, "a new date gets its own reminder"
    change = two_half.reschedules.get()
    assert (change.previous_due_date, change.new_due_date) == (D(2022, 3, 25), D(2022, 4, 19))
    assert change.reason == "Forløbets startdato er rettet"


def test_ending_a_placement_early_cancels_its_visits_after_the_end(start_placement, alice):
    placement = start_placement(start_date=D(2017, 10, 2))
    placement_services.placement_end(placement=placement, end_date=D(2017, 10, 20),
                                     outcome=PlacementOutcome.DROPPED_OUT, actor=alice)
    half = placement.visits.get(kind=HALF)
    two_half = placement.visits.get(kind=TWO_HALF)
    assert two_half.status == VisitStatus.CANCELLED
    assert two_half.cancel_reason == "Forløbet er afsluttet"
    # Due 17 October, before the end: it may have taken place and can still be registered.
    assert half.status == VisitStatus.PLANNED
    with pytest.raises(ValidationError, match="aflyst"):
        services.visit_record(visit=two_half, actor=alice, done_on=D(2017, 10, 19),
                              match_quality=MatchQuality.GOOD, today=D(2017, 11, 1))
    with pytest.raises(ValidationError, match="sluttede den 20\\.10\\.2017"):
        services.visit_record(visit=half, actor=alice, done_on=D(2017, 10, 23),
                              match_quality=MatchQuality.GOOD, today=D(2017, 11, 1))
    services.visit_record(visit=half, actor=alice, done_on=D(2017, 10, 18),
                          match_quality=MatchQuality.POOR, today=D(2017, 11, 1))


# --- Recording, rescheduling, extra visits ------------------------------------------------------

def test_recording_a_visit(start_placement, alice):
    placement = start_placement(start_date=D(2017, 10, 2))
    visit = placement.visits.get(kind=HALF)
    services.visit_record(visit=visit, actor=alice, done_on=D(2017, 10, 17),
                          match_quality=MatchQuality.SOME_ISSUES, met_whom=" Lederen ",
                          notes="Godt i gang.", agreed_actions="Færre timer om fredagen.",
                          another_visit_needed=True, next_visit_on=D(2017, 11, 1),
                          today=D(2017, 10, 18))
    visit.refresh_from_db()
    assert (visit.status, visit.done_on, visit.match_quality, visit.met_whom,
            visit.recorded_by) == (VisitStatus.DONE, D(2017, 10, 17), MatchQuality.SOME_ISSUES,
                                   "Lederen", alice)
    extra = placement.visits.get(kind=VisitKind.EXTRA)
    assert extra.due_date == D(2017, 11, 1)
    purposes = set(placement.citizen.access_logs.values_list("purpose", flat=True))
    assert {"Registrering af opfølgningsbesøg",
            "Planlægning af ekstra opfølgningsbesøg"} <= purposes
    with pytest.raises(ValidationError, match="allerede registreret"):
        services.visit_record(visit=visit, actor=alice, done_on=D(2017, 10, 17),
                              match_quality=MatchQuality.GOOD, today=D(2017, 10, 18))


@pytest.mark.parametrize(("done_on", "message"), [
    (D(2017, 10, 1), "kan ikke ligge før forløbets start \\(02\\.10\\.2017\\)"),
    (D(2017, 10, 19), "i fremtiden"),
])
def test_recording_refuses_a_date_before_the_start_or_in_the_future(start_placement, alice,
                                                                     done_on, message):
    visit = start_placement(start_date=D(2017, 10, 2)).visits.get(kind=HALF)
    with pytest.raises(ValidationError, match=message) as error:
        services.visit_record(visit=visit, actor=alice, done_on=done_on,
                              match_quality=MatchQuality.GOOD, today=D(2017, 10, 18))
    assert "done_on" in error.value.error_dict
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_another_visit_needs_its_date(start_placement, alice):
    visit = start_placement().visits.get(kind=HALF)
    with pytest.raises(ValidationError) as error:
        services.visit_record(visit=visit, actor=alice, done_on=D(2017, 10, 17),
                              match_quality=MatchQuality.GOOD, another_visit_needed=True,
                              today=D(2017, 10, 18))
    assert "next_visit_on" in error.value.error_dict


def test_rescheduling_keeps_the_history_and_refuses_the_past(start_placement, alice):
    visit = start_placement(start_date=D(2017, 10, 2)).visits.get(kind=HALF)
    with pytest.raises(ValidationError, match="passeret"):
        services.visit_reschedule(visit=visit, actor=alice, due_date=D(2017, 10, 9),
                                  reason="Ferie", today=D(2017, 10, 10))
    with pytest.raises(ValidationError, match="begrundelse"):
        services.visit_reschedule(visit=visit, actor=alice, due_date=D(2017, 10, 24),
                                  reason="  ", today=D(2017, 10, 10))
    services.visit_reschedule(visit=visit, actor=alice, due_date=D(2017, 10, 24),
                              reason="Lederen er på ferie", today=D(2017, 10, 10))
    visit.refresh_from_db()
    assert visit.due_date == D(2017, 10, 24)
    change = visit.reschedules.get()
    assert (change.previous_due_date, change.reason, change.changed_by) == (
        D(2017, 10, 17), "Lederen er på ferie", alice)


def test_extra_visits_only_on_an_active_placement(start_placement, alice):
    placement = start_placement(start_date=D(2017, 10, 2))
    extra = services.visit_add_extra(placement=placement, actor=alice, due_date=D(2017, 11, 8),
                                     notes="Samtale om timer", today=D(2017, 11, 1))
    assert (extra.kind, extra.status) == (VisitKind.EXTRA, VisitStatus.PLANNED)
    with pytest.raises(ValidationError, match="fortiden"):
        services.visit_add_extra(placement=placement, actor=alice, due_date=D(2017, 10, 30),
                                 today=D(2017, 11, 1))
    placement_services.placement_end(placement=placement, end_date=D(2017, 11, 2),
                                     outcome=PlacementOutcome.OTHER, actor=alice)
    with pytest.raises(ValidationError, match="Forløbet er afsluttet"):
        services.visit_add_extra(placement=placement, actor=alice, due_date=D(2017, 11, 9),
                                 today=D(2017, 11, 1))


# --- The 3-month closing and aftercare -----------------------------------------------------------

def _enrolment(placement):
    return Enrolment.objects.get(citizen=placement.citizen, programme=placement.programme)


def test_closing_at_three_months_records_retention_and_closes_the_enrolment(start_placement):
    placement = start_placement(start_date=D(2022, 1, 31))
    assert services.placement_close(placement_id=placement.pk, today=D(2022, 4, 29)) is False
    assert services.placement_close(placement_id=placement.pk, today=D(2022, 4, 30)) is True
    assert services.placement_close(placement_id=placement.pk, today=D(2022, 5, 2)) is False
    placement.refresh_from_db()
    assert (placement.closed_at, placement.retained) == (D(2022, 4, 30), True)
    enrolment = _enrolment(placement)
    assert (enrolment.status, enrolment.exit_date) == (EnrolmentStatus.CLOSED, D(2022, 4, 30))


@pytest.mark.parametrize(("outcome", "retained"), [
    (PlacementOutcome.DROPPED_OUT, False),
    (PlacementOutcome.ENDED_BY_EMPLOYER, False),
    (PlacementOutcome.EDUCATION, False),
    (PlacementOutcome.ORDINARY_JOB, True),
])
def test_an_early_end_decides_retention_by_its_outcome(start_placement, alice, outcome,
                                                       retained):
    placement = start_placement(start_date=D(2022, 1, 31))
    placement_services.placement_end(placement=placement, end_date=D(2022, 3, 1),
                                     outcome=outcome, actor=alice)
    services.placements_close_due(today=D(2022, 5, 1))
    placement.refresh_from_db()
    assert (placement.closed_at, placement.retained) == (D(2022, 4, 30), retained)


def test_an_ordinary_job_closes_the_enrolment_with_that_reason(start_placement, alice,
                                                               programme):
    # Only when the programme measures retention for ordinary jobs too (default: CSR-job).
    programme.retention_kinds = ["csr_job", "ordinary_job"]
    programme.save(update_fields=["retention_kinds"])
    placement = start_placement(start_date=D(2022, 1, 31), kind="ordinary_job")
    services.placements_close_due(today=D(2022, 5, 1))
    assert _enrolment(placement).exit_reason == ExitReason.ORDINARY_JOB


def test_kinds_not_measured_are_never_closed(start_placement):
    """Seed 000: an internship is a step towards a job; it never closes the candidate."""
    internship = start_placement(start_date=D(2022, 1, 31), kind="internship")
    flexjob = start_placement(start_date=D(2022, 1, 31), kind="flex_job", name="Flex")
    assert services.placements_close_due(today=D(2022, 5, 1)) == 0
    for placement in (internship, flexjob):
        placement.refresh_from_db()
        assert placement.closed_at is None
        assert _enrolment(placement).exit_date is None


def test_the_consultants_record_with_the_visit_is_used_at_the_closing(start_placement, alice):
    placement = start_placement(start_date=D(2022, 1, 31))
    visit = placement.visits.get(kind=TWO_HALF)
    services.visit_record(visit=visit, actor=alice, done_on=D(2022, 4, 19),
                          match_quality=MatchQuality.POOR, retained=False,
                          today=D(2022, 4, 19))
    services.placements_close_due(today=D(2022, 5, 1))
    placement.refresh_from_db()
    assert placement.retained is False
    assert _enrolment(placement).status == EnrolmentStatus.IN_JOB


def test_aftercare_only_for_a_closed_and_retained_citizen(start_placement, alice):
    placement = start_placement(start_date=D(2022, 1, 31))
    with pytest.raises(ValidationError, match="Efterværn"):
        services.aftercare_plan(placement=placement, actor=alice, today=D(2022, 4, 1))
    services.placements_close_due(today=D(2022, 4, 30))
    placement.refresh_from_db()
    visits = services.aftercare_plan(placement=placement, actor=alice, visits=2,
                                     interval_months=1, today=D(2022, 5, 2))
    assert [v.due_date for v in visits] == [D(2022, 6, 2), D(2022, 7, 4)]
    assert {v.kind for v in visits} == {VisitKind.AFTERCARE}
    with pytest.raises(ValidationError, match="allerede planlagte"):
        services.aftercare_plan(placement=placement, actor=alice, today=D(2022, 5, 2))
