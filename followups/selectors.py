"""Reads for follow-up visits, scoped to the user like the placements they belong to.

Team leaders and administrators see every visit; a consultant sees the visits of the programmes
they work in; company contacts see none (the visit notes are the job centre's).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from citizens.models import Citizen
from companies.models import Company
from csrprogram.models import User
from followups.choices import Period, VisitKind, VisitStatus
from followups.models import CalendarFeed, Visit, VisitReschedule
from placements.models import Placement


def visits_visible_to(user: User, action: str = "view") -> QuerySet[Visit]:
    """The visits ``user`` may ``action`` (``Visit.access_scopes``)."""
    return (Visit.objects.restrict(user, action)
            .select_related("placement__citizen", "placement__company",
                            "placement__consultant", "placement__programme")
            .order_by("due_date", "pk"))


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def period_q(period: str, today: dt.date) -> Q:
    """The work list's buckets. "This week" is today up to Sunday; earlier is overdue."""
    _monday, sunday = week_bounds(today)
    planned = Q(status=VisitStatus.PLANNED)
    if period == Period.OVERDUE:
        return planned & Q(due_date__lt=today)
    if period == Period.THIS_WEEK:
        return planned & Q(due_date__gte=today, due_date__lte=sunday)
    if period == Period.UPCOMING:
        return planned & Q(due_date__gt=sunday)
    if period == Period.DONE:
        return Q(status=VisitStatus.DONE)
    raise ValueError(period)


def visit_work_list(user: User) -> QuerySet[Visit]:
    return visits_visible_to(user)


def work_list_counts(queryset: QuerySet[Visit], today: dt.date) -> dict[str, int]:
    """How many visits of the (filtered) list fall in each bucket, in one query.

    Every bucket counts planned visits only, so the query reads the planned ones (index
    ``visit_status_due``), not the programmes' whole history of done visits (issue 14).
    """
    return queryset.filter(status=VisitStatus.PLANNED).order_by().aggregate(**{
        period: Count("pk", filter=period_q(period, today))
        for period in (Period.OVERDUE, Period.THIS_WEEK, Period.UPCOMING)
    })


def visit_detail(user: User, action: str = "view") -> QuerySet[Visit]:
    """The queryset the visit pages fetch their one visit from, with its reschedules."""
    return (visits_visible_to(user, action)
            .select_related("recorded_by")
            .prefetch_related(Prefetch(
                "reschedules",
                queryset=VisitReschedule.objects.select_related("changed_by")
                .order_by("-changed_at", "-pk"))))


def placement_for_visits(user: User) -> QuerySet[Placement]:
    """The placements the user may plan visits for (``followups.add_visit`` in their scope)."""
    return (Placement.objects.restrict(user, ability="followups.add_visit")
            .select_related("citizen", "company", "programme"))


# --- Snippets on other apps' pages ---------------------------------------------------------------

def visits_for_citizen(user: User, citizen: Citizen) -> list[Visit]:
    return list(visits_visible_to(user).filter(placement__citizen=citizen)
                .order_by("-placement__start_date", "due_date", "pk"))


def visits_for_placement(user: User, placement: Placement) -> list[Visit]:
    return list(visits_visible_to(user).filter(placement=placement).order_by("due_date", "pk"))


# How many of a company's visits its page shows; the rest are on the work list.
COMPANY_VISITS_SHOWN = 20


def visits_for_company(user: User, company: Company, *,
                       limit: int = COMPANY_VISITS_SHOWN) -> list[Visit]:
    """The company's visits ``user`` may see, latest due date first, at most ``limit``.

    For the busiest company (thousands of visits) PostgreSQL reads along the index
    ``visit_latest_due`` until ``limit`` belong to it instead of sorting them all (issue 14:
    19 → 10 ms at municipal scale); for a small company it reads the company's own visits."""
    return list(visits_visible_to(user).filter(placement__company=company)
                .order_by("-due_date", "pk")[:limit])


def visits_of_consultant(user: User, *, today: dt.date | None = None,
                         limit: int = 10) -> list[Visit]:
    """The consultant's open visits up to the end of next week, overdue first."""
    today = today or timezone.localdate()
    _monday, sunday = week_bounds(today)
    return list(visits_visible_to(user)
                .filter(placement__consultant=user, status=VisitStatus.PLANNED,
                        due_date__lte=sunday + dt.timedelta(days=7))
                .order_by("due_date", "pk")[:limit])


def aftercare_candidates(user: User, citizen: Citizen) -> list[Placement]:
    """The citizen's closed, retained placements without planned aftercare."""
    placements = (Placement.objects.restrict(user, ability="followups.add_visit")
                  .filter(citizen=citizen, closed_at__isnull=False, retained=True))
    planned_aftercare = Visit.objects.filter(placement=OuterRef("pk"),
                                             kind=VisitKind.AFTERCARE,
                                             status=VisitStatus.PLANNED)
    return list(placements.filter(~Exists(planned_aftercare))
                .select_related("company").order_by("-closed_at", "pk"))


# --- The calendar ---------------------------------------------------------------------------------

def calendar_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_visits(token: str) -> tuple[User, list[Visit]] | None:
    """The planned visits behind a feed token, or None for an unknown or revoked token."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    since = timezone.localdate() - dt.timedelta(days=90)
    visits = list(Visit.objects.select_related("placement__company")
                  .filter(placement__consultant=feed.user, status=VisitStatus.PLANNED,
                          due_date__gte=since)
                  .order_by("due_date", "pk"))
    return feed.user, visits
