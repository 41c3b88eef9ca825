"""The collection PDF: text extracted, every table-of-contents entry's page number matches the
page where its section starts, running headers, and the job that renders it."""

import io
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from cases import services
from cases.choices import PdfStatus
from cases.documents import collection_pdf
from cases.models import CaseCollection
from tests.cases.conftest import STORY

pytestmark = pytest.mark.django_db

LONG = "\n\n".join(["Konsulenten fulgte op, og virksomheden tilpassede opgaverne, så "
                    "praktikanten kunne arbejde i sit eget tempo og bygge erfaring op. "] * 14)


@pytest.fixture
def collection(published, bob, programme):
    description = services.description_save(
        programme=programme, actor=bob, summary=LONG, core_elements=LONG,
        primary_activities="Certificering\nMatch", success_factors="Enkelt\nPraktisk",
        challenges="Tid", anchoring="Casebanken fortsætter.")
    collection = services.collection_create(
        programme=programme, actor=bob, title="Casesamling CSR Strategi 2017",
        foreword="Af hensyn til den enkelte borger har vi anonymiseret beskrivelserne.",
        language="da", public_page=True,
        entries=[("description", description.pk), ("story", published.pk)])
    return collection


def pages_of(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_the_table_of_contents_page_numbers_match_where_sections_start(collection, published):
    filename, content = collection_pdf(collection)
    assert filename == "casesamling-casesamling-csr-strategi-2017.pdf"
    if os.environ.get("CASES_SCREENSHOTS"):
        Path(os.environ["CASES_SCREENSHOTS"], filename).write_bytes(content)
    pages = pages_of(content)
    assert "Casesamling CSR Strategi 2017" in " ".join(pages[0].split())
    toc = pages[1]
    assert "Indholdsfortegnelse" in toc
    entries = re.findall(r"^(.+?)[\s.]*?(\d+)\s*$", toc, flags=re.MULTILINE)
    titles = {title.strip(" ."): int(number) for title, number in entries}
    expected = ["Forord", "Randers Kommune", "Om projektet", "Projektets indsats & forankring",
                "Succeser og udfordringer", STORY["title"]]
    for title in expected:
        assert title in titles, (title, toc)
    # The bookmarks WeasyPrint makes from the headings say where each one really is.
    reader = PdfReader(io.BytesIO(content))
    outline_pages = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline_pages.setdefault(item.title, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    for title in expected:
        page = titles[title]
        assert outline_pages[title] == page, (title, page, outline_pages)
        # The heading's text is on that page, below the running header.
        assert title.split(" &")[0].lower() in pages[page - 1].lower()
    # Each case starts on its own page, after the one before it.
    assert titles["Forord"] < titles["Randers Kommune"] < titles["Succeser og udfordringer"]
    assert titles[STORY["title"]] > titles["Succeser og udfordringer"]
    # Running headers: the collection's title and the current case's title, not on the cover.
    story_page = pages[titles[STORY["title"]] - 1]
    assert story_page.count(STORY["title"]) >= 2
    assert "Casesamling CSR Strategi 2017" in pages[titles["Om projektet"]]
    assert "Side" not in pages[0]
    assert f"Side {len(pages)} af {len(pages)}" in pages[-1]
    # No identifying text, and the company is not named without its consent.
    text = "\n".join(pages)
    assert "Sørensen" not in text
    assert "Jens" not in text
    assert collection.programme.name in text
    assert "Alfa Bageri" not in text


def test_the_job_renders_stores_and_renders_again_on_change(collection, published, bob,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.collection_render_request(collection=collection)
    collection.refresh_from_db()
    assert collection.pdf_status == PdfStatus.DONE
    assert collection.pdf_progress == 100
    first = collection.pdf_file.name
    assert collection.pdf_file.read()[:5] == b"%PDF-"
    # The story is withdrawn: its collection is rendered again, without it.
    with django_capture_on_commit_callbacks(execute=True):
        services.story_withdraw(story=published, actor=bob)
    collection.refresh_from_db()
    assert collection.pdf_status == PdfStatus.DONE
    assert collection.pdf_file.name != first
    text = "\n".join(pages_of(collection.pdf_file.read()))
    assert STORY["title"] not in text
    # A re-delivered task finds nothing to claim.
    assert services.collection_render(collection_id=collection.pk) is None


def test_a_failed_render_is_retried_by_the_sweep(collection, monkeypatch):
    from cases import documents

    CaseCollection.objects.filter(pk=collection.pk).update(pdf_status=PdfStatus.PENDING)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(documents, "collection_pdf", broken)
    services.collection_render(collection_id=collection.pk)
    collection.refresh_from_db()
    assert collection.pdf_status == PdfStatus.PENDING
    assert collection.pdf_attempts == 1
    assert "disk full" in collection.pdf_error
    assert services.collections_sweep(now=collection.pdf_next_attempt_at) == 1


def test_english_where_chosen(collection, bob):
    services.collection_update(collection=collection, actor=bob, language="en")
    collection.refresh_from_db()
    text = "\n".join(pages_of(collection_pdf(collection)[1]))
    assert "Contents" in text or "Table of contents" in text
