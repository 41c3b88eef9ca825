"""Reads for citizens, always scoped to the user (a citizen outside their programmes is a 404)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from citizens import cpr as cpr_tools
from citizens.models import AccessLog, Citizen, Consent, Enrolment
from csrprogram.models import Programme, User


def citizens_visible_to(user: User) -> QuerySet[Citizen]:
    """Team leaders and administrators see every citizen; a consultant sees the citizens
    enrolled in a programme they work in, and the citizens assigned to them."""
    queryset = Citizen.objects.select_related("consultant").order_by("name", "pk")
    if user.is_superuser or user.is_administrator or user.is_team_leader:
        return queryset
    if user.is_consultant:
        in_my_programmes = Enrolment.objects.filter(
            citizen=OuterRef("pk"), programme__members=user)
        return queryset.filter(Q(Exists(in_my_programmes)) | Q(consultant=user))
    return queryset.none()


def citizen_list(user: User) -> QuerySet[Citizen]:
    return citizens_visible_to(user).prefetch_related(
        Prefetch("enrolments",
                 queryset=Enrolment.objects.select_related("programme")
                 .order_by("-enrolled_on", "pk")))


def citizen_detail(user: User, pk: int) -> Citizen:
    return (
        citizens_visible_to(user)
        .prefetch_related(
            Prefetch("enrolments",
                     queryset=Enrolment.objects.select_related("programme",
                                                               "referring_consultant")
                     .order_by("-enrolled_on", "pk")),
            Prefetch("consents",
                     queryset=Consent.objects.select_related("recorded_by")
                     .order_by("-given_on", "-pk")),
        )
        .get(pk=pk)
    )


def citizen_by_cpr(user: User, cpr: str) -> Citizen | None:
    """Find a visible citizen by a typed (already validated) CPR number, via the blind index."""
    return citizens_visible_to(user).filter(
        cpr_index__in=cpr_tools.cpr_index_candidates(cpr)).first()


def programmes_for_enrolment(user: User) -> QuerySet[Programme]:
    queryset = Programme.objects.filter(is_active=True).order_by("-starts_on", "name")
    if user.is_superuser or user.is_administrator:
        return queryset
    return queryset.filter(members=user)


def access_log_for(citizen: Citizen) -> QuerySet[AccessLog]:
    return citizen.access_logs.select_related("actor").order_by("-at", "-pk")
