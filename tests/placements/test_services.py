import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from citizens.choices import EnrolmentStatus, ExitReason
from placements import services
from placements.choices import CandidacyStatus, OpeningStatus, PlacementOutcome, PlacementStatus
from placements.models import Placement
from placements.signals import placement_ended, placement_start_changed, placement_started
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    for signal in (placement_started, placement_start_changed, placement_ended):
        signal.connect(receiver, weak=False, dispatch_uid=f"test-{id(signal)}")
    yield calls
    for signal in (placement_started, placement_start_changed, placement_ended):
        signal.disconnect(dispatch_uid=f"test-{id(signal)}")


def test_propose_present_accept_starts_the_placement_and_fills_the_position(
        opening, citizen, alice, carol, received):
    candidacy = services.candidacy_propose(opening=opening, citizen=citizen, actor=alice,
                                           motivation="Stabil og mødestabil.")
    assert candidacy.status == CandidacyStatus.PROPOSED
    services.candidacy_present(candidacy=candidacy, actor=alice,
                               presented_on=dt.date(2017, 9, 10))

    placement = services.candidacy_accept(candidacy=candidacy, actor=carol,
                                          start_date=dt.date(2017, 10, 2),
                                          decided_on=dt.date(2017, 9, 20))

    candidacy.refresh_from_db()
    opening.refresh_from_db()
    assert candidacy.status == CandidacyStatus.ACCEPTED
    assert candidacy.decided_on == dt.date(2017, 9, 20)
    assert candidacy.decided_by == carol
    assert (opening.positions_filled, opening.status) == (1, OpeningStatus.FILLED)
    assert placement.company == opening.company
    assert placement.kind == opening.kind
    assert placement.weekly_hours == 15
    assert placement.consultant == alice
    assert placement.status == PlacementStatus.ACTIVE
    assert received == [{"signal": placement_started, "placement": placement}]
    # A CSR-job is paid work: the enrolment is now "in job".
    assert citizen.enrolments.get().status == EnrolmentStatus.IN_JOB


def test_signal_receiver_failure_rolls_back_the_start(opening, citizen, alice):
    candidacy = CandidacyFactory(opening=opening, citizen=citizen)

    def broken(sender, **kwargs):
        raise RuntimeError("follow-up schedule failed")

    placement_started.connect(broken, weak=False, dispatch_uid="broken")
    try:
        with pytest.raises(RuntimeError):
            services.candidacy_accept(candidacy=candidacy, actor=alice,
                                      start_date=dt.date(2017, 10, 2))
    finally:
        placement_started.disconnect(dispatch_uid="broken")
    opening.refresh_from_db()
    candidacy.refresh_from_db()
    assert Placement.objects.count() == 0
    assert opening.positions_filled == 0
    assert candidacy.status == CandidacyStatus.PRESENTED


def test_accepting_for_a_filled_opening_is_refused(opening, citizen, programme, alice):
    other = CitizenFactory(weekly_hours=30)
    EnrolmentFactory(citizen=other, programme=programme)
    first = CandidacyFactory(opening=opening, citizen=citizen)
    second = CandidacyFactory(opening=opening, citizen=other)
    services.candidacy_accept(candidacy=first, actor=alice, start_date=dt.date(2017, 10, 2))
    # Filling the opening closed the other candidacy; answering it is refused with the reason.
    with pytest.raises(ValidationError, match="Stillingen er besat af en anden kandidat"):
        services.candidacy_accept(candidacy=second, actor=alice,
                                  start_date=dt.date(2017, 10, 2))
    second.refresh_from_db()
    assert second.status == CandidacyStatus.CLOSED
    assert Placement.objects.count() == 1


def test_accepting_for_a_withdrawn_opening_is_refused(opening, citizen, alice):
    candidacy = CandidacyFactory(opening=opening, citizen=citizen,
                                 status=CandidacyStatus.PRESENTED)
    services.opening_withdraw(opening=opening, actor=alice)
    with pytest.raises(ValidationError):
        services.candidacy_accept(candidacy=candidacy, actor=alice,
                                  start_date=dt.date(2017, 10, 2))
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.WITHDRAWN


def test_placement_cannot_start_before_the_enrolment(opening, citizen, alice):
    candidacy = CandidacyFactory(opening=opening, citizen=citizen)
    with pytest.raises(ValidationError, match="før borgerens visitering \\(01\\.08\\.2017\\)"):
        services.candidacy_accept(candidacy=candidacy, actor=alice,
                                  start_date=dt.date(2017, 7, 31))
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.PRESENTED
    assert Placement.objects.count() == 0


def test_planned_end_before_start_is_refused(opening, citizen, alice):
    candidacy = CandidacyFactory(opening=opening, citizen=citizen)
    with pytest.raises(ValidationError, match="planlagte slutdato"):
        services.candidacy_accept(candidacy=candidacy, actor=alice,
                                  start_date=dt.date(2017, 10, 2),
                                  planned_end=dt.date(2017, 10, 1))
    assert Placement.objects.count() == 0


def test_hours_above_capacity_need_a_reason(programme, citizen, company_a, alice):
    long_hours = JobOpeningFactory(programme=programme, company=company_a, weekly_hours=30)
    with pytest.raises(ValidationError) as error:
        services.candidacy_propose(opening=long_hours, citizen=citizen, actor=alice)
    assert "kan arbejde 20 timer" in str(error.value)
    candidacy = services.candidacy_propose(
        opening=long_hours, citizen=citizen, actor=alice,
        hours_override_reason="Borgeren trappes op til 30 timer over fire uger.")
    placement = services.candidacy_accept(candidacy=candidacy, actor=alice,
                                          start_date=dt.date(2017, 10, 2))
    assert placement.weekly_hours == 30
    assert placement.hours_override_reason.startswith("Borgeren trappes op")


def test_propose_twice_or_without_enrolment_is_refused(opening, citizen, alice):
    services.candidacy_propose(opening=opening, citizen=citizen, actor=alice)
    with pytest.raises(ValidationError, match="allerede foreslået"):
        services.candidacy_propose(opening=opening, citizen=citizen, actor=alice)
    outsider = CitizenFactory()
    with pytest.raises(ValidationError, match="ikke visiteret"):
        services.candidacy_propose(opening=opening, citizen=outsider, actor=alice)


def test_decline_needs_a_reason(opening, citizen, carol):
    candidacy = CandidacyFactory(opening=opening, citizen=citizen)
    with pytest.raises(ValidationError, match="begrundelse"):
        services.candidacy_decline(candidacy=candidacy, actor=carol, reason="  ")
    services.candidacy_decline(candidacy=candidacy, actor=carol,
                               reason="Vi har valgt en med truckcertifikat.")
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.DECLINED
    with pytest.raises(ValidationError, match="allerede svaret"):
        services.candidacy_accept(candidacy=candidacy, actor=carol,
                                  start_date=dt.date(2017, 10, 2))


def test_end_with_ordinary_job_closes_the_enrolment(opening, citizen, alice, received):
    candidacy = CandidacyFactory(opening=opening, citizen=citizen)
    placement = services.candidacy_accept(candidacy=candidacy, actor=alice,
                                          start_date=dt.date(2017, 10, 2))
    with pytest.raises(ValidationError, match="før startdatoen"):
        services.placement_end(placement=placement, end_date=dt.date(2017, 10, 1),
                               outcome=PlacementOutcome.ORDINARY_JOB, actor=alice)
    services.placement_end(placement=placement, end_date=dt.date(2018, 1, 31),
                           outcome=PlacementOutcome.ORDINARY_JOB, actor=alice)
    placement.refresh_from_db()
    assert (placement.status, placement.outcome) == (PlacementStatus.ENDED, "ordinary_job")
    enrolment = citizen.enrolments.get()
    assert (enrolment.status, enrolment.exit_date, enrolment.exit_reason) == (
        EnrolmentStatus.CLOSED, dt.date(2018, 1, 31), ExitReason.ORDINARY_JOB)
    assert [c["signal"] for c in received] == [placement_started, placement_ended]
    with pytest.raises(ValidationError, match="allerede afsluttet"):
        services.placement_end(placement=placement, end_date=dt.date(2018, 2, 1),
                               outcome=PlacementOutcome.OTHER, actor=alice)


def test_change_start_sends_the_previous_date(opening, citizen, alice, received):
    candidacy = CandidacyFactory(opening=opening, citizen=citizen)
    placement = services.candidacy_accept(candidacy=candidacy, actor=alice,
                                          start_date=dt.date(2017, 10, 2))
    services.placement_change_start(placement=placement, start_date=dt.date(2017, 10, 9),
                                    actor=alice)
    placement.refresh_from_db()
    assert placement.start_date == dt.date(2017, 10, 9)
    assert received[-1] == {"signal": placement_start_changed, "placement": placement,
                            "previous_start_date": dt.date(2017, 10, 2)}


def test_filling_the_last_position_closes_the_other_open_candidacies(
        opening, citizen, alice, carol, programme):
    others = []
    for name, presented in (("Ida Iversen", True), ("Ole Olsen", False)):
        other = CitizenFactory(name=name, consultant=alice, weekly_hours=20)
        EnrolmentFactory(citizen=other, programme=programme, enrolled_on=dt.date(2017, 8, 1))
        others.append(CandidacyFactory(
            opening=opening, citizen=other,
            status=CandidacyStatus.PRESENTED if presented else CandidacyStatus.PROPOSED,
            presented_on=dt.date(2017, 9, 5) if presented else None))
    chosen = CandidacyFactory(opening=opening, citizen=citizen)

    services.candidacy_accept(candidacy=chosen, actor=carol, start_date=dt.date(2017, 10, 2),
                              decided_on=dt.date(2017, 9, 20))

    for candidacy in others:
        candidacy.refresh_from_db()
        assert candidacy.status == CandidacyStatus.CLOSED
        assert candidacy.closed_on == dt.date(2017, 10, 2)
    # The company sees the presented one as closed (not waiting), never the unpresented one.
    from placements.selectors import portal_candidacy
    visible = {c.pk: c.get_status_display() for c in portal_candidacy(carol)}
    assert visible == {chosen.pk: "Valgt af virksomheden",
                       others[0].pk: "Lukket: stillingen er besat af en anden kandidat"}
    with pytest.raises(ValidationError):
        services.candidacy_accept(candidacy=others[0], actor=carol,
                                  start_date=dt.date(2017, 10, 9))


def test_a_position_left_keeps_the_other_candidacies_open(citizen, alice, carol, programme,
                                                          company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a, positions=2)
    other = CitizenFactory(name="Ida Iversen", consultant=alice, weekly_hours=20)
    EnrolmentFactory(citizen=other, programme=programme, enrolled_on=dt.date(2017, 8, 1))
    waiting = CandidacyFactory(opening=opening, citizen=other)
    services.candidacy_accept(candidacy=CandidacyFactory(opening=opening, citizen=citizen),
                              actor=carol, start_date=dt.date(2017, 10, 2))
    waiting.refresh_from_db()
    assert waiting.status == CandidacyStatus.PRESENTED
