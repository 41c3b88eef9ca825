"""PDF rendering with WeasyPrint.

A document is a Django template rendered under the document's language. Resources are fetched
only from our own static files (and inline ``data:`` URLs such as an embedded QR code): no
``file://``, no network, so a template can never be made to read the server's disk or call out.
"""

import logging
import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
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


def render_pdf(
    *, template_name: str, context: dict, filename: str, language: str
) -> tuple[str, bytes]:
    """Render ``template_name`` to a PDF in ``language``; returns ``(filename, bytes)``."""
    with translation.override(language):
        html = render_to_string(template_name, context)
        document = HTML(
            string=html,
            base_url=f"{settings.SITE_URL}/",
            url_fetcher=StaticOnlyURLFetcher(),
        )
        return filename, document.write_pdf()
