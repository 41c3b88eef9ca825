"""The certificate PDF as a person and a phone see it, at the extreme shapes it must hold.

Each shape is issued and rendered through the service, then:

- the PDF is one A4 page;
- its own geometry (pdfplumber: word boxes, image boxes, the frame's rectangles) shows every
  word inside the frame and none on the QR code or its quiet zone, the QR code at least 25 mm
  wide, and its caption (with the public URL) in the QR code's column below it;
- everything the certificate must say is there in full (nothing cut off);
- the page rasterised by poppler's pdftoppm at 72, 100, 150, 200 and 300 dpi decodes with zbar
  to exactly the public URL, and the quiet zone of 4 modules is white.

bin/setup --test installs poppler-utils and zbar-tools; a missing tool fails these tests.
"""

import base64
import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import segno
from PIL import Image

from certificates import services
from companies.models import Company, CsrCriterion
from csrprogram.models import Programme, User
from tests.certificates.factories import at, certificate
from tests.companies.factories import CompanyFactory, CsrCriterionFactory

pytestmark = pytest.mark.django_db

RESOLUTIONS = (72, 100, 150, 200, 300)
MM = 72 / 25.4  # PDF points per millimetre
A4 = (595.28, 841.89)  # points
EDGE_TOLERANCE = 0.5  # points: rounding of the PDF's coordinates

COMPANY_NAME_MAX = Company._meta.get_field("name").max_length
PROGRAMME_NAME_MAX = Programme._meta.get_field("name").max_length
MUNICIPALITY_MAX = Programme._meta.get_field("municipality").max_length
CRITERION_TITLE_MAX = CsrCriterion._meta.get_field("title_da").max_length
JOB_TITLE_MAX = User._meta.get_field("job_title").max_length

# One word of the field's maximum length: Danish compounds, run together without a space.
ONE_WORD_NAME = ("Arbejdsmarkedsuddannelsescentervirksomhedspraktikkoordinatorsamarbejdsaftale"
                 * 3)[:COMPANY_NAME_MAX]
LONG_PROGRAMME = ("Partnerskabsprogrammet for socialt ansvarlige virksomheder og "
                  "beskæftigelsesindsatser i Østjylland " * 3)[:PROGRAMME_NAME_MAX].strip()
LONG_MUNICIPALITY = ("Randers Kommune, Jobcenter Randers, Virksomhedsservice og "
                     "Beskæftigelsesforvaltningen")[:MUNICIPALITY_MAX]


def long_title(number: int, language: str) -> str:
    text = {
        "da": f"{number}. Virksomheden tilbyder løbende virksomhedspraktik og småjob til "
              "borgere på kanten af arbejdsmarkedet, herunder ledighedsydelsesmodtagere og "
              "integrationsborgere, med fast mentorordning og arbejdsmiljørepræsentant",
        "en": f"{number}. The company continuously offers internships and small jobs to "
              "citizens on the edge of the labour market, including recipients of flex "
              "benefits and integration citizens, with a permanent mentor scheme and more",
    }[language]
    return text[:CRITERION_TITLE_MAX]


@dataclasses.dataclass(frozen=True)
class Shape:
    language: str = "da"
    criteria: int = 3
    long_criteria: bool = False
    company_name: str = ""
    programme_name: str = ""
    municipality: str = ""
    job_title: str = ""


SHAPES = {
    "1 criterion": Shape(criteria=1),
    "20 long criteria": Shape(criteria=20, long_criteria=True),
    "200-character one-word name": Shape(company_name=ONE_WORD_NAME),
    "long programme name": Shape(programme_name=LONG_PROGRAMME),
    "everything at its maximum": Shape(
        criteria=20, long_criteria=True, company_name=ONE_WORD_NAME,
        programme_name=LONG_PROGRAMME, municipality=LONG_MUNICIPALITY,
        job_title=("Teamleder for virksomhedsservice og beskæftigelsesindsatser " * 2)[
            :JOB_TITLE_MAX].strip()),
    "everything at its maximum, English": Shape(
        language="en", criteria=20, long_criteria=True, company_name=ONE_WORD_NAME,
        programme_name=LONG_PROGRAMME, municipality=LONG_MUNICIPALITY),
}


def issue(shape: Shape, *, programme, alice, bob):
    if shape.programme_name:
        programme.name = shape.programme_name
    if shape.municipality:
        programme.municipality = shape.municipality
    programme.csr_threshold = min(programme.csr_threshold, shape.criteria)
    programme.save()
    if shape.job_title:
        bob.job_title = shape.job_title
        bob.save()
    if shape.long_criteria:
        for number in range(1, shape.criteria + 1):
            CsrCriterionFactory(title_da=long_title(number, "da"),
                                title_en=long_title(number, "en"), order=number)
    company = CompanyFactory(name=shape.company_name or "Alfa Bageri ApS",
                             language=shape.language)
    return certificate(programme=programme, leader=bob, consultant=alice, company=company,
                       issued_at=at(2017, 9, 1), met=shape.criteria)


def squash(text: str) -> str:
    """Text without the spaces, line breaks and hyphens (hyphenation sets U+2010)."""
    return "".join(text.split()).translate({ord(c): None for c in "-\u2010\xad"})


def frame_box(page) -> tuple[float, float, float, float]:
    """The inner edge of the innermost rule that frames the page (WeasyPrint fills a border
    as the area between two rectangles): (x0, top, x1, bottom)."""
    spanning = [r for r in page.rects
                if r["width"] > 0.8 * float(page.width) and r["height"] > 0.8 * float(page.height)]
    assert len(spanning) >= 2, "the page has no frame"
    inner = min(spanning, key=lambda r: r["width"] * r["height"])
    return inner["x0"], inner["top"], inner["x1"], inner["bottom"]


def qr_image(page, url: str) -> dict:
    """The embedded QR code image: the one whose pixels are the code's symbol with a quiet
    zone of 4 modules at the service's scale."""
    side = segno.make(url, error=services.QR_ERROR, micro=False).symbol_size(border=4)[0]
    matches = [image for image in page.images
               if tuple(image["srcsize"]) == (side * services.QR_SCALE,) * 2]
    assert len(matches) == 1, [image["srcsize"] for image in page.images]
    return matches[0]


def overlaps(word: dict, box: dict) -> bool:
    return (word["x0"] < box["x1"] - EDGE_TOLERANCE and word["x1"] > box["x0"] + EDGE_TOLERANCE
            and word["top"] < box["bottom"] - EDGE_TOLERANCE
            and word["bottom"] > box["top"] + EDGE_TOLERANCE)


def rasterise(pdf: Path, dpi: int) -> Path:
    assert shutil.which("pdftoppm"), "pdftoppm is missing: run bin/setup --test (poppler-utils)"
    target = pdf.with_name(f"{pdf.stem}-{dpi}")
    # Greyscale PGM: what a phone's decoder works on, and ten times faster than PNG at 300 dpi.
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", str(pdf), str(target)],
                   check=True, capture_output=True)
    return target.with_suffix(".pgm")


def zbar_decode(image: Path) -> list[str]:
    """Every QR code zbar finds in the image, as text (one entry per symbol)."""
    assert shutil.which("zbarimg"), "zbarimg is missing: run bin/setup --test (zbar-tools)"
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True, text=True, check=False)
    # zbarimg exits 4 when it finds no symbol; then there is nothing to return.
    return [line for line in result.stdout.splitlines() if line]


def quiet_zone_is_white(image_path: Path, dpi: int, qr: dict) -> bool:
    """The 4-module margin inside the QR image's box is white in the rasterised page."""
    scale = dpi / 72
    left, top = qr["x0"] * scale, qr["top"] * scale
    side = (qr["x1"] - qr["x0"]) * scale
    band = side * 4 / (qr["srcsize"][0] / services.QR_SCALE)
    image = Image.open(image_path).convert("L")
    # Two pixels clear of the box's edge and of the first module: the edges are anti-aliased
    # and fall between pixels.
    outer = (round(left) + 2, round(top) + 2, round(left + side) - 2, round(top + side) - 2)
    inner = (round(left + band) - 2, round(top + band) - 2,
             round(left + side - band) + 2, round(top + side - band) + 2)
    for x in range(outer[0], outer[2]):
        for y in range(outer[1], outer[3]):
            if inner[0] <= x < inner[2] and inner[1] <= y < inner[3]:
                continue
            if image.getpixel((x, y)) < 200:
                return False
    return True


@pytest.mark.parametrize("shape_name", list(SHAPES))
def test_the_certificate_holds_its_shape_and_its_qr_code_decodes(
        shape_name, programme, alice, bob, private_media):
    shape = SHAPES[shape_name]
    issued = issue(shape, programme=programme, alice=alice, bob=bob)
    assert services.certificate_pdf_render(certificate_id=issued.pk) is True
    issued.refresh_from_db()
    url = services.public_url(issued)
    pdf_path = Path(issued.pdf.path)

    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == 1, f"{shape_name}: {len(pdf.pages)} pages"
        page = pdf.pages[0]
        assert (round(float(page.width), 2), round(float(page.height), 2)) == A4
        words = page.extract_words()
        text = page.extract_text(use_text_flow=True)
        left, top, right, bottom = frame_box(page)
        qr = qr_image(page, url)

    # Every word inside the frame, none on the QR code or its quiet zone.
    outside = [w["text"] for w in words
               if w["x0"] < left - EDGE_TOLERANCE or w["x1"] > right + EDGE_TOLERANCE
               or w["top"] < top - EDGE_TOLERANCE or w["bottom"] > bottom + EDGE_TOLERANCE]
    assert outside == [], f"{shape_name}: words outside the frame: {outside}"
    on_code = [w["text"] for w in words if overlaps(w, qr)]
    assert on_code == [], f"{shape_name}: words on the QR code: {on_code}"
    assert qr["x1"] - qr["x0"] >= 25 * MM
    assert left < qr["x0"]
    assert qr["x1"] < right
    assert top < qr["top"]
    assert qr["bottom"] < bottom

    # The caption sits in the code's column, below it, and carries the exact public URL.
    caption = [w for w in words if w["top"] >= qr["bottom"]
               and w["x0"] >= qr["x0"] - 2 * MM and w["x1"] <= qr["x1"] + 2 * MM]
    assert squash(url) in squash(" ".join(w["text"] for w in caption))

    # Nothing is cut off: every name and title is there in full.
    expected = [issued.company.name, issued.company.cvr, issued.number, issued.programme.name,
                issued.issued_by.get_full_name()]
    expected += [answer.criterion.title_in(shape.language)
                 for answer in issued.assessment.answers.filter(is_met=True)]
    missing = [item for item in expected if squash(item) not in squash(text)]
    assert missing == [], f"{shape_name}: cut off or missing: {missing}"
    assert len(expected) - 5 == shape.criteria

    # A real decoder reads exactly the public URL at every resolution.
    results = {}
    for dpi in RESOLUTIONS:
        png = rasterise(pdf_path, dpi)
        results[dpi] = (zbar_decode(png), quiet_zone_is_white(png, dpi, qr))
    failures = {dpi: result for dpi, result in results.items() if result != ([url], True)}
    assert failures == {}, f"{shape_name}: decoded, quiet zone white per dpi: {failures}"


def test_a_configured_logo_and_municipality_name_are_on_the_certificate(
        programme, alice, bob, private_media, settings, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (240, 80), (23, 80, 58)).save(logo)
    settings.CSR_MUNICIPALITY_LOGO = logo
    settings.CSR_MUNICIPALITY_NAME = "Favrskov Kommune"
    issued = issue(SHAPES["1 criterion"], programme=programme, alice=alice, bob=bob)
    services.certificate_pdf_render(certificate_id=issued.pk)
    issued.refresh_from_db()
    with pdfplumber.open(issued.pdf.path) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        logos = [image for image in page.images if tuple(image["srcsize"]) == (240, 80)]
        qr = qr_image(page, services.public_url(issued))
        text = page.extract_text()
    assert len(logos) == 1
    # The logo heads the page, above every word, and well clear of the QR code.
    assert all(logos[0]["bottom"] <= word["top"] + EDGE_TOLERANCE for word in words)
    assert logos[0]["bottom"] < qr["top"]
    assert "Favrskov Kommune" in text
    assert "Randers Kommune" not in text

    # A new logo is new content: the certificate is rendered again.
    first_hash = issued.pdf_hash
    Image.new("RGB", (240, 80), (169, 129, 47)).save(logo)
    assert services.certificate_pdf_render(certificate_id=issued.pk) is True
    issued.refresh_from_db()
    assert issued.pdf_hash != first_hash


def test_the_certificate_names_the_issuing_team_leader_and_the_validity(
        programme, alice, bob, private_media):
    bob.first_name, bob.last_name, bob.job_title = "Bodil", "Østergård", ""
    bob.save()
    issued = issue(SHAPES["1 criterion"], programme=programme, alice=alice, bob=bob)
    services.certificate_pdf_render(certificate_id=issued.pk)
    issued.refresh_from_db()
    with pdfplumber.open(issued.pdf.path) as pdf:
        text = " ".join(pdf.pages[0].extract_text().split())
    assert "Bodil Østergård" in text
    # Without a job title the signer is the team leader she is.
    assert "Teamleder, Randers Kommune" in text
    assert "Udstedt 1. september 2017" in text
    # The labels are set in spaced capitals (text-transform), so the PDF's text is upper case.
    assert "CERTIFIKATNUMMER CSR-2017-0001" in text
    assert "GYLDIGT FRA 1. september 2017" in text
    assert "GYLDIGT TIL OG MED 31. august 2018" in text


def test_the_qr_code_png_has_a_quiet_zone_of_four_modules(programme, alice, bob):
    issued = issue(SHAPES["1 criterion"], programme=programme, alice=alice, bob=bob)
    uri = services.certificate_qr_png_data_uri(issued)
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("L")
    code = segno.make(services.public_url(issued), error="m", micro=False)
    modules = code.symbol_size(border=0)[0]
    assert image.size == ((modules + 8) * services.QR_SCALE,) * 2
    band = 4 * services.QR_SCALE
    width = image.size[0]
    margin = [image.getpixel((x, y)) for x in range(width) for y in range(width)
              if min(x, y) < band or max(x, y) >= width - band]
    assert min(margin) == 255
    # The first module inside the quiet zone is dark (the finder pattern's corner).
    assert image.getpixel((band, band)) == 0
