"""The PDF renderer's one-page fitting, its translated page counter and embedded images."""

import base64
import io
import logging

import pytest
from django.utils import translation
from pypdf import PdfReader

from csrprogram.pdf import css_page_counter, css_string, image_data_uri, render_pdf

# Tall until the fit step reaches ``fits_from``; the step is printed so the test can read it.
FITTING_DOCUMENT = (
    "<html><body><p>fit {{ fit }}</p>"
    "{% if fit < fits_from %}<div style='height: 400mm'></div>{% endif %}</body></html>"
)


@pytest.fixture
def fitting_template(tmp_path, settings):
    (tmp_path / "fitting.html").write_text(FITTING_DOCUMENT)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    return "fitting.html"


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("fits_from", [0, 1, 4, 9])
def test_render_pdf_returns_the_least_compact_step_that_holds_on_one_page(
        fitting_template, fits_from):
    _filename, data = render_pdf(template_name=fitting_template, context={"fits_from": fits_from},
                                 filename="x.pdf", language="da", fit_steps=10)
    assert _pages(data) == [f"fit {fits_from}"]


def test_render_pdf_warns_and_returns_the_most_compact_step_when_none_fits(
        fitting_template, caplog):
    with caplog.at_level(logging.WARNING, logger="csrprogram.pdf"):
        _filename, data = render_pdf(template_name=fitting_template, context={"fits_from": 99},
                                     filename="x.pdf", language="da", fit_steps=10)
    assert _pages(data)[0] == "fit 9"
    assert len(_pages(data)) == 2
    assert "x.pdf needs 2 pages even at the most compact fit step" in caplog.text


def test_the_page_counter_is_translated_css():
    assert css_page_counter() == '"Side " counter(page) " af " counter(pages)'
    with translation.override("en"):
        assert css_page_counter() == '"Page " counter(page) " of " counter(pages)'


def test_css_string_cannot_end_the_string_or_the_style_element():
    quoted = css_string('Navn "med" \\ og </style><script>')
    inside = quoted[1:-1]
    assert quoted[0] == quoted[-1] == '"'
    for forbidden in ('"', "<", ">"):
        assert forbidden not in inside
    assert inside.count("\\") == 7  # one escape each, the backslash itself included


def test_image_data_uri_embeds_svg_and_png_only(tmp_path):
    svg = tmp_path / "logo.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    uri = image_data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == svg.read_bytes()
    other = tmp_path / "logo.gif"
    other.write_bytes(b"GIF89a")
    with pytest.raises(ValueError, match="neither an SVG nor a PNG"):
        image_data_uri(other)
