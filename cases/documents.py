"""The case collection as a PDF (WeasyPrint, through ``csrprogram.pdf.render_pdf``).

One template, ``cases/collection_pdf.html``: a cover, a table of contents whose page numbers
WeasyPrint fills in from where each section lands (``target-counter``), a foreword, one section
per case starting on a new page, running headers (the collection's title and the current
case's title, ``string-set``), Danish hyphenation (``lang`` and ``hyphens: auto``) and headings
that never end a page (``break-after: avoid``). Rendered under the collection's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from cases.choices import StoryStatus
from cases.models import CaseCollection
from cases.selectors import DescriptionFacts, description_facts, items_of
from csrprogram.pdf import render_pdf


@dataclass
class Section:
    """One case of the collection as the document shows it."""

    anchor: str
    title: str
    story: object = None
    description: object = None
    facts: DescriptionFacts | None = None
    company_named: bool = False
    # (anchor, title) of the section's own headings listed in the table of contents.
    headings: list[tuple[str, str]] = field(default_factory=list)


def lines(text: str) -> list[str]:
    """The non-empty lines of a text written one item per line."""
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


def collection_sections(collection: CaseCollection) -> list[Section]:
    """The collection's cases in order; a story no longer published is left out."""
    from django.utils.translation import gettext as _

    as_of = timezone.localdate()
    sections = []
    for number, item in enumerate(items_of(collection), start=1):
        anchor = f"case-{number}"
        if item.story is not None:
            if item.story.status != StoryStatus.PUBLISHED:
                continue
            sections.append(Section(anchor=anchor, title=item.story.title, story=item.story,
                                    company_named=item.story.name_company
                                    and item.company_named))
        else:
            description = item.description
            facts = description_facts(description, as_of=as_of)
            sections.append(Section(
                anchor=anchor, title=facts.grantee if facts.grantee else facts.title,
                description=description, facts=facts,
                headings=[(f"{anchor}-about", _("Om projektet")),
                          (f"{anchor}-effort", _("Projektets indsats & forankring")),
                          (f"{anchor}-results", _("Succeser og udfordringer"))]))
    return sections


def collection_filename(collection: CaseCollection) -> str:
    """``casesamling-<title>.pdf`` with Danish letters kept."""
    return f"casesamling-{slugify(collection.title, allow_unicode=True) or collection.pk}.pdf"


def collection_pdf(collection: CaseCollection, *,
                   progress: Callable[[int], None] = lambda value: None) -> tuple[str, bytes]:
    """Render the collection; returns ``(filename, bytes)``. ``progress(percent)`` is called
    between the steps (for the progress page)."""
    from django.utils import translation

    with translation.override(collection.language):
        sections = collection_sections(collection)
    progress(50)
    result = render_pdf(
        template_name="cases/collection_pdf.html",
        context={"collection": collection, "sections": sections,
                 "municipality": collection.programme.municipality,
                 "rendered_on": timezone.localdate()},
        filename=collection_filename(collection),
        language=collection.language,
    )
    progress(90)
    return result
