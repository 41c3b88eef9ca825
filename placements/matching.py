"""Suggested candidates for an opening, ranked by an explainable fit.

Each factor adds or subtracts points and says why, so the consultant sees the reasons next to
the score and stays the one who decides. The target group is used for the ranking only; it is
never shown to the company.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Trim
from django.utils.translation import gettext as _

from citizens.choices import JobCategory
from citizens.models import Citizen
from csrprogram.choices import TargetGroup
from placements.choices import OpeningKind
from placements.models import JobOpening

# Which kinds of opening suit which target groups (points added when they do).
KIND_FITS = {
    OpeningKind.FLEX_JOB: {TargetGroup.FLEX: 3},
    OpeningKind.ORDINARY_JOB: {TargetGroup.JOB_READY: 2, TargetGroup.LONG_TERM_UNEMPLOYED: 1},
    OpeningKind.WAGE_SUBSIDY: {TargetGroup.LONG_TERM_UNEMPLOYED: 2, TargetGroup.JOB_READY: 1},
    OpeningKind.INTERNSHIP: {
        TargetGroup.ACTIVITY_READY: 2, TargetGroup.INTEGRATION: 2,
        TargetGroup.SICKNESS_BENEFIT: 1, TargetGroup.MENTALLY_VULNERABLE: 1,
        TargetGroup.DISABILITY: 1,
    },
    OpeningKind.CSR_JOB: {
        TargetGroup.MENTALLY_VULNERABLE: 2, TargetGroup.DISABILITY: 2, TargetGroup.FLEX: 1,
        TargetGroup.ACTIVITY_READY: 1, TargetGroup.SICKNESS_BENEFIT: 1,
    },
}


@dataclass
class Reason:
    points: int
    text: str

    @property
    def is_positive(self) -> bool:
        return self.points > 0

    @property
    def is_negative(self) -> bool:
        return self.points < 0


@dataclass
class Suggestion:
    citizen: Citizen
    reasons: list[Reason] = field(default_factory=list)
    hours_warning: bool = False

    @property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)


def _hours(opening: JobOpening, citizen: Citizen) -> tuple[Reason, bool]:
    capacity, wanted = citizen.weekly_hours, opening.weekly_hours
    if capacity >= wanted:
        return Reason(3, _("Kan arbejde %(capacity)s timer; jobbet er på %(hours)s timer.")
                      % {"capacity": capacity, "hours": wanted}), False
    gap = wanted - capacity
    points = -1 if gap <= 5 else -4
    return Reason(points, _("Kan kun arbejde %(capacity)s timer; jobbet er på %(hours)s timer.")
                  % {"capacity": capacity, "hours": wanted}), True


def _wishes(opening: JobOpening, citizen: Citizen) -> Reason:
    category = JobCategory(opening.job_category).label
    if opening.job_category in (citizen.wishes or []):
        return Reason(3, _("Ønsker job inden for %(category)s.") % {"category": category})
    if not citizen.wishes:
        return Reason(0, _("Har ikke angivet jobønsker."))
    return Reason(-1, _("Har ikke ønsket %(category)s.") % {"category": category})


def _accommodation(opening: JobOpening, citizen: Citizen) -> Reason | None:
    if not citizen.accommodation_needs.strip():
        return None
    if opening.can_accommodate:
        return Reason(1, _("Har skånebehov, og arbejdspladsen kan tage hensyn til dem."))
    return Reason(-2, _("Har skånebehov, men arbejdspladsen har ikke angivet, at den kan "
                        "tage hensyn."))


def _target_group(opening: JobOpening, citizen: Citizen) -> Reason | None:
    group = TargetGroup(citizen.target_group).label
    points = KIND_FITS.get(opening.kind, {}).get(citizen.target_group, 0)
    if opening.kind == OpeningKind.FLEX_JOB and citizen.target_group != TargetGroup.FLEX:
        return Reason(-5, _("Fleksjob kræver visitation til fleksjob (målgruppe: %(group)s).")
                      % {"group": group})
    if points:
        return Reason(points, _("Målgruppen (%(group)s) passer til %(kind)s.")
                      % {"group": group, "kind": OpeningKind(opening.kind).label.lower()})
    return None


def suggest(opening: JobOpening, citizens: Iterable[Citizen]) -> list[Suggestion]:
    """Rank the citizens for the opening: best fit first, ties by name."""
    suggestions = []
    for citizen in citizens:
        hours_reason, warning = _hours(opening, citizen)
        reasons = [hours_reason, _wishes(opening, citizen)]
        reasons += [r for r in (_accommodation(opening, citizen),
                                _target_group(opening, citizen)) if r is not None]
        suggestions.append(Suggestion(citizen=citizen, reasons=reasons, hours_warning=warning))
    return sorted(suggestions, key=lambda s: (-s.score, s.citizen.display_name, s.citizen.pk))


# How many suggestions a page shows at first, and how many more each "Vis flere" adds.
SUGGESTIONS_STEP = 25
# The most one page shows, however often "Vis flere" is pressed (about 1 MB of cards).
SUGGESTIONS_MAX = 500


def _points(condition: Q, points: int, otherwise: int = 0) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(otherwise),
                output_field=IntegerField())


def score_expression(opening: JobOpening):
    """The score of ``suggest`` as one SQL expression over ``Citizen`` rows, so the pool is
    ranked and cut to the top N by the database (issue 14: the whole pool, thousands of
    citizens, was scored in Python and put on the page).

    Must give the same sum as the reasons in ``suggest``; ``tests/placements/test_matching``
    compares the two.
    """
    gap = opening.weekly_hours - 5
    hours = Case(When(weekly_hours__gte=opening.weekly_hours, then=Value(3)),
                 When(weekly_hours__gte=gap, then=Value(-1)),
                 default=Value(-4), output_field=IntegerField())
    # wishes is a JSON list of category slugs: the quoted slug appears in its text exactly when
    # the list holds it (works on PostgreSQL and SQLite alike).
    no_wishes = Q(wishes__isnull=True) | Q(wishes=[])
    wishes = Case(When(wishes__icontains=f'"{opening.job_category}"', then=Value(3)),
                  When(no_wishes, then=Value(0)),
                  default=Value(-1), output_field=IntegerField())
    has_needs = ~Q(accommodation_needs_trimmed="")
    accommodation = _points(has_needs, 1 if opening.can_accommodate else -2)
    fits = KIND_FITS.get(opening.kind, {})
    if opening.kind == OpeningKind.FLEX_JOB:
        group = _points(Q(target_group=TargetGroup.FLEX), fits.get(TargetGroup.FLEX, 0), -5)
    else:
        group = Case(*[When(target_group=g, then=Value(p)) for g, p in fits.items()],
                     default=Value(0), output_field=IntegerField())
    return hours + wishes + accommodation + group


def ranked_pool(opening: JobOpening, pool: QuerySet[Citizen]) -> QuerySet[Citizen]:
    """``pool`` ordered best fit first (ties by name), each citizen with ``match_score``."""
    return (pool.annotate(accommodation_needs_trimmed=Trim("accommodation_needs"))
            .annotate(match_score=score_expression(opening))
            .order_by("-match_score", "name", "pk"))


def suggest_top(opening: JobOpening, pool: QuerySet[Citizen], *,
                limit: int = SUGGESTIONS_STEP) -> tuple[list[Suggestion], int]:
    """The best ``limit`` suggestions of ``pool`` (ranked in SQL, explained by ``suggest``)
    and the size of the whole pool: two queries whatever the pool's size."""
    limit = max(1, min(limit, SUGGESTIONS_MAX))
    citizens = list(ranked_pool(opening, pool)[:limit])
    return suggest(opening, citizens), pool.count()
