"""The "Invite to…" control on a creator's card: the brand's open campaigns, loaded once per request.

Used by the campaigns pages (``{% invite_to_campaign %}``, campaign_tags) and registered on the
creators directory's cards (creators/cards.py) from CampaignsConfig.ready().
"""

from __future__ import annotations

from django.template.loader import render_to_string

TEMPLATE = "campaigns/_invite_button.html"


def invite_context(context, creator) -> dict:
    """Whatever the number of cards: two queries per request (brand membership, open campaigns)."""
    request = context["request"]
    cache = getattr(request, "_open_campaigns_for_invites", None)
    if cache is None:
        from .models import Campaign, CampaignStatus
        from .permissions import brand_ids_of

        ids = brand_ids_of(request.user)
        cache = (
            list(Campaign.objects.filter(brand_id__in=ids, status=CampaignStatus.OPEN).only("pk", "title"))
            if ids
            else []
        )
        request._open_campaigns_for_invites = cache
    return {
        "creator": creator,
        "campaigns": cache,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


def invite_control(context, creator) -> str:
    """For creators.cards: the rendered control ("" when the user has no open campaign)."""
    data = invite_context(context, creator)
    return render_to_string(TEMPLATE, data) if data["campaigns"] else ""
