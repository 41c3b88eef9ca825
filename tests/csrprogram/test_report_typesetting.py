"""The funder report is typeset for print: read back page by page from the PDF itself.

A report long enough for several pages (many targets, many companies) must carry the
programme's name and "Side X af Y" on every page, never end a page with a heading or a table
caption, and repeat a table's header row on every page the table spans.
"""

import dataclasses
import datetime as dt
import io

import pdfplumber
import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from companies.models import Company
from csrprogram import reports
from csrprogram.dashboard import programme_dashboard
from tests.companies.factories import CompanyFactory
from tests.csrprogram.dashboard_metrics import at
from tests.csrprogram.factories import TargetFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_metrics")]

AS_OF = dt.date(2018, 3, 1)
MM = 72 / 25.4
# report.css: the page's top and bottom margins, where the running title and counter live.
TOP_MARGIN, BOTTOM_MARGIN = 22 * MM, 20 * MM
HEADING_SIZE = 10.9  # points: h3 is 11 pt, h2 13 pt, h1 18 pt; body text 10 pt and less

PAGE_COUNTER = {"da": "Side {page} af {pages}", "en": "Page {page} of {pages}"}
TARGET_HEADER = {"da": "Nøgletal Frist Mål Resultat Fremdrift Fremskrevet Status",
                 "en": "Metric Deadline Target Result Progress Projected Status"}
COMPANY_HEADER = {"da": "Virksomhed Registrerede virksomheder",
                  "en": "Company Registrerede virksomheder"}


@pytest.fixture
def long_report(programme):
    """40 targets (each with a note "Delmål n") and 90 companies: several pages."""
    for number in range(1, 41):
        TargetFactory(programme=programme, value=number * 3,
                      deadline=dt.date(2017, 12, 31) + dt.timedelta(days=7 * number),
                      note=f"Delmål {number}: opgøres kvartalsvis og afrapporteres til "
                           f"Socialfonden")
    for number in range(1, 91):
        company = CompanyFactory(name=f"Firma {number:03d} ApS",
                                 industry=f"Branche {number % 7}")
        Company.objects.filter(pk=company.pk).update(
            created_at=at(dt.date(2017, 7, 1) + dt.timedelta(days=number)))
    return programme


def body_lines(page) -> list[dict]:
    """The page's lines of text between its top and bottom margins, top to bottom."""
    return [line for line in page.extract_text_lines()
            if line["top"] >= TOP_MARGIN and line["bottom"] <= float(page.height) - BOTTOM_MARGIN]


def table_captions(board, language: str) -> set[str]:
    """The captions of the report's tables (_target_table.html, _breakdowns.html)."""
    with translation.override(language):
        captions = {gettext("Måltal og resultater pr. %(date)s") % {"date": date_format(AS_OF)}}
        captions |= {gettext("Fordelt på %(dimension)s") % {"dimension": table.label.lower()}
                     for table in board.breakdowns}
    return captions


def is_heading(line: dict, captions: set[str]) -> bool:
    return (all(char["size"] >= HEADING_SIZE for char in line["chars"] if char["text"].strip())
            or " ".join(line["text"].split()) in captions)


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_long_report_is_typeset_for_print(long_report, language):
    # As the report job does: the board's labels in the report's language.
    with translation.override(language):
        board = programme_dashboard(programme=long_report, as_of=AS_OF)
    _filename, content = reports.funder_pdf(board, language=language)
    captions = table_captions(board, language)

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        pages = [(page.extract_text(), body_lines(page)) for page in pdf.pages]
    count = len(pages)
    assert count >= 4, "the report is not long enough to test its page breaks"

    target_pages, company_pages = [], []
    for number, (text, lines) in enumerate(pages, start=1):
        flat = " ".join(text.split())
        # The running title and the page counter, on every page.
        assert text.splitlines()[0] == long_report.name, number
        assert PAGE_COUNTER[language].format(page=number, pages=count) in flat, number
        # No page ends with a heading or a caption.
        assert lines, number
        assert not is_heading(lines[-1], captions), (number, lines[-1]["text"])
        if "Delmål" in flat:
            target_pages.append(number)
            assert TARGET_HEADER[language] in flat, number
        if "Firma 0" in flat:
            company_pages.append(number)
            assert COMPANY_HEADER[language] in flat, number
    # The target table spans pages, so the header checks above saw its repeated header. The
    # company breakdown is bounded (top rows plus "others", issue 14): it may fit on one page,
    # and wherever it is, its header is on the page.
    assert len(target_pages) >= 2
    assert company_pages


def test_no_heading_or_caption_is_left_at_the_foot_of_a_page(programme):
    """The target table grows a row at a time, so the headings and captions after it pass
    every position at the foot of page 1 (without the report's rules, 8 and 10 targets left a
    breakdown's caption there, its table on the next page)."""
    for number in range(1, 21):
        TargetFactory(programme=programme, value=number,
                      deadline=dt.date(2017, 12, 31) + dt.timedelta(days=number),
                      note=f"Delmål {number}")
    full = programme_dashboard(programme=programme, as_of=AS_OF, with_charts=False)
    captions = table_captions(full, "da")
    for count in range(4, 21):
        board = dataclasses.replace(full, rows=full.rows[:count])
        _filename, content = reports.funder_pdf(board, language="da")
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                last = body_lines(page)[-1]
                assert not is_heading(last, captions), (count, number, last["text"])
