"""Reads for openings, candidacies and placements, scoped to the user.

Staff see the records of the programmes they work in (team leaders and administrators see
all); a company contact sees only their own company's openings and the candidates presented
to it. Anything outside the scope is a 404 in the views.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from citizens.choices import EnrolmentStatus
from citizens.models import Citizen, Enrolment
from companies.models import Company
from csrprogram.models import User
from placements.choices import CandidacyStatus, PlacementStatus
from placements.models import Candidacy, JobOpening, Placement

# What a company may see of a candidacy: only once presented to it.
PORTAL_STATUSES = (CandidacyStatus.PRESENTED, CandidacyStatus.ACCEPTED,
                   CandidacyStatus.DECLINED)


def _sees_everything(user: User) -> bool:
    return user.is_superuser or user.is_administrator or user.is_team_leader


def company_of_contact(user: User) -> Company | None:
    contact = getattr(user, "company_contact", None) if user.is_company_contact else None
    return contact.company if contact else None


def openings_visible_to(user: User) -> QuerySet[JobOpening]:
    queryset = JobOpening.objects.select_related("company", "programme").order_by(
        "-registered_on", "-pk")
    if _sees_everything(user):
        return queryset
    if user.is_consultant:
        return queryset.filter(programme__members=user)
    return queryset.none()


def opening_list(user: User) -> QuerySet[JobOpening]:
    return openings_visible_to(user).annotate(
        candidate_count=Count("candidacies", distinct=True))


def opening_detail(user: User, pk: int) -> JobOpening:
    return (openings_visible_to(user)
            .select_related("contact_person", "created_by")
            .prefetch_related(Prefetch(
                "candidacies",
                queryset=Candidacy.objects.select_related("citizen", "proposed_by",
                                                          "placement")
                .order_by("-proposed_at", "-pk")))
            .get(pk=pk))


def placements_visible_to(user: User) -> QuerySet[Placement]:
    queryset = Placement.objects.select_related(
        "citizen", "company", "programme", "consultant", "opening").order_by(
        "-start_date", "-pk")
    if _sees_everything(user):
        return queryset
    if user.is_consultant:
        return queryset.filter(programme__members=user)
    return queryset.none()


def candidacies_visible_to(user: User) -> QuerySet[Candidacy]:
    queryset = Candidacy.objects.select_related("opening__company", "citizen").order_by(
        "-proposed_at", "-pk")
    if _sees_everything(user):
        return queryset
    if user.is_consultant:
        return queryset.filter(opening__programme__members=user)
    return queryset.none()


def match_pool(opening: JobOpening) -> QuerySet[Citizen]:
    """Citizens who could be proposed: actively enrolled in the opening's programme, not
    already proposed for it and not in a running placement."""
    return (Citizen.objects
            .filter(enrolments__programme_id=opening.programme_id,
                    enrolments__status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.IN_JOB))
            .exclude(candidacies__opening=opening)
            .exclude(placements__status=PlacementStatus.ACTIVE)
            .distinct().order_by("name", "pk"))


# --- The company portal --------------------------------------------------------------------------

def portal_openings(user: User) -> QuerySet[JobOpening]:
    company = company_of_contact(user)
    if company is None:
        return JobOpening.objects.none()
    return (JobOpening.objects.filter(company=company)
            .select_related("company")
            .annotate(presented_count=Count(
                "candidacies", filter=Q(candidacies__status__in=PORTAL_STATUSES)))
            .order_by("-registered_on", "-pk"))


def portal_opening_detail(user: User, pk: int) -> JobOpening:
    return portal_openings(user).prefetch_related(Prefetch(
        "candidacies",
        queryset=Candidacy.objects.filter(status__in=PORTAL_STATUSES)
        .select_related("citizen").order_by("-presented_on", "-pk"),
        to_attr="presented_candidacies")).get(pk=pk)


def portal_candidacy(user: User, pk: int) -> Candidacy:
    company = company_of_contact(user)
    if company is None:
        raise Candidacy.DoesNotExist
    return (Candidacy.objects
            .filter(opening__company=company, status__in=PORTAL_STATUSES)
            .select_related("opening__company", "citizen")
            .get(pk=pk))


def enrolment_for(citizen: Citizen, opening: JobOpening) -> Enrolment | None:
    return Enrolment.objects.filter(citizen=citizen, programme_id=opening.programme_id).first()
