"""Sections that apps above this one add to a company's page and to the company portal.

The company page tells the company's story in one place, but the certificates, openings and
placements live in apps that depend on this one, so this app cannot import them. Instead each
of those apps registers a section in its ``company_sections.py`` (discovered at start-up like
the admin): a template and a function that returns the template's context. Each section's
context function must use a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    import datetime as dt

    from companies.models import Company
    from csrprogram.models import User


@dataclass(frozen=True)
class CompanySection:
    key: str
    template_name: str
    context: Callable[[Company, User], dict]
    order: int = 100
    on_detail: bool = True
    on_portal: bool = False


_sections: dict[str, CompanySection] = {}


def register(section: CompanySection) -> CompanySection:
    if section.key in _sections:
        raise ValueError(f"A company section {section.key!r} is already registered.")
    _sections[section.key] = section
    return section


def sections_for(company: Company, user: User, *, portal: bool) -> list[dict]:
    """The sections to show, each as ``{"key", "template_name", **context}``."""
    chosen = [s for s in _sections.values() if (s.on_portal if portal else s.on_detail)]
    return [
        {"key": s.key, "template_name": s.template_name, **s.context(company, user)}
        for s in sorted(chosen, key=lambda s: (s.order, s.key))
    ]


def autodiscover() -> None:
    autodiscover_modules("company_sections")


# Evidence for an assessment that other apps record (trained employee mentors, relations app):
# each source gives ``(company, user) -> list of one-line texts`` shown on the assessment form,
# for the consultant to cite under a criterion. One query per source.
EvidenceSource = Callable[["Company", "User"], list[str]]
_evidence_sources: list[EvidenceSource] = []


def register_evidence(source: EvidenceSource) -> EvidenceSource:
    _evidence_sources.append(source)
    return source


def evidence_for(company: Company, user: User) -> list[str]:
    """Every registered source's evidence lines for ``company``, as ``user`` may see them."""
    return [line for source in _evidence_sources for line in source(company, user)]


# Criteria an assessment answers by itself (``CsrCriterion.evidence_source``, set by an
# administrator in the catalogue): the app that holds the records registers, for the source's
# key (``companies.choices.EvidenceSource``), a function
# ``(company, user, since, until) -> str`` giving the evidence text for the period
# ``since``–``until`` (dates, both included) as ``user`` may see it, or ``""`` when there is
# none (the criterion is then not met by it). One query per source.
CriterionEvidence = Callable[["Company", "User", "dt.date", "dt.date"], str]
_criterion_evidence: dict[str, CriterionEvidence] = {}


def register_criterion_evidence(source: str) -> Callable[[CriterionEvidence], CriterionEvidence]:
    """Decorator: ``func`` answers the criteria whose ``evidence_source`` is ``source``."""
    def decorator(func: CriterionEvidence) -> CriterionEvidence:
        if source in _criterion_evidence:
            raise ValueError(f"Criterion evidence {source!r} is already registered.")
        _criterion_evidence[source] = func
        return func
    return decorator


def criterion_evidence(source: str, company: Company, user: User, *, since: dt.date,
                       until: dt.date) -> str:
    """The evidence text the registered ``source`` finds for ``company`` between ``since`` and
    ``until``; ``""`` when it finds none or no app registered ``source``."""
    func = _criterion_evidence.get(source)
    return func(company, user, since, until) if func else ""
