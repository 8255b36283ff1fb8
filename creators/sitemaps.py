"""The public media kits in /sitemap.xml (wired in marketplace/urls.py): approved creators only."""

from __future__ import annotations

from django.urls import reverse

from core.seo import SiteSitemap

from .selectors import listed_creators


class MediaKitSitemap(SiteSitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return listed_creators().order_by("pk").only("handle", "updated_at")

    def location(self, creator) -> str:
        return reverse("creators:media_kit", args=[creator.handle])

    def lastmod(self, creator):
        return creator.updated_at


class DirectorySitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return ["creators:directory"]

    def location(self, name) -> str:
        return reverse(name)
