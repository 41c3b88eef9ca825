"""Reads for the casebank, always starting from the access policy's ``restrict``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from cases.choices import CollectionStatus, FindingStatus, StoryStatus
from cases.models import (
    CaseCollection,
    CaseStory,
    CollectionItem,
    CompanyConsent,
    ProgrammeDescription,
)
from csrprogram.choices import TargetGroup
from csrprogram.models import Programme, User


def stories_visible_to(user: User, action: str = "view", *,
                       ability: str | None = None) -> QuerySet[CaseStory]:
    return CaseStory.objects.restrict(user, action, ability=ability)


def story_list(user: User) -> QuerySet[CaseStory]:
    """The list page's stories: company and programme joined, open findings counted."""
    return (stories_visible_to(user)
            .select_related("programme", "placement__company", "created_by")
            .annotate(open_findings=Count("findings",
                                          filter=Q(findings__status=FindingStatus.OPEN)))
            .order_by("-updated_at", "-pk"))


def story_detail(user: User, action: str = "view", *,
                 ability: str | None = None) -> QuerySet[CaseStory]:
    return (stories_visible_to(user, action, ability=ability)
            .select_related("programme", "citizen", "placement__company", "created_by",
                            "published_by"))


def company_may_be_named() -> Exists:
    """An annotation: the story's company has an open consent to be named."""
    return Exists(CompanyConsent.objects.filter(company=OuterRef("placement__company"),
                                                withdrawn_on__isnull=True))


def stories_for_placement(placement, user: User) -> QuerySet[CaseStory]:
    return stories_visible_to(user).filter(placement=placement).order_by("-updated_at")


def published_stories_of(programme: Programme) -> QuerySet[CaseStory]:
    """The published stories a collection of ``programme`` may hold."""
    return (CaseStory.objects.filter(programme=programme, status=StoryStatus.PUBLISHED)
            .select_related("placement__company").order_by("-published_at", "pk"))


def descriptions_visible_to(user: User, action: str = "view") -> QuerySet:
    return ProgrammeDescription.objects.restrict(user, action)


def collections_visible_to(user: User, action: str = "view") -> QuerySet[CaseCollection]:
    return CaseCollection.objects.restrict(user, action)


def collection_list(user: User) -> QuerySet[CaseCollection]:
    return (collections_visible_to(user).select_related("programme")
            .annotate(case_count=Count("items")).order_by("-updated_at", "-pk"))


def collection_detail(user: User, action: str = "view", *,
                      ability: str | None = None) -> QuerySet[CaseCollection]:
    return (CaseCollection.objects.restrict(user, action, ability=ability)
            .select_related("programme", "published_by"))


def items_of(collection: CaseCollection) -> list[CollectionItem]:
    """The collection's cases in order, with what the PDF and the pages show."""
    return list(collection.items.select_related(
        "story__placement__company", "story__placement__opening",
        "description__programme").annotate(
        company_named=Exists(CompanyConsent.objects.filter(
            company=OuterRef("story__placement__company"), withdrawn_on__isnull=True))
    ).order_by("position", "pk"))


def published_collection(token: str) -> QuerySet[CaseCollection]:
    """The public page's collection: published, with a public page, by its token."""
    return CaseCollection.objects.filter(public_token=token, status=CollectionStatus.PUBLISHED,
                                         public_page=True)


@dataclass
class TargetFigure:
    label: str
    value: int | None
    deadline: dt.date
    actual: int | None
    is_share: bool = False


@dataclass
class DescriptionFacts:
    """The facts of a programme description: the description's own text where it has it,
    otherwise the programme's data (seed 002's "OM PROJEKTET")."""

    grantee: str
    title: str
    grant: Decimal | None
    funder: str
    starts_on: dt.date
    ends_on: dt.date
    target_figure: str
    target_groups: list[str]
    partner_job_centres: str
    targets: list[TargetFigure] = field(default_factory=list)


def description_facts(description: ProgrammeDescription, *, as_of: dt.date) -> DescriptionFacts:
    """The facts block of ``description`` with the programme's targets and actuals as of
    ``as_of`` (from the dashboard's registry; a few aggregate queries per target metric)."""
    from csrprogram.dashboard import programme_dashboard

    programme = description.programme
    board = programme_dashboard(programme=programme, as_of=as_of, with_breakdowns=False,
                                with_charts=False)
    targets = [TargetFigure(label=row.metric_label, value=row.target_value,
                            deadline=row.target.deadline, actual=row.actual,
                            is_share=row.is_share) for row in board.rows]
    labels = dict(TargetGroup.choices)
    grant = description.grant_amount
    if grant is None:
        grant = programme.eu_support or programme.total_budget
    return DescriptionFacts(
        grantee=description.grantee or programme.municipality,
        title=description.project_title or programme.name,
        grant=grant,
        funder=programme.funder,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        target_figure=description.target_figure,
        target_groups=[str(labels.get(value, value)) for value in programme.target_groups or []],
        partner_job_centres=programme.partner_job_centres,
        targets=targets,
    )


def programmes_for_collections(user: User) -> QuerySet[Programme]:
    return Programme.objects.restrict(user, ability="cases.add_casecollection").order_by("name")


def collection_candidates(programme: Programme) -> tuple[list[CaseStory],
                                                         list[ProgrammeDescription]]:
    """What a collection of ``programme`` can hold: its published stories and descriptions."""
    stories = list(published_stories_of(programme))
    descriptions = list(ProgrammeDescription.objects.select_related("programme")
                        .order_by("programme__name"))
    return stories, descriptions


def collections_prefetch() -> Prefetch:
    return Prefetch("items", queryset=CollectionItem.objects.order_by("position"))
