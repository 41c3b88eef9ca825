import io

import pytest
from pypdf import PdfReader

from certificates import services
from certificates.models import Certificate
from tests.certificates.factories import at, certificate

pytestmark = pytest.mark.django_db


def pdf_text(cert: Certificate) -> str:
    with cert.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def issued(programme, alice, bob, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path, "base_url": None}}}
    return certificate(programme=programme, leader=bob, consultant=alice,
                       issued_at=at(2017, 9, 1))


def test_the_pdf_shows_company_cvr_number_validity_and_criteria(issued):
    assert services.certificate_pdf_render(certificate_id=issued.pk) is True
    issued.refresh_from_db()
    text = pdf_text(issued)
    reader = PdfReader(issued.pdf.open("rb"))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    for expected in (issued.company.name, issued.company.cvr, "CSR-2017-0001",
                     "1. september 2017", "31. august 2018", "CSR-certifikat",
                     "Randers Kommune", issued.programme.name):
        assert expected in text, expected
    for answer in issued.assessment.answers.filter(is_met=True):
        assert answer.criterion.title_da in text


def test_the_pdf_is_english_for_an_english_company(issued):
    issued.company.language = "en"
    issued.company.save()
    services.certificate_pdf_render(certificate_id=issued.pk)
    issued.refresh_from_db()
    text = pdf_text(issued)
    assert "CSR certificate" in text
    assert "1 September 2017" in text
    for answer in issued.assessment.answers.filter(is_met=True):
        assert answer.criterion.title_en in text


def test_rendered_once_and_again_only_when_the_content_changes(issued):
    assert services.certificate_pdf_render(certificate_id=issued.pk) is True
    issued.refresh_from_db()
    first_name, first_hash = issued.pdf.name, issued.pdf_hash
    assert services.certificate_pdf_render(certificate_id=issued.pk) is False
    issued.refresh_from_db()
    assert (issued.pdf.name, issued.pdf_hash) == (first_name, first_hash)

    issued.company.name = "Nyt Navn ApS"
    issued.company.save()
    assert services.certificate_pdf_render(certificate_id=issued.pk) is True
    issued.refresh_from_db()
    assert issued.pdf_hash != first_hash
    assert "Nyt Navn ApS" in pdf_text(issued)


def test_a_missing_certificate_is_tolerated():
    assert services.certificate_pdf_render(certificate_id=987654) is False


def test_the_task_renders_after_commit_and_emails_the_pdf(programme, alice, bob, mailoutbox,
                                                          django_capture_on_commit_callbacks,
                                                          settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path, "base_url": None}}}
    with django_capture_on_commit_callbacks(execute=True):
        issued = certificate(programme=programme, leader=bob, consultant=alice,
                             issued_at=at(2017, 9, 1), queue_pdf=True)
    issued.refresh_from_db()
    assert issued.pdf_hash
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [issued.company.contacts.get(is_primary=True).email]
    assert message.subject == "Jeres CSR-certifikat CSR-2017-0001"
    assert "Gyldigt fra 1. september 2017 til og med 31. august 2018." in message.body
    assert services.public_url(issued) in message.body
    (name, content, mimetype), = message.attachments
    assert (name, mimetype) == ("CSR-2017-0001.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    # Running the task again (a redelivery) neither re-renders nor re-sends.
    from certificates.tasks import certificate_pdf_render_task

    certificate_pdf_render_task.delay(issued.pk)
    assert len(mailoutbox) == 1


def test_the_url_fetcher_refuses_files_and_network():
    from csrprogram.pdf import StaticOnlyURLFetcher

    fetcher = StaticOnlyURLFetcher()
    for url in ("file:///etc/passwd", "https://example.com/x.png"):
        with pytest.raises(ValueError, match="Only our own static files"):
            fetcher.fetch(url)
