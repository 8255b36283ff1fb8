"""Open campaigns in /sitemap.xml (wired in marketplace/urls.py): the ones the public list shows."""

from __future__ import annotations

from django.urls import reverse

from core.seo import SiteSitemap

from .selectors import campaigns_open


class OpenCampaignSitemap(SiteSitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return campaigns_open().select_related(None).prefetch_related(None).order_by("pk").only("pk", "updated_at")

    def location(self, campaign) -> str:
        return reverse("campaigns:detail", args=[campaign.pk])

    def lastmod(self, campaign):
        return campaign.updated_at


class CampaignListSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return ["campaigns:browse"]

    def location(self, name) -> str:
        return reverse(name)
