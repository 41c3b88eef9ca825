"""Writes for follow-up visits, the reminder/escalation digests and the 3-month closing.

How the background work stays correct (DESIGN.md §5)
----------------------------------------------------
The visits are rows created in the same transaction as the placement, so a flushed broker
loses nothing: the beat's sweep (``followups.tasks.followups_sweep``) re-derives all due work
from the database every few minutes.

Reminders are claimed by a row lock held *while the email is sent*:

1. the sweep lists the consultants who have planned, not yet reminded visits in the reminder
   window and queues one ``reminder_digests_send_task`` per ``DIGEST_BATCH`` of them (after
   commit). Queuing the same consultant twice (two sweeps in a row, or in two workers) is
   harmless;
2. the task opens a transaction, locks those consultants' unreminded visits with ONE
   ``SELECT … FOR UPDATE SKIP LOCKED`` and re-checks ``reminded_at IS NULL``, reads what the
   digests show for all of them in a few more queries, sends ONE digest email per consultant,
   sets ``reminded_at`` on exactly the locked rows of the digests sent and commits.

A second task for the same consultant running at the same moment skips the locked rows and
finds nothing; one running afterwards finds ``reminded_at`` set. If the worker is killed in
the middle of sending, its database connection closes, PostgreSQL rolls the transaction back
and releases the locks, so ``reminded_at`` stays empty and the next sweep sends the reminders;
when Redis later redelivers the killed task (``acks_late``), it finds the rows reminded and
does nothing. We chose the lock over a lease column (``claimed_at`` + expiry) because a lease
must outlive the slowest send and would make a killed send wait for the lease to expire,
while the lock is released the moment the worker dies. The one window no design can close
is a crash after the mail server accepted a message but before the commit: the reminders of
that batch are then sent again (at least once, never silently lost). A send that *fails*
(the mail server refuses) stops the batch: the digests sent before it keep their marks, the
error is raised after the commit, and the retry or the next sweep sends the rest. Escalations
to the team leaders work the same way with ``escalated_at``, batched by programme.

Moving a visit to a new date clears ``reminded_at`` and ``escalated_at``: a reminder belongs to
a due date, so the new date gets its own reminder.

Retention (fastholdelse) at the 3-month closing
-----------------------------------------------
Only placements of the kinds the programme measures retention for are closed
(``Programme.retention_kinds``, by default the CSR-job of seed 001): an internship is a step
towards a job (seed 000) and never closes the candidate, who can go on to be hired.

At start + ``retention_months`` calendar months the sweep closes the candidate: it sets
``placement.closed_at`` to that date and ``placement.retained`` by this rule:

* the placement ended *before* the closing date: retained only if it ended because the citizen
  moved on to an ordinary job (outcome ``ordinary_job``: still employed); any other outcome
  (education, ended by the employer, dropped out, other) is not retained;
* otherwise (still active, or ended on or after the closing date): what the consultant
  recorded with a visit if they did (``placement_record_retention``), else retained.

A retained candidate's enrolment is closed (exit date = the closing date) as the programme
description says ("afsluttes i indsatsen efter 3 måneders ansættelse"); a candidate who was
not retained keeps their enrolment open for a new match.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import BooleanField, Count, DateField, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from citizens.choices import AccessAction, EnrolmentStatus, ExitReason
from citizens.models import Enrolment
from citizens.services import access_log_record, enrolments_close_at_retention
from csrprogram.bulk import case_by_value
from csrprogram.emails import email_render, language_of
from csrprogram.models import Programme, User
from csrprogram.policy import require, users_with
from csrprogram.workdays import add_working_days, is_working_day
from followups import worklist
from followups.choices import SCHEDULED_KINDS, MatchQuality, VisitKind, VisitStatus
from followups.models import CalendarFeed, Visit, VisitReschedule
from followups.schedule import aftercare_due_dates, closing_date, scheduled_due_dates
from placements.choices import OpeningKind, PlacementOutcome, PlacementStatus
from placements.models import Placement

logger = logging.getLogger(__name__)

START_CHANGED_REASON = gettext_noop("Forløbets startdato er rettet")
ENDED_REASON = gettext_noop("Forløbet er afsluttet")


def _date(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- The schedule, kept in step with the placement ----------------------------------------------

@transaction.atomic
def visits_schedule(*, placement: Placement) -> list[Visit]:
    """Create the ½- and 2½-month visits of a placement (idempotent: missing ones only)."""
    existing = set(placement.visits.filter(kind__in=SCHEDULED_KINDS)
                   .values_list("kind", flat=True))
    created = []
    for kind, due in scheduled_due_dates(placement.start_date, placement.programme).items():
        if kind in existing:
            continue
        visit = Visit(placement=placement, kind=kind, due_date=due)
        visit.full_clean()
        visit.save()
        created.append(visit)
    return created


@transaction.atomic
def visits_move_with_start(*, placement: Placement, actor: User | None = None) -> list[Visit]:
    """The start date was corrected: move the open ½- and 2½-month visits with it."""
    dues = scheduled_due_dates(placement.start_date, placement.programme)
    moved = []
    for visit in (placement.visits.select_for_update()
                  .filter(kind__in=SCHEDULED_KINDS, status=VisitStatus.PLANNED)):
        new_due = dues[visit.kind]
        if new_due == visit.due_date:
            continue
        VisitReschedule.objects.create(visit=visit, previous_due_date=visit.due_date,
                                       new_due_date=new_due, reason=_(START_CHANGED_REASON),
                                       changed_by=actor)
        visit.due_date = new_due
        visit.reminded_at = None
        visit.escalated_at = None
        visit.save(update_fields=["due_date", "reminded_at", "escalated_at"])
        moved.append(visit)
    return moved


@transaction.atomic
def visits_cancel_open(*, placement: Placement, reason: str) -> int:
    """The placement ended: its open visits after the end date will not happen.

    A visit that was due on or before the end date stays open: it may well have taken place
    and only lack its registration (it is no longer reminded or escalated, see
    ``_open_visits``).
    """
    return (placement.visits.filter(status=VisitStatus.PLANNED,
                                    due_date__gt=placement.end_date)
            .exclude(kind=VisitKind.AFTERCARE)
            .update(status=VisitStatus.CANCELLED, cancel_reason=reason[:200]))


# --- The consultant's work ------------------------------------------------------------------------

def _lock(visit: Visit) -> Visit:
    return (Visit.objects.select_for_update(of=("self",))
            .select_related("placement__programme", "placement__citizen").get(pk=visit.pk))


def _log(placement: Placement, actor: User | None, purpose: str) -> None:
    """A visit is part of the citizen's record: its changes go to the citizen's access log."""
    access_log_record(citizen=placement.citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=purpose)


@transaction.atomic
def visit_record(*, visit: Visit, actor: User, done_on: dt.date, match_quality: str,
                 met_whom: str = "", notes: str = "", agreed_actions: str = "",
                 another_visit_needed: bool = False, next_visit_on: dt.date | None = None,
                 retained: bool | None = None, today: dt.date | None = None) -> Visit:
    """Record a visit that took place. Optionally plan the next (extra) visit at once."""
    require(actor, "followups.change_visit", visit)
    today = today or timezone.localdate()
    visit = _lock(visit)
    placement = visit.placement
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("Besøget er aflyst, fordi forløbet er afsluttet. Et aflyst "
                                "besøg kan ikke registreres."))
    if visit.status == VisitStatus.DONE:
        raise ValidationError(_("Besøget er allerede registreret."))
    if done_on < placement.start_date:
        raise ValidationError({"done_on": _(
            "Besøget kan ikke ligge før forløbets start (%(date)s).")
            % {"date": _date(placement.start_date)}})
    if done_on > today:
        raise ValidationError({"done_on": _("Et besøg kan ikke registreres i fremtiden.")})
    if (visit.kind != VisitKind.AFTERCARE and placement.end_date is not None
            and done_on > placement.end_date):
        raise ValidationError({"done_on": _(
            "Forløbet sluttede den %(date)s; et besøg efter slutdatoen kan ikke registreres.")
            % {"date": _date(placement.end_date)}})
    if match_quality not in MatchQuality.values:
        raise ValidationError({"match_quality": _("Vælg en vurdering af matchet.")})
    if another_visit_needed and next_visit_on is None:
        raise ValidationError({"next_visit_on": _("Angiv datoen for det næste besøg.")})
    visit.status = VisitStatus.DONE
    visit.done_on = done_on
    visit.match_quality = match_quality
    visit.met_whom = met_whom.strip()
    visit.notes = notes.strip()
    visit.agreed_actions = agreed_actions.strip()
    visit.another_visit_needed = another_visit_needed
    visit.recorded_by = actor
    visit.full_clean()
    visit.save()
    _log(placement, actor, _("Registrering af opfølgningsbesøg"))
    if another_visit_needed:
        visit_add_extra(placement=placement, actor=actor, due_date=next_visit_on, today=today,
                        kind=VisitKind.AFTERCARE if visit.kind == VisitKind.AFTERCARE
                        else VisitKind.EXTRA)
    if retained is not None:
        placement_record_retention(placement=placement, retained=retained, actor=actor)
    return visit


@transaction.atomic
def visit_reschedule(*, visit: Visit, actor: User, due_date: dt.date, reason: str,
                     today: dt.date | None = None) -> Visit:
    require(actor, "followups.change_visit", visit)
    today = today or timezone.localdate()
    visit = _lock(visit)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(_("Kun planlagte besøg kan flyttes."))
    if not reason.strip():
        raise ValidationError({"reason": _("Angiv en begrundelse for flytningen.")})
    if due_date < today:
        raise ValidationError({"due_date": _(
            "Et besøg kan ikke flyttes til en dato, der er passeret.")})
    if due_date == visit.due_date:
        raise ValidationError({"due_date": _("Besøget ligger allerede på denne dato.")})
    VisitReschedule.objects.create(visit=visit, previous_due_date=visit.due_date,
                                   new_due_date=due_date, reason=reason.strip()[:300],
                                   changed_by=actor)
    visit.due_date = due_date
    visit.reminded_at = None
    visit.escalated_at = None
    visit.save(update_fields=["due_date", "reminded_at", "escalated_at"])
    _log(visit.placement, actor, _("Flytning af opfølgningsbesøg"))
    return visit


@transaction.atomic
def visit_add_extra(*, placement: Placement, actor: User, due_date: dt.date, notes: str = "",
                    kind: str = VisitKind.EXTRA, today: dt.date | None = None) -> Visit:
    """Plan an extra visit (or one more aftercare visit) for a placement."""
    require(actor, "followups.add_visit", placement)
    today = today or timezone.localdate()
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if kind == VisitKind.AFTERCARE:
        if not (placement.closed_at and placement.retained):
            raise ValidationError(_("Efterværn tilbydes kun borgere, der er afsluttet i "
                                    "programmet og stadig er i job."))
    elif placement.status != PlacementStatus.ACTIVE:
        raise ValidationError(_("Forløbet er afsluttet; der kan ikke planlægges flere besøg."))
    if due_date < today:
        raise ValidationError({"due_date": _("Et nyt besøg kan ikke planlægges i fortiden.")})
    visit = Visit(placement=placement, kind=kind, due_date=due_date, notes=notes.strip())
    visit.full_clean()
    visit.save()
    _log(placement, actor, _("Planlægning af ekstra opfølgningsbesøg"))
    return visit


@transaction.atomic
def aftercare_plan(*, placement: Placement, actor: User, visits: int | None = None,
                   interval_months: int | None = None,
                   today: dt.date | None = None) -> list[Visit]:
    """Offer aftercare (efterværn, seed 003): a series of visits after the closing.

    Only for a citizen who was closed as still employed (self-supporting). The series starts
    one interval after the closing date; dates already past are planned from today instead.
    """
    require(actor, "followups.add_visit", placement)
    today = today or timezone.localdate()
    visits = visits or settings.FOLLOWUP_AFTERCARE_VISITS
    interval_months = interval_months or settings.FOLLOWUP_AFTERCARE_INTERVAL_MONTHS
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if not (placement.closed_at and placement.retained):
        raise ValidationError(_("Efterværn tilbydes kun borgere, der er afsluttet i "
                                "programmet og stadig er i job."))
    if placement.visits.filter(kind=VisitKind.AFTERCARE, status=VisitStatus.PLANNED).exists():
        raise ValidationError(_("Borgeren har allerede planlagte efterværnsbesøg."))
    if not 1 <= visits <= 12:
        raise ValidationError({"visits": _("Vælg mellem 1 og 12 besøg.")})
    start = max(placement.closed_at, today)
    created = []
    for due in aftercare_due_dates(start, visits=visits, interval_months=interval_months):
        visit = Visit(placement=placement, kind=VisitKind.AFTERCARE, due_date=due)
        visit.full_clean()
        visit.save()
        created.append(visit)
    _log(placement, actor, _("Planlægning af efterværn"))
    return created


# --- Retention and the 3-month closing -----------------------------------------------------------

@transaction.atomic
def placement_record_retention(*, placement: Placement, retained: bool,
                               actor: User) -> Placement:
    """The consultant records whether the citizen is still employed (used at the closing,
    or correcting it afterwards)."""
    require(actor, "followups.change_visit", placement)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    placement.retained = retained
    placement.save(update_fields=["retained"])
    _log(placement, actor, _("Registrering af fastholdelse"))
    return placement


def is_retained(placement: Placement, closes_on: dt.date) -> bool:
    """The retention rule (see the module docstring)."""
    if placement.end_date is not None and placement.end_date < closes_on:
        return placement.outcome == PlacementOutcome.ORDINARY_JOB
    if placement.retained is not None:
        return placement.retained
    return True


def _open_enrolments(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Enrolment]:
    """The open enrolment of each (citizen id, programme id), locked, in one query."""
    if not pairs:
        return {}
    wanted = Q(pk__in=[])
    for citizen_id, programme_id in pairs:
        wanted |= Q(citizen_id=citizen_id, programme_id=programme_id)
    found: dict[tuple[int, int], Enrolment] = {}
    # What the audit rows' text (str(enrolment)) reads: the citizen's display name (the name,
    # or a label for a restricted or erased citizen) and the programme's name.
    for enrolment in (Enrolment.objects.select_for_update(of=("self",))
                      .select_related("citizen", "programme")
                      .only("citizen_id", "programme_id", "enrolled_on", "status", "exit_date",
                            "exit_reason", "citizen__name", "citizen__restricted_at",
                            "citizen__erased_at", "programme__name").filter(wanted)
                      .filter(status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.IN_JOB))
                      .order_by("pk")):
        found.setdefault((enrolment.citizen_id, enrolment.programme_id), enrolment)
    return found


def _close_batch(placement_ids: list[int], *, today: dt.date) -> int:
    """Close the due placements among ``placement_ids`` in one transaction, set-based.

    The rows are claimed with ``select_for_update(skip_locked=True)`` and re-checked (still
    unclosed, due, a measured kind), so two sweeps at once close each placement once.
    """
    with transaction.atomic():
        claimed = list(Placement.objects.select_for_update(skip_locked=True, of=("self",))
                       .filter(pk__in=placement_ids, closed_at__isnull=True).order_by("pk"))
        programmes = Programme.objects.in_bulk({p.programme_id for p in claimed})
        due = []
        for placement in claimed:
            programme = programmes[placement.programme_id]
            if placement.kind not in programme.retention_kinds:
                continue
            closes_on = closing_date(placement.start_date, programme)
            if closes_on > today:
                continue
            placement.retained = is_retained(placement, closes_on)
            placement.closed_at = closes_on
            due.append(placement)
        if not due:
            return 0
        Placement.objects.filter(pk__in=[p.pk for p in due]).update(
            retained=case_by_value(due, "retained", output_field=BooleanField()),
            closed_at=case_by_value(due, "closed_at", output_field=DateField()))
        enrolments = _open_enrolments({(p.citizen_id, p.programme_id)
                                       for p in due if p.retained})
        closings = []
        for placement in due:
            enrolment = enrolments.pop((placement.citizen_id, placement.programme_id), None)
            if placement.retained and enrolment is not None:
                ordinary = (placement.kind == OpeningKind.ORDINARY_JOB
                            or placement.outcome == PlacementOutcome.ORDINARY_JOB)
                closings.append((enrolment, placement.closed_at,
                                  ExitReason.ORDINARY_JOB if ordinary else ""))
        enrolments_close_at_retention(closings=closings)
    return len(due)


def placement_close(*, placement_id: int, today: dt.date) -> bool:
    """Close one candidate at 3 months if due. Safe to run twice or in two workers at once."""
    return bool(_close_batch([placement_id], today=today))


# The sweep closes this many placements per transaction (row locks held briefly).
CLOSING_BATCH = 500
# Slack of the SQL narrowing: "start + N months" clips at a month's end (30 Nov + 3 months
# is 28 Feb), so "start <= today - N months" could miss a few days; _close_batch decides.
_CLOSING_SLACK = dt.timedelta(days=4)


def placements_due_for_closing(today: dt.date) -> QuerySet[Placement]:
    """Placements that may be due for the 3-month closing on ``today``.

    Only the kinds each programme measures retention for, started at least the programme's
    retention months (less a few days' slack) before ``today``: a range on the start date
    that the partial index ``placement_open_start`` (unclosed placements by start date)
    serves, so a sweep with nothing due reads a handful of rows (issue 14: every unclosed
    placement older than 28 days, one transaction each). ``_close_batch`` decides exactly.
    """
    from dateutil.relativedelta import relativedelta

    measured = Q(pk__in=[])
    for programme_id, kinds, months in Programme.objects.values_list(
            "pk", "retention_kinds", "retention_months"):
        if kinds:
            latest_start = today - relativedelta(months=months) + _CLOSING_SLACK
            measured |= Q(programme_id=programme_id, kind__in=kinds,
                          start_date__lte=latest_start)
    return (Placement.objects.filter(measured, closed_at__isnull=True)
            .order_by("start_date", "pk"))


def placements_close_due(*, today: dt.date) -> int:
    """Close every placement due for its 3-month closing on ``today``; returns how many.

    In batches of ``CLOSING_BATCH``: one query to lock a batch, one ``bulk_update``, one to
    find the enrolments to close (issue 14: one transaction of three queries per placement).
    """
    ids = list(placements_due_for_closing(today).values_list("pk", flat=True))
    closed = 0
    for offset in range(0, len(ids), CLOSING_BATCH):
        closed += _close_batch(ids[offset:offset + CLOSING_BATCH], today=today)
    return closed


# --- Reminders and escalations -------------------------------------------------------------------

def reminder_window_end(today: dt.date) -> dt.date:
    """Visits due up to this day are in the reminder window (overdue ones included)."""
    return add_working_days(today, settings.FOLLOWUP_REMINDER_WORKING_DAYS)


def escalation_cutoff(today: dt.date) -> dt.date:
    """Open visits due on or before this day are overdue by the escalation's working days."""
    day, counted = today, 0
    while counted < settings.FOLLOWUP_ESCALATION_WORKING_DAYS:
        if is_working_day(day):
            counted += 1
        day -= dt.timedelta(days=1)
    return day


def _open_visits() -> QuerySet[Visit]:
    return Visit.objects.filter(status=VisitStatus.PLANNED,
                                placement__status=PlacementStatus.ACTIVE)


def consultants_due_for_reminder(today: dt.date) -> list[int]:
    """Consultants with unreminded visits (or other apps' work items) in the window."""
    visits = set(_open_visits()
                 .filter(reminded_at__isnull=True, due_date__lte=reminder_window_end(today),
                         placement__consultant__isnull=False)
                 .values_list("placement__consultant_id", flat=True).distinct()
                 .order_by("placement__consultant_id"))
    return sorted(visits | worklist.consultants_due(today))


def programmes_due_for_escalation(today: dt.date) -> list[int]:
    return list(_open_visits()
                .filter(escalated_at__isnull=True, due_date__lte=escalation_cutoff(today))
                .values_list("placement__programme_id", flat=True).distinct()
                .order_by("placement__programme_id"))


# A digest lists at most this many visits of each kind, then says how many more and links to
# the work list (issue 14: one consultant's digest of thousands of visits grew to 442 KB).
DIGEST_LIST_LIMIT = 20
# One digest task sends the digests of at most this many consultants (or programmes), with
# what they need read in a few queries for all of them (issue 14: ~10 queries and a full
# template render per consultant made the digests two thirds of a 5,000-item sweep).
DIGEST_BATCH = 50


@dataclass(frozen=True)
class DigestLine:
    """One visit as a digest lists it, formatted in the recipient's language."""

    pk: int
    date: str
    kind: str
    company: str
    overdue: bool
    url: str
    consultant: str = ""


def _visit_url_maker() -> Callable[[int], str]:
    """``reverse("followups:visit-detail")`` for many visits at the cost of one reverse."""
    sentinel = 987654321
    before, after = reverse("followups:visit-detail", args=[sentinel]).split(str(sentinel))
    return lambda pk: f"{before}{pk}{after}"


def _digest_lines(visits: list[Visit], *, today: dt.date,
                  with_consultant: bool = False) -> list[DigestLine]:
    """The visits as digest lines under the active language (dates formatted once per day)."""
    url = _visit_url_maker()
    dates: dict[dt.date, str] = {}
    kinds = {value: str(label) for value, label in VisitKind.choices}
    lines = []
    for visit in visits:
        if visit.due_date not in dates:
            dates[visit.due_date] = _date(visit.due_date)
        consultant = ""
        if with_consultant and visit.placement.consultant_id is not None:
            consultant = str(visit.placement.consultant)
        lines.append(DigestLine(pk=visit.pk, date=dates[visit.due_date], kind=kinds[visit.kind],
                                company=visit.placement.company.name,
                                overdue=visit.due_date < today, url=url(visit.pk),
                                consultant=consultant))
    return lines


def _digest_visits(queryset: QuerySet[Visit], *, consultant: bool = False) -> QuerySet[Visit]:
    """Only the columns a digest shows (no citizen: a digest never names the citizen)."""
    related = ["placement__company"] + (["placement__consultant"] if consultant else [])
    fields = ["kind", "due_date", "placement__consultant_id", "placement__programme_id",
              "placement__company__name"]
    if consultant:
        fields += ["placement__consultant__first_name", "placement__consultant__last_name",
                   "placement__consultant__email"]
    return queryset.select_related(*related).only(*fields).order_by("due_date", "pk")


def _send(*, subject_parts: Callable[[], str], template: str,
          context: Callable[[], dict] | dict, to: User, visits: list[int],
          programme: Programme | None = None) -> None:
    """One email to ``to``, in their language: ``subject_parts()`` (and ``context`` when it is
    a callable) are called under that language; the body has the emails' greeting and
    sign-off (``csrprogram.emails``). ``visits`` (ids) go in the ``X-CSR-Visits`` header."""
    language = language_of(to)
    with translation.override(language):
        subject = subject_parts()
        if callable(context):
            context = context()
    subject, body = email_render(subject=subject, body_template=template, context=context,
                                 language=language, programme=programme,
                                 name=to.get_full_name())
    message = EmailMessage(subject=subject, body=body, to=[to.email],
                           headers={"X-CSR-Visits": ",".join(str(pk) for pk in visits)})
    message.send()


def digest_subject(*, overdue: int, upcoming: int) -> str:
    """The digest's subject, counting overdue and coming visits apart (an overdue visit is
    not "new"): "Opfølgningsbesøg: 1 overskredet, 2 at planlægge"."""
    parts = []
    if overdue:
        parts.append(ngettext("%(count)s overskredet", "%(count)s overskredne", overdue)
                     % {"count": overdue})
    if upcoming:
        parts.append(ngettext("%(count)s at planlægge", "%(count)s at planlægge", upcoming)
                     % {"count": upcoming})
    return _("Opfølgningsbesøg: %(counts)s") % {"counts": ", ".join(parts)}


def _first_per(queryset: QuerySet[Visit], key: str, limit: int) -> dict[int, list[Visit]]:
    """The first ``limit`` visits of ``queryset`` (by due date) per value of ``key``, in one
    query (a ``ROW_NUMBER()`` window per group)."""
    ranked = queryset.annotate(rank=Window(RowNumber(), partition_by=[F(key)],
                                           order_by=[F("due_date").asc(), F("pk").asc()]))
    groups: dict[int, list[Visit]] = defaultdict(list)
    for visit in ranked.filter(rank__lte=limit):
        groups[getattr(visit.placement, key.removeprefix("placement__"))].append(visit)
    return groups


def _send_each(jobs: list[tuple[int, Callable[[], None], bool]]) -> tuple[list[int],
                                                                         Exception | None]:
    """Run ``(key, send, needs_savepoint)`` jobs in order; stop at the first failure.

    Returns the keys whose send succeeded and the failure (or None). A job that writes
    before it sends (other apps' claims) runs in a savepoint, so a failed send leaves none of
    its marks behind. The caller commits the marks of the sent keys and then raises the
    failure (Celery retries the task, which finds those already reminded).
    """
    sent = []
    for key, send, needs_savepoint in jobs:
        try:
            if needs_savepoint:
                with transaction.atomic():
                    send()
            else:
                send()
        except Exception as error:  # raised again by the caller, after the commit
            logger.warning("Digest %s not sent: %r", key, error)
            return sent, error
        sent.append(key)
    return sent, None


def reminder_digests_send(*, consultant_ids: list[int], today: dt.date | None = None) -> int:
    """Send each consultant ONE digest of their due and overdue visits (and other apps'
    due work); returns the visits and items reminded.

    For many consultants at once (``DIGEST_BATCH``), in one transaction: the consultants'
    unreminded visits in the window are locked (``SKIP LOCKED``) and re-checked in ONE query,
    the visits reminded before and still open are counted and the first
    ``DIGEST_LIST_LIMIT`` of each consultant read in two more, other apps' items are claimed
    only for the consultants that have some; then the emails are sent one by one while the
    rows stay locked (module docstring) and ``reminded_at`` is set on the sent digests'
    visits in one UPDATE. If a send fails the digests sent before it keep their marks, the
    rest are left to the retry or the next sweep, and the error is raised after the commit.
    A worker killed while sending rolls the whole batch back: its digests go out again (at
    least once, never silently lost).
    """
    today = today or timezone.localdate()
    consultants = list(User.objects.filter(pk__in=consultant_ids, is_active=True)
                       .exclude(email="").order_by("pk"))
    if not consultants:
        return 0
    ids = [consultant.pk for consultant in consultants]
    window_end = reminder_window_end(today)
    in_window = _open_visits().filter(placement__consultant_id__in=ids,
                                      due_date__lte=window_end)
    other_due = worklist.consultants_due_by_source(today)
    failure = None
    with transaction.atomic():
        claimed: dict[int, list[Visit]] = defaultdict(list)
        for visit in _digest_visits(in_window.select_for_update(skip_locked=True, of=("self",))
                                    .filter(reminded_at__isnull=True)):
            claimed[visit.placement.consultant_id].append(visit)
        also_open = in_window.filter(reminded_at__isnull=False)
        also_counts = dict(also_open.values("placement__consultant_id")
                           .annotate(n=Count("pk")).values_list("placement__consultant_id", "n"))
        wanted = [pk for pk in ids if pk in claimed or other_due.get(pk)]
        also_first = (_first_per(_digest_visits(also_open.filter(
                          placement__consultant_id__in=wanted)),
                          "placement__consultant_id", DIGEST_LIST_LIMIT)
                      if wanted and any(also_counts.get(pk) for pk in wanted) else {})
        counted: dict[int, int] = {}

        def job(consultant: User) -> Callable[[], None]:
            def send() -> None:
                visits = claimed.get(consultant.pk, [])
                # Other apps' due work (next steps, spotted jobs) joins the same digest; its
                # reminded marks commit with the visits' (followups.worklist).
                other_work = worklist.claim(consultant.pk, today,
                                            keys=other_due.get(consultant.pk, set()))
                if not visits and not other_work:
                    counted[consultant.pk] = 0
                    return
                overdue = sum(1 for visit in visits if visit.due_date < today)
                others = also_first.get(consultant.pk, [])
                _send(subject_parts=lambda: digest_subject(overdue=overdue,
                                                           upcoming=len(visits) - overdue),
                      template="followups/email/reminder_digest.txt",
                      context=lambda: {
                          "consultant": consultant, "today": today,
                          "new_visits": _digest_lines(visits[:DIGEST_LIST_LIMIT], today=today),
                          "new_more": max(0, len(visits) - DIGEST_LIST_LIMIT),
                          "other_visits": _digest_lines(others, today=today),
                          "other_more": max(0, also_counts.get(consultant.pk, 0)
                                            - DIGEST_LIST_LIMIT),
                          "other_work": other_work},
                      to=consultant, visits=[visit.pk for visit in visits])
                counted[consultant.pk] = len(visits) + sum(len(section["items"])
                                                           for section in other_work)
            return send

        sent, failure = _send_each([(c.pk, job(c), bool(other_due.get(c.pk)))
                                    for c in consultants if c.pk in wanted])
        reminded = [visit.pk for pk in sent for visit in claimed.get(pk, [])]
        if reminded:
            Visit.objects.filter(pk__in=reminded).update(reminded_at=timezone.now())
    if failure is not None:
        raise failure
    total = sum(counted.get(pk, 0) for pk in sent)
    logger.info("Reminded %s consultants of %s visits and other items", len(sent), total)
    return total


def reminder_digest_send(*, consultant_id: int, today: dt.date | None = None) -> int:
    """Send one consultant's digest (``reminder_digests_send`` for one); returns visits and
    items reminded. See the module docstring for why the rows stay locked while sending."""
    return reminder_digests_send(consultant_ids=[consultant_id], today=today)


def _team_leaders_by_programme(programme_ids: list[int]) -> dict[int, list[User]]:
    """Each programme's team leaders (``team_leaders_of``) for many programmes, two queries."""
    receivers = list(users_with("followups.receive_escalation").exclude(email="")
                     .order_by("pk"))
    by_pk = {user.pk: user for user in receivers}
    members: dict[int, list[User]] = defaultdict(list)
    for programme_id, user_id in (Programme.members.through.objects
                                  .filter(programme_id__in=programme_ids, user_id__in=by_pk)
                                  .order_by("user_id").values_list("programme_id", "user_id")):
        members[programme_id].append(by_pk[user_id])
    return {pk: members.get(pk) or receivers for pk in programme_ids}


def team_leaders_of(programme: Programme) -> list[User]:
    """The programme's team leaders; every team leader if the programme names none."""
    return _team_leaders_by_programme([programme.pk])[programme.pk]


def escalations_send(*, programme_ids: list[int], today: dt.date | None = None) -> int:
    """Tell each programme's team leader(s) about visits overdue beyond the limit, once per
    visit; returns the visits escalated.

    Like ``reminder_digests_send``: for many programmes at once, the overdue unescalated
    visits locked (``SKIP LOCKED``) and read in one query, the team leaders in two, one email
    per team leader in their own language, ``escalated_at`` set in one UPDATE for the
    programmes whose emails all went out.
    """
    today = today or timezone.localdate()
    programmes = list(Programme.objects.filter(pk__in=programme_ids).order_by("pk"))
    if not programmes:
        return 0
    leaders = _team_leaders_by_programme([p.pk for p in programmes])
    for programme in programmes:
        if not leaders[programme.pk]:
            logger.warning("No team leader to escalate overdue visits of programme %s",
                           programme.pk)
    programmes = [p for p in programmes if leaders[p.pk]]
    if not programmes:
        return 0
    failure = None
    with transaction.atomic():
        claimed: dict[int, list[Visit]] = defaultdict(list)
        for visit in _digest_visits(
                _open_visits().select_for_update(skip_locked=True, of=("self",))
                .filter(placement__programme_id__in=[p.pk for p in programmes],
                        escalated_at__isnull=True, due_date__lte=escalation_cutoff(today)),
                consultant=True):
            claimed[visit.placement.programme_id].append(visit)

        def job(programme: Programme) -> Callable[[], None]:
            visits = claimed[programme.pk]
            count = len(visits)

            def send() -> None:
                # One email per team leader, each in their own language.
                for leader in leaders[programme.pk]:
                    _send(subject_parts=lambda: ngettext(
                              "%(count)s overskredet opfølgningsbesøg i %(programme)s",
                              "%(count)s overskredne opfølgningsbesøg i %(programme)s", count)
                          % {"count": count, "programme": programme.name},
                          template="followups/email/escalation.txt",
                          context=lambda: {
                              "programme": programme, "today": today,
                              "visits": _digest_lines(visits[:DIGEST_LIST_LIMIT], today=today,
                                                      with_consultant=True),
                              "more": max(0, count - DIGEST_LIST_LIMIT),
                              "days": settings.FOLLOWUP_ESCALATION_WORKING_DAYS},
                          to=leader, visits=[visit.pk for visit in visits],
                          programme=programme)
            return send

        sent, failure = _send_each([(p.pk, job(p), False) for p in programmes
                                    if claimed.get(p.pk)])
        escalated = [visit.pk for pk in sent for visit in claimed[pk]]
        if escalated:
            Visit.objects.filter(pk__in=escalated).update(escalated_at=timezone.now())
    if failure is not None:
        raise failure
    return len(escalated)


def escalation_send(*, programme_id: int, today: dt.date | None = None) -> int:
    """Escalate one programme's overdue visits (``escalations_send`` for one)."""
    return escalations_send(programme_ids=[programme_id], today=today)


# --- The calendar feed ---------------------------------------------------------------------------

@transaction.atomic
def calendar_feed_create(*, user: User) -> CalendarFeed:
    """Give the user a new secret calendar address; any previous address stops working."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
