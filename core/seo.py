"""What a public page tells search engines and link previews: title, description, canonical URL and the
Open Graph image. Pages put a ``PageMeta`` in their context as ``meta``; ``templates/base.html`` prints it.

Absolute URLs come from ``core.site`` (the SITE_URL setting) (never from the request's Host header, which a visitor
chooses), so the canonical address of a page is the same whoever asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.templatetags.static import static
from django.utils.text import Truncator

from .site import site_url

DEFAULT_IMAGE = "img/og-default.png"  # 1200×630, in static/
DESCRIPTION_LENGTH = 160


def absolute_url(url: str) -> str:
    """``url`` on the site's public origin; an URL that already has an origin is left alone."""
    if url.startswith(("http://", "https://")):
        return url
    return site_url() + "/" + url.lstrip("/")


def short_description(text: str) -> str:
    """One line for the meta description: whitespace folded, cut on a word near 160 characters."""
    return Truncator(" ".join(str(text).split())).chars(DESCRIPTION_LENGTH)


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    path: str  # the canonical path, e.g. reverse("creators:media_kit", args=[handle])
    image: str = ""  # a site-relative or absolute URL; empty: the site's default picture
    type: str = "website"  # og:type ("profile" for a media kit)

    @property
    def canonical_url(self) -> str:
        return absolute_url(self.path)

    @property
    def image_url(self) -> str:
        return absolute_url(self.image or static(DEFAULT_IMAGE))

    @property
    def summary(self) -> str:
        return short_description(self.description)


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on ``core.site.site_url()`` (not on the Sites framework's domain, nor on the
    Host header of whoever asked)."""

    def get_protocol(self, protocol=None):
        return urlsplit(site_url()).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(site_url()).netloc
