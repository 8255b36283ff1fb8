"""Whether a creator meets a brief's hard requirements, and which ones they miss (PRODUCT §4, §6)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from creators.models import Creator, Platform
from creators.tiers import Tier

from .models import Campaign


def _platforms_of(creator: Creator) -> set[str]:
    # Uses the prefetched accounts when the caller prefetched them (lists stay at constant queries).
    return {account.platform for account in creator.accounts.all()}


def eligibility(creator: Creator, campaign: Campaign) -> list[str]:
    """The requirements of ``campaign`` that ``creator`` misses, as sentences; empty when eligible."""
    missed: list[str] = []
    if campaign.target_tiers and creator.tier not in campaign.target_tiers:
        tiers = ", ".join(str(Tier(t).label) for t in campaign.target_tiers)
        missed.append(_("Tier: this campaign wants %(tiers)s creators.") % {"tiers": tiers})
    if campaign.platforms and not (_platforms_of(creator) & set(campaign.platforms)):
        names = ", ".join(str(Platform(p).label) for p in campaign.platforms)
        missed.append(_("Platform: link an account on %(platforms)s.") % {"platforms": names})
    if campaign.min_followers and (creator.followers or 0) < campaign.min_followers:
        missed.append(_("Followers: at least %(n)s needed.") % {"n": f"{campaign.min_followers:,}"})
    if campaign.min_engagement_rate is not None and (
        creator.engagement_rate is None or creator.engagement_rate < campaign.min_engagement_rate
    ):
        missed.append(_("Engagement: at least %(rate)s%% needed.") % {"rate": campaign.min_engagement_rate})
    if campaign.countries and creator.country not in campaign.countries:
        missed.append(_("Country: open to creators in %(c)s.") % {"c": ", ".join(campaign.countries)})
    if campaign.languages and not (set(creator.languages or []) & set(campaign.languages)):
        missed.append(_("Language: content in %(l)s.") % {"l": ", ".join(campaign.languages)})
    return missed


def niche_miss(creator: Creator, campaign: Campaign) -> str:
    """The brief's niches the creator shares none of, as a sentence; "" when they share one or the brief names none.
    Niches are a matching signal, not a hard requirement (PRODUCT §6): said before an invitation, never a reason
    to refuse an application."""
    wanted = list(campaign.niches.all())
    if not wanted or {n.pk for n in wanted} & {n.pk for n in creator.niches.all()}:
        return ""
    return _("Niche: this campaign is about %(n)s.") % {"n": ", ".join(n.name for n in wanted)}


def invite_misses(creator: Creator, campaign: Campaign) -> list[str]:
    """What a brand is told before inviting ``creator``: the requirements they miss, then the niche."""
    missed = eligibility(creator, campaign)
    niche = niche_miss(creator, campaign)
    return [*missed, niche] if niche else missed
