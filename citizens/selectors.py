"""Reads for citizens, always scoped to the user (a citizen outside their programmes is a 404)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from citizens import cpr as cpr_tools
from citizens.models import AccessLog, Citizen, Consent, Enrolment
from csrprogram.models import Programme, User


def citizens_visible_to(user: User, action: str = "view", *,
                        ability: str | None = None) -> QuerySet[Citizen]:
    """The citizens ``user`` may ``action`` (``Citizen.access_scopes``: team leaders and
    administrators all; a consultant those enrolled in a programme they work in and their own
    caseload). ``ability`` checks another ability against the same scope."""
    return (Citizen.objects.restrict(user, action, ability=ability)
            .select_related("consultant").order_by("name", "pk"))


def citizen_list(user: User) -> QuerySet[Citizen]:
    return citizens_visible_to(user).prefetch_related(
        Prefetch("enrolments",
                 queryset=Enrolment.objects.select_related("programme")
                 .order_by("-enrolled_on", "pk")))


def citizen_detail(user: User) -> QuerySet[Citizen]:
    """The queryset the citizen page fetches its one citizen from."""
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
    )


def citizen_by_cpr(user: User, cpr: str) -> Citizen | None:
    """Find a visible citizen by a typed (already validated) CPR number, via the blind index."""
    return citizens_visible_to(user).filter(
        cpr_index__in=cpr_tools.cpr_index_candidates(cpr)).first()


def programmes_for_enrolment(user: User) -> QuerySet[Programme]:
    """Active programmes ``user`` works in (all of them for an administrator)."""
    return (Programme.objects.restrict(user, "view").filter(is_active=True)
            .order_by("-starts_on", "name"))


def access_log_for(citizen: Citizen) -> QuerySet[AccessLog]:
    return citizen.access_logs.select_related("actor").order_by("-at", "-pk")
