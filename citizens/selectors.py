"""Reads for citizens, always scoped to the user (a citizen outside their programmes is a 404)."""

from __future__ import annotations

from django.db.models import CharField, F, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import Case, When

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
    """The citizen list: restricted and erased citizens are hidden (issue 16); they are
    found by the CPR look-up (restricted) or on the team leader's rights pages."""
    return citizens_visible_to(user).filter(
        restricted_at__isnull=True, erased_at__isnull=True).prefetch_related(
        Prefetch("enrolments",
                 queryset=Enrolment.objects.select_related("programme")
                 .order_by("-enrolled_on", "pk")))


def citizen_named_q(value: str, *, path: str = "") -> Q:
    """The condition of a list's "search on the citizen" box: the citizen's name contains
    ``value`` (case-insensitive, trimmed). A restricted or erased citizen is never found by
    their name (issue 16: the lists show them as ``Citizen.display_name``, and a match on the
    real name would tell who they are). ``path`` leads from the list's model to the citizen,
    e.g. ``"citizen__"`` (placements) or ``"placement__citizen__"`` (visits)."""
    return Q(**{f"{path}name__icontains": value.strip(),
                f"{path}restricted_at__isnull": True, f"{path}erased_at__isnull": True})


def citizen_sort_name(prefix: str = "") -> Case:
    """The key a list of rows of some model sorts by to sort them by their citizen
    (``order_by(citizen_sort_name("citizen__"), "pk")``): the citizen's name, and for a
    restricted or erased citizen none at all (issue 16, GDPR art. 18). Such rows are shown as
    ``Citizen.display_name``; sorted by the hidden name they would sit where that name
    belongs and tell it. With no key they sort together, in the order of the tie-breaker
    that follows (the row's primary key): on PostgreSQL after the named rows when ascending
    and before them when descending (NULL sorts as the largest value), so reversing the order
    (``ListPaginator`` pages past the middle from the end) gives the same rows backwards.

    ``prefix`` leads from the sorted model to the citizen, e.g. ``"citizen__"`` (placements)
    or ``"placement__citizen__"`` (visits); ``""`` sorts citizens themselves."""
    return Case(
        When(Q(**{f"{prefix}restricted_at__isnull": False})
             | Q(**{f"{prefix}erased_at__isnull": False}), then=Value(None)),
        default=F(f"{prefix}name"), output_field=CharField())


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


def erasure_records() -> QuerySet:
    """Every erasure, newest first (who, when, why; the citizen row is anonymised)."""
    from citizens.models import ErasureRecord

    return ErasureRecord.objects.select_related("erased_by", "citizen").order_by(
        "-erased_at", "-pk")


def retention_reviews() -> QuerySet:
    from citizens.models import RetentionReview

    return RetentionReview.objects.select_related("decided_by").order_by("-prepared_at", "-pk")


def retention_review_citizens(review) -> QuerySet[Citizen]:
    """The citizens a retention report lists, with their enrolments (for the due dates)."""
    return (Citizen.objects.filter(pk__in=review.citizen_ids)
            .prefetch_related(Prefetch("enrolments",
                                       queryset=Enrolment.objects.select_related("programme")))
            .order_by("pk"))
