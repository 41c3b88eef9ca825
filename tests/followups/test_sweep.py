"""The sweep in-process (eager Celery): reminders, escalations and the closing.

The fault scenarios against a real Redis and worker are in test_worker_faults.py.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from followups import services, tasks
from followups.choices import MatchQuality, VisitKind, VisitStatus
from followups.models import Visit
from placements import services as placement_services
from placements.choices import PlacementOutcome
from tests.csrprogram.factories import UserFactory

D = dt.date
HALF, TWO_HALF = VisitKind.HALF_MONTH, VisitKind.TWO_AND_HALF_MONTHS
# Monday 6 November 2017; the reminder window reaches Thursday 9 November (3 working days).
TODAY = dt.datetime(2017, 11, 6, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            tasks.followups_sweep.delay()
    return run


def _ids(message) -> set[int]:
    return {int(pk) for pk in message.extra_headers["X-CSR-Visits"].split(",")}


@time_machine.travel(TODAY, tick=False)
def test_one_digest_per_consultant_with_due_and_overdue_visits_then_nothing_twice(
        start_placement, alice, sweep, settings):
    settings.FOLLOWUP_ESCALATION_WORKING_DAYS = 30
    # Citizens' names that no generated company, address or contact can contain: the digest
    # names no citizen.
    overdue = start_placement(start_date=D(2017, 10, 16),
                              name="Borgernavn Aksel").visits.get(kind=HALF)
    due = start_placement(start_date=D(2017, 10, 24), name="Borgernavn Bodil").visits.get(kind=HALF)
    later = start_placement(start_date=D(2017, 11, 1),
                            name="Borgernavn Carl").visits.get(kind=HALF)
    assert (overdue.due_date, due.due_date, later.due_date) == (
        D(2017, 10, 31), D(2017, 11, 8), D(2017, 11, 16))

    sweep()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    assert _ids(message) == {overdue.pk, due.pk}
    assert "31.10.2017" in message.body
    assert "OVERSKREDET" in message.body
    assert "08.11.2017" in message.body
    assert "16.11.2017" not in message.body
    assert "Borgernavn" not in message.body
    assert "CPR" not in message.body
    assert Visit.objects.filter(reminded_at__isnull=False).count() == 2

    sweep()
    sweep()
    assert len(mail.outbox) == 1


@time_machine.travel(TODAY, tick=False)
def test_each_consultant_gets_their_own_digest(start_placement, alice, programme, sweep):
    mette = UserFactory(email="mette@jobcenter.example", roles=["consultant"])
    programme.members.add(mette)
    start_placement(start_date=D(2017, 10, 24), name="A")
    start_placement(start_date=D(2017, 10, 24), name="B", consultant=mette)
    sweep()
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, mette.email]


@time_machine.travel(TODAY, tick=False)
def test_done_cancelled_and_ended_visits_are_not_reminded(start_placement, alice, sweep):
    placement = start_placement(start_date=D(2017, 10, 16))
    half = placement.visits.get(kind=HALF)
    services.visit_record(visit=half, actor=alice, done_on=D(2017, 10, 31),
                          match_quality=MatchQuality.GOOD)
    Visit.objects.create(placement=placement, kind=VisitKind.EXTRA, due_date=D(2017, 11, 7),
                         status=VisitStatus.CANCELLED)
    ended = start_placement(start_date=D(2017, 10, 20), name="Afsluttet")
    placement_services.placement_end(placement=ended, end_date=D(2017, 11, 6),
                                     outcome=PlacementOutcome.DROPPED_OUT, actor=alice)
    assert ended.visits.get(kind=HALF).status == VisitStatus.PLANNED  # due 6 Nov, unregistered
    sweep()
    assert mail.outbox == []


@time_machine.travel(TODAY, tick=False)
def test_a_moved_visit_is_reminded_again_for_its_new_date(start_placement, alice, sweep):
    visit = start_placement(start_date=D(2017, 10, 24)).visits.get(kind=HALF)
    sweep()
    services.visit_reschedule(visit=visit, actor=alice, due_date=D(2017, 11, 9),
                              reason="Lederen er syg")
    sweep()
    assert len(mail.outbox) == 2


@time_machine.travel(TODAY, tick=False)
def test_overdue_visits_escalate_to_the_programmes_team_leader_once(start_placement, bob,
                                                                    sweep, settings):
    settings.FOLLOWUP_ESCALATION_WORKING_DAYS = 5
    # Due Monday 30 October: 5 working days overdue on Monday 6 November.
    late = start_placement(start_date=D(2017, 10, 13), name="A").visits.get(kind=HALF)
    # Due Tuesday 31 October: only 4 working days overdue.
    recent = start_placement(start_date=D(2017, 10, 16), name="B").visits.get(kind=HALF)
    assert (late.due_date, recent.due_date) == (D(2017, 10, 30), D(2017, 10, 31))
    sweep()
    escalations = [m for m in mail.outbox if m.to == [bob.email]]
    assert len(escalations) == 1
    assert _ids(escalations[0]) == {late.pk}
    assert "CSR Strategi 2017" in escalations[0].subject
    sweep()
    assert len([m for m in mail.outbox if m.to == [bob.email]]) == 1
    late.refresh_from_db()
    assert late.escalated_at is not None


def test_escalation_falls_back_to_every_team_leader(programme, bob):
    programme.members.remove(bob)
    assert services.team_leaders_of(programme) == [bob]


@pytest.mark.parametrize(("today", "cutoff"), [
    (D(2017, 11, 6), D(2017, 10, 30)),   # Monday: back over the weekend
    # Friday after Easter: 13, 19, 20, 21, 22 April are the five working days.
    (D(2022, 4, 22), D(2022, 4, 12)),
])
def test_escalation_cutoff_counts_working_days(settings, today, cutoff):
    settings.FOLLOWUP_ESCALATION_WORKING_DAYS = 5
    assert services.escalation_cutoff(today) == cutoff


@time_machine.travel(dt.datetime(2022, 5, 2, 7, 0, tzinfo=dt.UTC), tick=False)
def test_the_sweep_closes_candidates_at_three_months(start_placement, sweep):
    due = start_placement(start_date=D(2022, 1, 31), name="A")
    not_yet = start_placement(start_date=D(2022, 2, 3), name="B")
    sweep()
    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert (due.closed_at, due.retained) == (D(2022, 4, 30), True)
    assert not_yet.closed_at is None


@time_machine.travel(dt.datetime(2022, 5, 2, 7, tzinfo=dt.UTC), tick=False)
def test_the_closing_is_set_based_and_closes_the_enrolments(start_placement, sweep,
                                                            django_assert_max_num_queries):
    from citizens.choices import EnrolmentStatus
    from citizens.models import Enrolment

    placements = [start_placement(start_date=D(2022, 1, 3 + n), name=f"Borger {n}")
                  for n in range(6)]
    with django_assert_max_num_queries(6 * 8):
        assert services.placements_close_due(today=D(2022, 5, 2)) == 6
    for placement in placements:
        placement.refresh_from_db()
        assert placement.retained is True
        assert placement.closed_at == placement.start_date.replace(month=4)
        assert Enrolment.objects.get(citizen=placement.citizen).status == EnrolmentStatus.CLOSED
    assert services.placements_close_due(today=D(2022, 5, 2)) == 0


def test_nothing_due_reads_only_placements_near_their_closing(start_placement):
    start_placement(start_date=D(2022, 1, 31), name="A")  # closes 30 April
    start_placement(start_date=D(2022, 3, 1), name="B")  # closes 1 June
    # On 28 April: B is not even looked at; A is (within the slack) and is not yet due.
    candidates = services.placements_due_for_closing(D(2022, 4, 28))
    assert [p.citizen.name for p in candidates] == ["A"]
    assert services.placements_close_due(today=D(2022, 4, 28)) == 0
    assert services.placements_close_due(today=D(2022, 4, 30)) == 1


@time_machine.travel(TODAY, tick=False)
def test_a_digest_of_many_visits_lists_twenty_and_counts_the_rest(start_placement, alice,
                                                                  bob, sweep, settings):
    settings.FOLLOWUP_ESCALATION_WORKING_DAYS = 1
    for n in range(services.DIGEST_LIST_LIMIT + 3):
        start_placement(start_date=D(2017, 10, 2), name=f"Borger {n}")
    sweep()
    reminder = next(m for m in mail.outbox if m.to == [alice.email])
    assert len(_ids(reminder)) == services.DIGEST_LIST_LIMIT + 3
    assert reminder.body.count("\n- ") == services.DIGEST_LIST_LIMIT
    assert "… og 3 besøg mere." in reminder.body
    escalation = next(m for m in mail.outbox if m.to == [bob.email])
    assert escalation.body.count("\n- ") == services.DIGEST_LIST_LIMIT
    assert "… og 3 besøg mere." in escalation.body
    assert "period=overdue" in escalation.body


def _closing_fixture(start_placement, alice, programme):
    """Hand-made placements for one closing on Monday 2 May 2022 (hand-counted below).

    Programme retention months 3; the CSR-job and the ordinary job are measured.
    """
    from placements.choices import OpeningKind

    programme.retention_kinds = [OpeningKind.CSR_JOB, OpeningKind.ORDINARY_JOB]
    programme.save(update_fields=["retention_kinds"])
    made = {
        # start → closing day; still active, nothing recorded: retained, enrolment closed.
        "active_31jan": start_placement(start_date=D(2022, 1, 31), name="A"),
        "active_1feb": start_placement(start_date=D(2022, 2, 1), name="B"),
        "ordinary_2feb": start_placement(start_date=D(2022, 2, 2), name="C",
                                         kind=OpeningKind.ORDINARY_JOB),
        "dropped_out": start_placement(start_date=D(2022, 1, 31), name="D"),
        "recorded_no": start_placement(start_date=D(2022, 2, 1), name="E"),
        "not_yet": start_placement(start_date=D(2022, 2, 3), name="F"),
        "internship": start_placement(start_date=D(2022, 1, 10), name="G",
                                      kind=OpeningKind.INTERNSHIP),
    }
    placement_services.placement_end(placement=made["dropped_out"], end_date=D(2022, 3, 1),
                                     outcome=PlacementOutcome.DROPPED_OUT, actor=alice)
    services.placement_record_retention(placement=made["recorded_no"], retained=False,
                                        actor=alice)
    return made


@time_machine.travel(dt.datetime(2022, 5, 2, 7, tzinfo=dt.UTC), tick=False)
def test_the_set_based_closing_gives_each_placement_its_own_day_and_retention(
        start_placement, alice, programme):
    from citizens.choices import EnrolmentStatus, ExitReason
    from citizens.models import Enrolment

    made = _closing_fixture(start_placement, alice, programme)
    assert services.placements_close_due(today=D(2022, 5, 2)) == 5
    expected = {  # closed_at, retained, enrolment status, exit date, exit reason
        "active_31jan": (D(2022, 4, 30), True, EnrolmentStatus.CLOSED, D(2022, 4, 30), ""),
        "active_1feb": (D(2022, 5, 1), True, EnrolmentStatus.CLOSED, D(2022, 5, 1), ""),
        "ordinary_2feb": (D(2022, 5, 2), True, EnrolmentStatus.CLOSED, D(2022, 5, 2),
                          ExitReason.ORDINARY_JOB),
        "dropped_out": (D(2022, 4, 30), False, EnrolmentStatus.ACTIVE, None, ""),
        "recorded_no": (D(2022, 5, 1), False, EnrolmentStatus.IN_JOB, None, ""),
        "not_yet": (None, None, EnrolmentStatus.IN_JOB, None, ""),
        "internship": (None, None, EnrolmentStatus.ACTIVE, None, ""),
    }
    found = {}
    for key, placement in made.items():
        placement.refresh_from_db()
        enrolment = Enrolment.objects.get(citizen=placement.citizen)
        found[key] = (placement.closed_at, placement.retained, enrolment.status,
                      enrolment.exit_date, enrolment.exit_reason)
    assert found == expected
    # Each closed enrolment has its audit and access-log rows: three closed, three rows.
    from auditlog.models import LogEntry

    from citizens.models import AccessLog

    assert LogEntry.objects.filter(
        content_type__model="enrolment", changes__status__1="closed").count() == 3
    assert AccessLog.objects.filter(actor__isnull=True,
                                    purpose="Afslutning af visitering").count() == 3
    assert services.placements_close_due(today=D(2022, 5, 2)) == 0


@pytest.mark.parametrize("count", [3, 12])
@time_machine.travel(dt.datetime(2022, 5, 2, 7, tzinfo=dt.UTC), tick=False)
def test_the_closing_takes_the_same_queries_for_3_and_12_placements_over_many_days(
        start_placement, count, django_assert_num_queries):
    # Twelve different closing days (31 Jan … 11 Feb → 30 Apr … 11 May), all due by 12 May.
    for n in range(count):
        start_placement(start_date=D(2022, 1, 31) + dt.timedelta(days=n), name=f"Borger {n}")
    # Programmes; ids; lock; their programmes; ONE UPDATE of the placements (a CASE branch
    # per closing day, not one UPDATE per day); enrolments; ONE UPDATE of them; INSERT audit
    # and access-log rows; two savepoints and their releases (the test runs in a transaction).
    with django_assert_num_queries(13):
        assert services.placements_close_due(today=D(2022, 5, 12)) == count


def _consultants(programme, count, prefix="konsulent"):
    made = []
    for n in range(count):
        user = UserFactory(email=f"{prefix}{n}@jobcenter.example", roles=["consultant"])
        programme.members.add(user)
        made.append(user)
    return made


@time_machine.travel(TODAY, tick=False)
def test_a_batch_of_digests_counts_and_links_each_consultants_visits(
        start_placement, alice, programme, settings):
    settings.FOLLOWUP_ESCALATION_WORKING_DAYS = 30
    [mette] = _consultants(programme, 1)
    new = [start_placement(start_date=D(2017, 10, 16 + n), name=f"A{n}").visits.get(kind=HALF)
           for n in range(3)]  # due 31 Oct, 1 and 2 Nov: overdue
    # Reminded by an earlier digest and still open: due Friday 3 Nov (overdue) and Monday
    # 6 Nov (today; 22 Oct + 15 days is a Monday).
    old = [start_placement(start_date=D(2017, 10, day), name=f"B{day}").visits.get(kind=HALF)
           for day in (19, 22)]
    assert [v.due_date for v in old] == [D(2017, 11, 3), D(2017, 11, 6)]
    Visit.objects.filter(pk__in=[v.pk for v in old]).update(reminded_at=dt.datetime(
        2017, 11, 1, 7, tzinfo=dt.UTC))
    mettes = start_placement(start_date=D(2017, 10, 24), name="C",
                             consultant=mette).visits.get(kind=HALF)

    assert services.reminder_digests_send(consultant_ids=[alice.pk, mette.pk]) == 4
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {alice.email, mette.email}
    to_alice = by_recipient[alice.email]
    assert _ids(to_alice) == {v.pk for v in new}
    assert to_alice.subject == "Opfølgningsbesøg: 3 overskredne"
    body = to_alice.body
    # Each new visit with its link; the earlier ones listed (no link) under their heading;
    # the link to the whole list.
    for visit in new:
        assert (f"- {visit.due_date:%d.%m.%Y}: ½ måned efter start, Alfa Bageri ApS"
                f" – OVERSKREDET\n  {settings.SITE_URL}/opfoelgning/{visit.pk}/") in body
    assert "Du er tidligere mindet om disse besøg, som stadig er åbne:" in body
    assert "- 03.11.2017: ½ måned efter start, Alfa Bageri ApS – OVERSKREDET" in body
    assert "- 06.11.2017: ½ måned efter start, Alfa Bageri ApS\n" in body
    assert body.count("/opfoelgning/") == 3 + 1
    assert body.count("OVERSKREDET") == 3 + 1
    assert f"{settings.SITE_URL}/opfoelgning/?consultant={alice.pk}" in body
    assert by_recipient[mette.email].subject == "Opfølgningsbesøg: 1 at planlægge"
    assert _ids(by_recipient[mette.email]) == {mettes.pk}
    assert Visit.objects.filter(reminded_at__isnull=True,
                                pk__in=[v.pk for v in new] + [mettes.pk]).count() == 0
    assert services.reminder_digests_send(consultant_ids=[alice.pk, mette.pk]) == 0


@time_machine.travel(TODAY, tick=False)
def test_a_batch_of_digests_takes_the_same_queries_for_2_and_6_consultants(
        start_placement, programme, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.FOLLOWUP_ESCALATION_WORKING_DAYS = 30
    counts = []
    for size in (2, 6):
        consultants = _consultants(programme, size, prefix=f"k{size}-")
        for n, consultant in enumerate(consultants):
            start_placement(start_date=D(2017, 10, 24), name=f"{size}-{n}", consultant=consultant)
        with CaptureQueriesContext(connection) as queries:
            assert services.reminder_digests_send(
                consultant_ids=[c.pk for c in consultants]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


@time_machine.travel(TODAY, tick=False)
def test_a_send_that_fails_keeps_the_digests_sent_before_it_and_leaves_the_rest(
        start_placement, alice, programme, monkeypatch):
    from smtplib import SMTPServerDisconnected

    from django.core.mail import EmailMessage

    [mette] = _consultants(programme, 1)
    mine = start_placement(start_date=D(2017, 10, 24), name="A").visits.get(kind=HALF)
    hers = start_placement(start_date=D(2017, 10, 24), name="B",
                           consultant=mette).visits.get(kind=HALF)
    send = EmailMessage.send

    def refuse_mette(message, *args, **kwargs):
        if message.to == [mette.email]:
            raise SMTPServerDisconnected("gone")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refuse_mette)
    with pytest.raises(SMTPServerDisconnected):
        services.reminder_digests_send(consultant_ids=[alice.pk, mette.pk])
    mine.refresh_from_db()
    hers.refresh_from_db()
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert mine.reminded_at is not None
    assert hers.reminded_at is None
    # The retry (or the next sweep) sends only what is left.
    monkeypatch.setattr(EmailMessage, "send", send)
    assert services.reminder_digests_send(consultant_ids=[alice.pk, mette.pk]) == 1
    assert [m.to for m in mail.outbox] == [[alice.email], [mette.email]]
