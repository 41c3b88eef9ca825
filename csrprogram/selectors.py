import datetime as dt

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from csrprogram.models import Programme, ReportJob, Target, User, WorkerHeartbeat
from csrprogram.policy import users_per_role


def programmes_visible_to(user: User, action: str = "view") -> QuerySet[Programme]:
    """The programmes ``user`` may ``action``, with their member counts (team leaders and
    administrators: all; consultants: the ones they work in)."""
    # Meta.ordering is not applied to aggregated queries, so order explicitly.
    return Programme.objects.restrict(user, action).annotate(
        member_count=Count("members", distinct=True)
    ).order_by("-starts_on", "name")


def programme_detail(user: User, action: str = "view") -> QuerySet[Programme]:
    """The queryset the programme page fetches its one programme from, with its members."""
    return programmes_visible_to(user, action).prefetch_related("members")


def site_overview() -> dict:
    """The administrator's home page: users per role, programmes, the worker's heartbeat.

    ``roles`` is a list of ``(Role, active user count)``; ``heartbeat`` the latest
    ``WorkerHeartbeat`` or None; ``heartbeat_stale`` whether it is older than three beat
    intervals (``CSR_HEARTBEAT_SECONDS``), i.e. beat → broker → worker is not running.
    """
    heartbeat = WorkerHeartbeat.objects.order_by("-last_seen").first()
    stale_after = dt.timedelta(seconds=3 * settings.HEARTBEAT_SECONDS)
    return {
        "roles": users_per_role(),
        "users_without_role": User.objects.filter(is_active=True, groups__isnull=True).count(),
        "programmes": list(Programme.objects.order_by("-starts_on", "name")
                           .annotate(member_count=Count("members", distinct=True))),
        "heartbeat": heartbeat,
        "heartbeat_stale": (heartbeat is None
                            or timezone.now() - heartbeat.last_seen > stale_after),
    }


def programme_targets(programme: Programme) -> QuerySet[Target]:
    """The programme's targets, grouped by metric with each metric's milestones in order."""
    return (Target.objects.filter(programme=programme)
            .select_related("reference")
            .order_by("metric_key", "deadline", "pk"))


def report_jobs_of(programme: Programme) -> QuerySet[ReportJob]:
    return (ReportJob.objects.filter(programme=programme)
            .select_related("requested_by").order_by("-created_at", "-pk"))

