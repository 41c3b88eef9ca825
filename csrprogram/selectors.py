from django.db.models import Count, QuerySet

from csrprogram.models import Programme, ReportJob, Target, User


def programmes_visible_to(user: User) -> QuerySet[Programme]:
    """Team leaders and administrators see every programme; consultants the ones they work in."""
    # Meta.ordering is not applied to aggregated queries, so order explicitly.
    queryset = Programme.objects.annotate(
        member_count=Count("members", distinct=True)
    ).order_by("-starts_on", "name")
    if user.is_team_leader or user.is_administrator:
        return queryset
    if user.is_consultant:
        return queryset.filter(members=user)
    return queryset.none()


def programme_detail(user: User, pk: int) -> Programme:
    return (
        programmes_visible_to(user)
        .prefetch_related("members")
        .get(pk=pk)
    )


def programme_for_user(user: User, pk: int) -> Programme:
    """A programme the user can see, without its members (the dashboard and targets pages)."""
    return programmes_visible_to(user).get(pk=pk)


def programme_targets(programme: Programme) -> QuerySet[Target]:
    """The programme's targets, grouped by metric with each metric's milestones in order."""
    return (Target.objects.filter(programme=programme)
            .select_related("reference")
            .order_by("metric_key", "deadline", "pk"))


def target_detail(programme: Programme, pk: int) -> Target:
    """A target of a programme already fetched for the user; another programme's is missing."""
    return programme_targets(programme).get(pk=pk)


def report_jobs_of(programme: Programme) -> QuerySet[ReportJob]:
    return (ReportJob.objects.filter(programme=programme)
            .select_related("requested_by").order_by("-created_at", "-pk"))


def report_job_detail(programme: Programme, pk: int) -> ReportJob:
    return report_jobs_of(programme).get(pk=pk)
