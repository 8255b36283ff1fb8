from __future__ import annotations

from django import template
from django.utils.html import format_html

from campaigns import invites, selectors
from campaigns.actions import STATUS_BADGES
from core import formatting

register = template.Library()


@register.simple_tag
def status_badge(obj) -> str:
    return format_html('<span class="badge {}">{}</span>', STATUS_BADGES.get(obj.status, ""), obj.get_status_display())


@register.filter
def money(value) -> str:
    if value in (None, ""):
        return "—"
    return formatting.money(value)


@register.inclusion_tag("campaigns/_creator_dashboard.html", takes_context=True)
def creator_campaigns_dashboard(context):
    return selectors.creator_dashboard(user=context["request"].user)


@register.inclusion_tag("campaigns/_brand_dashboard.html", takes_context=True)
def brand_campaigns_dashboard(context):
    user = context["request"].user
    counts = selectors.campaign_status_counts(user=user)
    from campaigns.models import CampaignStatus

    return {
        "campaigns": list(selectors.campaigns_for_brand(user=user)[:10]),
        "status_counts": [(s.label, counts[s.value]) for s in CampaignStatus],
    }


@register.inclusion_tag(invites.TEMPLATE, takes_context=True)
def invite_to_campaign(context, creator):
    """An "Invite to…" control for a creator card (campaigns/invites.py)."""
    return invites.invite_context(context, creator)


@register.simple_tag
def compensation(campaign) -> str:
    """“$250 per creator + Summer box ($45) + 15% commission”: only the parts the brief offers."""
    parts = []
    if campaign.fee_per_creator:
        parts.append(f"{money(campaign.fee_per_creator)} per creator")
    if campaign.gifted_product:
        value = f" ({money(campaign.gifted_value)})" if campaign.gifted_value else ""
        parts.append(f"{campaign.gifted_product}{value}")
    if campaign.commission_percent:
        parts.append(f"{campaign.commission_percent.normalize():f}% commission")
    return " + ".join(parts) or campaign.get_compensation_type_display()
