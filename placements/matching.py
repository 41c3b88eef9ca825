"""Suggested candidates for an opening, ranked by an explainable fit.

Each factor adds or subtracts points and says why, so the consultant sees the reasons next to
the score and stays the one who decides. The target group is used for the ranking only; it is
never shown to the company.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

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
    return sorted(suggestions, key=lambda s: (-s.score, s.citizen.name, s.citizen.pk))
