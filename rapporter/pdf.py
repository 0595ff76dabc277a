"""HTML → PDF with WeasyPrint, reading nothing but our own static files (DESIGN §8)."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# Documents are rendered as if served from this origin; only its /static/ path resolves.
BASE_URL = "https://naervaer.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


class StaticOnlyFetcher(URLFetcher):
    """Serves /static/ files from disk and data: URIs; refuses the network and file://."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_PREFIX):
            path = _static_file(url.removeprefix(STATIC_PREFIX).split("?")[0].split("#")[0])
            if path:
                content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, Path(path).read_bytes(), headers={"Content-Type": content_type}
                )
        raise FatalURLFetchingError(f"PDF-en prøvde å hente {url!r}, som ikke er en statisk fil.")


def _static_file(relative: str) -> Path | None:
    """The file behind a static URL: source folders, or STATIC_ROOT for the hashed names
    that production templates link to."""
    if relative.startswith("/") or ".." in Path(relative).parts:
        return None
    if found := finders.find(relative):
        return Path(found)
    if settings.STATIC_ROOT and (candidate := Path(settings.STATIC_ROOT) / relative).is_file():
        return candidate
    return None


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()
