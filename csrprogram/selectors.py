from django.db.models import Count, QuerySet

from csrprogram.models import Programme, User


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
