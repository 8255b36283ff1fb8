"""What results does when campaigns moves, and what it adds to lower apps' pages (registered in ResultsConfig.ready)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.hooks import PageLink
from campaigns.permissions import can_manage_campaign

from . import services


def on_application_accepted(*, application, actor) -> None:
    services.link_for_application(application=application)  # in the hire's transaction: no hire without its link


def on_campaign_updated(*, campaign, actor) -> None:
    """The landing page may have changed: cached redirects must not wait for their TTL (after commit)."""
    from django.db import transaction

    from . import links
    from .models import TrackedLink

    codes = list(TrackedLink.objects.filter(campaign=campaign).values_list("code", flat=True))
    if codes:
        transaction.on_commit(lambda: links.forget(codes))


def campaign_links(user, campaign) -> list[PageLink]:
    if not can_manage_campaign(user, campaign):
        return []
    return [
        PageLink(_("Results"), reverse("results:report", args=[campaign.pk])),
        PageLink(_("Tracked links"), reverse("results:links", args=[campaign.pk])),
    ]


def brand_settings_section(request, brand):
    endpoint = services.webhook_endpoint(brand=brand)
    return render_to_string(
        "results/_brand_settings.html",
        {
            "endpoint": endpoint,
            "webhook_url": request.build_absolute_uri(reverse("results:webhook", args=[endpoint.token])),
            "tolerance": settings.RESULTS_WEBHOOK_TOLERANCE_SECONDS,
        },
        request=request,
    )
