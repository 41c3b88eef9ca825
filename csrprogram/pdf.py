"""PDF rendering with WeasyPrint.

A document is a Django template rendered under the document's language. Resources are fetched
only from our own static files (and inline ``data:`` URLs such as an embedded QR code): no
``file://``, no network, so a template can never be made to read the server's disk or call out.
"""

import base64
import logging
import mimetypes
import re
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


class StaticOnlyURLFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = f"{settings.SITE_URL}{settings.STATIC_URL}"
        if not url.startswith(prefix):
            logger.warning("PDF rendering refused to fetch %s", url)
            raise ValueError(f"Only our own static files may be fetched, not {url}")
        relative = url[len(prefix):].split("?", 1)[0].split("#", 1)[0]
        if relative.startswith("/") or ".." in relative.split("/"):
            logger.warning("PDF rendering refused to fetch %s", url)
            raise ValueError(f"Only our own static files may be fetched, not {url}")
        path = finders.find(relative)
        if path is None and settings.STATIC_ROOT:
            candidate = settings.STATIC_ROOT / relative
            # Resolve and compare so that "../" cannot leave the static root.
            if candidate.resolve().is_relative_to(settings.STATIC_ROOT.resolve()):
                path = candidate if candidate.is_file() else None
        if path is None:
            raise ValueError(f"No static file {relative}")
        with open(path, "rb") as handle:
            body = handle.read()
        mime_type = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>\n' else char for char in text)
    return f'"{escaped}"'


def css_page_counter() -> str:
    """The page counter ("Side X af Y") in the active language as a CSS ``content`` value for
    a page margin box, e.g. ``"Page " counter(page) " of " counter(pages)``."""
    # The same words as the lists' pagination, so the catalogue has them once.
    parts = re.split(r"(%\((?:number|total)\)s)", _("Side %(number)s af %(total)s"))
    values = {"%(number)s": "counter(page)", "%(total)s": "counter(pages)"}
    return " ".join(values.get(part) or css_string(part) for part in parts if part)


_thread = threading.local()


def font_configuration() -> FontConfiguration:
    """This thread's WeasyPrint font configuration, made on first use and then kept.

    WeasyPrint makes a new one for every document unless it is given one: a fresh Fontconfig
    configuration and Pango font map, and every ``@font-face`` font fetched, written to a
    temporary file and registered again — about as long as laying the certificate out (issue
    14: 100 ms and more of each render). Kept, the fonts are registered once per process (a
    ``@font-face`` already registered is skipped by WeasyPrint) and the font map's caches stay
    warm. Per thread, because Pango's font maps are not shared between threads; made lazily,
    so a forking server or worker makes its own after the fork.
    """
    config = getattr(_thread, "font_config", None)
    if config is None:
        config = _thread.font_config = FontConfiguration()
    return config


def _document(*, template_name: str, context: dict):
    # Every document may number its pages: the counter is translated here, in its language.
    html = render_to_string(template_name, {"pdf_page_counter": css_page_counter(), **context})
    return HTML(
        string=html,
        base_url=f"{settings.SITE_URL}/",
        url_fetcher=StaticOnlyURLFetcher(),
    ).render(font_config=font_configuration())


def render_pdf(
    *, template_name: str, context: dict, filename: str, language: str, fit_steps: int = 1
) -> tuple[str, bytes]:
    """Render ``template_name`` to a PDF in ``language``; returns ``(filename, bytes)``.

    With ``fit_steps`` above 1 the document must hold on one page (a certificate): the
    template gets ``fit`` in its context, from 0 (the most generous layout) to
    ``fit_steps - 1`` (the most compact), and the least compact step that gives one page is
    returned. Steps are searched by bisection, so a document that needs compacting costs a
    few renderings, not one per step. If even the last step needs more pages, that rendering
    is returned and a warning is logged.
    """
    with translation.override(language):
        if fit_steps <= 1:
            return filename, _document(template_name=template_name, context=context).write_pdf()
        documents = {}

        def fits(fit: int) -> bool:
            documents[fit] = _document(template_name=template_name,
                                       context={**context, "fit": fit})
            return len(documents[fit].pages) == 1

        if fits(0):
            return filename, documents[0].write_pdf()
        # The least compact step that fits, assuming the last one does.
        low, high = 1, fit_steps - 1
        while low < high:
            middle = (low + high) // 2
            if fits(middle):
                high = middle
            else:
                low = middle + 1
        if high not in documents:
            fits(high)
        if len(documents[high].pages) > 1:
            logger.warning("%s needs %d pages even at the most compact fit step",
                           filename, len(documents[high].pages))
        else:
            logger.info("%s holds on one page at fit step %d", filename, high)
        return filename, documents[high].write_pdf()


# Image types a document may embed from a configured file (a municipality's logo).
_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


def image_data_uri(path: Path) -> str:
    """The image file at ``path`` (SVG or PNG) as a ``data:`` URI to embed in a document.

    The URL fetcher lets ``data:`` URLs through, so a configured file is embedded without the
    fetcher ever reading the disk. Raises ValueError for another file type, OSError when the
    file cannot be read.
    """
    mime_type = _IMAGE_TYPES.get(path.suffix.lower())
    if mime_type is None:
        raise ValueError(f"{path} is neither an SVG nor a PNG image")
    return f"data:{mime_type};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
