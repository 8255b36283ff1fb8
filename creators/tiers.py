"""Follower tiers (PRODUCT §1). The thresholds are one setting: CREATOR_TIER_THRESHOLDS."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    NANO = "nano", _("Nano")
    MICRO = "micro", _("Micro")
    MACRO = "macro", _("Macro")
    MEGA = "mega", _("Mega")


def thresholds() -> list[tuple[int, Tier]]:
    """(lower bound, tier) pairs, largest first; bounds are inclusive."""
    table = settings.CREATOR_TIER_THRESHOLDS
    return sorted(((int(table[t.value]), t) for t in Tier), reverse=True)


def tier_for(followers: int | None) -> Tier | None:
    """The tier of an account with ``followers``; None below the smallest bound ("emerging")."""
    if followers is None:
        return None
    for bound, tier in thresholds():
        if followers >= bound:
            return tier
    return None


def tier_label(tier: str | None) -> str:
    return Tier(tier).label if tier else str(_("Emerging"))
