"""/sitemap.xml (django.contrib.sitemaps: the public pages each app lists) and /robots.txt pointing to it."""

from __future__ import annotations

from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from campaigns.sitemaps import CampaignListSitemap, OpenCampaignSitemap
from core.seo import SiteSitemap, absolute_url
from creators.sitemaps import DirectorySitemap, MediaKitSitemap


class HomeSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return ["home"]

    def location(self, name) -> str:
        return reverse(name)


SITEMAPS = {
    "home": HomeSitemap,
    "creators": DirectorySitemap,
    "media-kits": MediaKitSitemap,
    "campaigns": CampaignListSitemap,
    "open-campaigns": OpenCampaignSitemap,
}


def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS)


# Crawlers may read the public pages; the signed-in areas, the admin, the API and private files are not for them.
ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /accounts/
Disallow: /api/
Disallow: /brand/
Disallow: /creator/
Disallow: /applications/
Disallow: /notifications/
Disallow: /dashboard/
Allow: /

Sitemap: {sitemap}
"""


@require_GET
def robots_txt(request):
    return HttpResponse(ROBOTS.format(sitemap=absolute_url(reverse("sitemap"))), content_type="text/plain")
