"""Media kit PDF through WeasyPrint, reading images and CSS from disk: it never fetches over the network."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "http://mediakit.local/"


class LocalFilesFetcher(URLFetcher):
    """Serves /static/ and /media/ from disk; every other URL is refused (no SSRF from a PDF render)."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = unquote(urlparse(url).path)
        file: Path | None = None
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            file = Path(found) if found else None
        elif path.startswith(settings.MEDIA_URL):
            root = Path(settings.MEDIA_ROOT).resolve()
            candidate = (root / path.removeprefix(settings.MEDIA_URL)).resolve()
            file = candidate if candidate.is_relative_to(root) else None
        if file is None or not file.is_file():
            raise ValueError(f"Not a local file: {url}")
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=file.read_bytes(), headers={"Content-Type": mime})


def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFilesFetcher()).write_pdf()
