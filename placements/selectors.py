"""Reads for openings, candidacies and placements, scoped to the user.

Staff see the records of the programmes they work in (team leaders and administrators see
all); a company contact sees only their own company's openings and the candidates presented
to it. Anything outside the scope is a 404 in the views.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from citizens.choices import ConsentKind, EnrolmentStatus
from citizens.models import Citizen, Consent, Enrolment
from citizens.selectors import citizens_visible_to
from companies.models import Company
from csrprogram import policy
from csrprogram.models import User
from placements.choices import CandidacyStatus, PlacementStatus
from placements.models import Candidacy, JobOpening, Placement

# What a company may see of a candidacy: only once presented to it.
PORTAL_STATUSES = (CandidacyStatus.PRESENTED, CandidacyStatus.ACCEPTED,
                   CandidacyStatus.DECLINED, CandidacyStatus.CLOSED)


def portal_q(prefix: str = "") -> Q:
    """The candidacies a company sees: those presented to it (a candidacy closed because the
    opening was filled shows only if it had been presented)."""
    return (Q(**{f"{prefix}status__in": PORTAL_STATUSES})
            & ~Q(**{f"{prefix}status": CandidacyStatus.CLOSED,
                    f"{prefix}presented_on__isnull": True}))


def company_of_contact(user: User) -> Company | None:
    """The company whose portal ``user`` may use, or None."""
    return (Company.objects.restrict(user, ability="placements.portal_jobopening")
            .filter(pk=policy.company_id_of(user)).first())


def openings_visible_to(user: User, action: str = "view", *,
                        ability: str | None = None) -> QuerySet[JobOpening]:
    """The openings ``user`` may ``action`` (``JobOpening.access_scopes``)."""
    return (JobOpening.objects.restrict(user, action, ability=ability)
            .select_related("company", "programme").order_by("-registered_on", "-pk"))


def opening_list(user: User) -> QuerySet[JobOpening]:
    """The opening list: each opening with ``candidate_count``, its candidacies.

    The count is a correlated subquery, not a join with GROUP BY, so PostgreSQL counts for the
    rows of the page only, after the sort and LIMIT (issue 14: the join counted all openings).
    """
    counted = (Candidacy.objects.filter(opening=OuterRef("pk")).order_by()
               .values("opening").annotate(n=Count("pk")).values("n"))
    return openings_visible_to(user).annotate(
        candidate_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))


def opening_detail(user: User) -> QuerySet[JobOpening]:
    """The queryset the opening page fetches its one opening from, with its candidacies."""
    return (openings_visible_to(user)
            .select_related("contact_person", "created_by")
            .prefetch_related(Prefetch(
                "candidacies",
                queryset=Candidacy.objects.select_related("citizen", "proposed_by",
                                                          "placement")
                .order_by("-proposed_at", "-pk"))))


def placements_visible_to(user: User, action: str = "view") -> QuerySet[Placement]:
    """The placements ``user`` may ``action`` (``Placement.access_scopes``)."""
    return (Placement.objects.restrict(user, action)
            .select_related("citizen", "company", "programme", "consultant", "opening")
            .order_by("-start_date", "-pk"))


def candidacies_visible_to(user: User, action: str = "view") -> QuerySet[Candidacy]:
    """The candidacies ``user`` may ``action`` (``Candidacy.access_scopes``)."""
    return (Candidacy.objects.restrict(user, action)
            .select_related("opening__company", "citizen").order_by("-proposed_at", "-pk"))


def match_pool(opening: JobOpening) -> QuerySet[Citizen]:
    """Citizens who could be proposed: actively enrolled in the opening's programme, not
    already proposed for it and not in a running placement."""
    # EXISTS rather than joins: no DISTINCT, so the ranking and LIMIT of matching.ranked_pool
    # can stop after the top N.
    enrolled = Enrolment.objects.filter(
        citizen=OuterRef("pk"), programme_id=opening.programme_id,
        status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.IN_JOB))
    proposed = Candidacy.objects.filter(citizen=OuterRef("pk"), opening=opening)
    working = Placement.objects.filter(citizen=OuterRef("pk"), status=PlacementStatus.ACTIVE)
    sharing = Consent.objects.filter(
        citizen=OuterRef("pk"), kind=ConsentKind.EMPLOYER_SHARING,
        given_on__lte=timezone.localdate(), withdrawn_on__isnull=True)
    return (Citizen.objects.filter(Exists(enrolled))
            .exclude(Exists(proposed)).exclude(Exists(working))
            # A restricted or erased citizen is never matched (issue 16).
            .filter(restricted_at__isnull=True, erased_at__isnull=True)
            # Presenting needs the consent to share the profile; the suggestions show it.
            .annotate(has_sharing_consent=Exists(sharing))
            .order_by("name", "pk"))


def match_pool_visible_to(user: User, opening: JobOpening) -> QuerySet[Citizen]:
    """``match_pool(opening)`` narrowed to the citizens ``user`` may see.

    A user who sees citizens across all programmes, or who sees them within their programmes
    (``Citizen.access_scopes``) and is a member of the opening's programme, may see every
    citizen enrolled in it, and the pool holds only such citizens: the scope adds nothing and
    is left out. Its ``OR`` over the user's programmes made PostgreSQL read all 50,000
    citizens to count a pool of 4,000 (issue 14: 40 ms of each of the page's two pool
    queries). Anyone else, and everyone while a narrowing is registered
    (``policy.add_narrowing``), gets the scope through ``restrict()``. At most one query, for
    the membership.
    """
    pool = match_pool(opening)
    if not policy.narrowed():
        reach = policy.reaches(user, "citizens.view_citizen")
        if policy.ALL in reach or (
                policy.PROGRAMMES in reach
                and opening.programme.members.filter(pk=user.pk).exists()):
            return pool
    return pool.filter(pk__in=citizens_visible_to(user).values("pk"))


# --- The company portal --------------------------------------------------------------------------

def portal_openings(user: User) -> QuerySet[JobOpening]:
    """The openings of the contact's own company, with how many candidates it was shown."""
    return (JobOpening.objects.restrict(user, "portal")
            .select_related("company")
            .annotate(presented_count=Count(
                "candidacies", filter=portal_q("candidacies__")))
            .order_by("-registered_on", "-pk"))


def portal_opening_detail(user: User) -> QuerySet[JobOpening]:
    """The queryset the portal's opening page fetches from: the candidates presented."""
    return portal_openings(user).prefetch_related(Prefetch(
        "candidacies",
        queryset=Candidacy.objects.filter(portal_q())
        .select_related("citizen").order_by("-presented_on", "-pk"),
        to_attr="presented_candidacies"))


def portal_candidacy(user: User) -> QuerySet[Candidacy]:
    """The candidacies presented to the contact's company (the employer decides on them)."""
    return (Candidacy.objects.restrict(user, "decide")
            .filter(portal_q())
            .select_related("opening__company", "citizen"))
