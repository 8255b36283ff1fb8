"""Suggested price ranges beside each rate-card entry, so small creators do not underprice (issue 3, item 6).

The figures are data, not code: creators/data/price_ranges.json, with their source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "price_ranges.json"


@dataclass(frozen=True)
class PriceRange:
    low: int
    high: int | None
    currency: str

    def __str__(self) -> str:
        symbol = "$" if self.currency == "USD" else f"{self.currency} "
        if self.high is None:
            return f"{symbol}{self.low:,}+"
        return f"{symbol}{self.low:,}–{symbol}{self.high:,}"

    def verdict(self, price: Decimal, currency: str) -> str | None:
        """'below', 'within' or 'above' the range; None when the currencies differ (no conversion here)."""
        if currency != self.currency:
            return None
        if price < self.low:
            return "below"
        if self.high is not None and price > self.high:
            return "above"
        return "within"


@cache
def _table() -> dict:
    return json.loads(DATA_FILE.read_text())


def suggested_range(platform: str, tier: str | None) -> PriceRange | None:
    """The usual price for one deliverable on ``platform`` at ``tier`` (None tier = emerging: the nano row)."""
    data = _table()
    row = data["ranges"].get(platform, {}).get(tier or "nano")
    if row is None:
        return None
    return PriceRange(low=row[0], high=row[1], currency=data["currency"])


@dataclass(frozen=True)
class PlatformGuide:
    """The usual range on one platform, judged at the tier of the creator's account there (issue 14, point 5)."""

    platform: str
    label: str
    tier: str | None
    tier_label: str
    handle: str  # the account the tier comes from; "" when none is linked there (the largest account's tier)
    range: PriceRange | None


def rate_guide(creator, accounts) -> dict[str, PlatformGuide]:
    """One guide per platform: the tier is ``creators.tiers.tier_for`` of the creator's account on that platform
    (its largest, if several), else of their largest account. The rate-card rows and the panel both read this,
    so a row is never judged against another tier than the one the panel shows."""
    from .models import Platform
    from .tiers import tier_for, tier_label

    best: dict[str, object] = {}
    for account in accounts:
        if account.followers is None:
            continue
        if account.platform not in best or account.followers > best[account.platform].followers:
            best[account.platform] = account
    overall = tier_for(creator.followers or None)
    guide = {}
    for value, label in Platform.choices:
        account = best.get(value)
        tier = tier_for(account.followers) if account is not None else overall
        tier_value = tier.value if tier else None
        guide[value] = PlatformGuide(
            platform=value,
            label=str(label),
            tier=tier_value,
            tier_label=tier_label(tier_value),
            handle=account.handle if account is not None else "",
            range=suggested_range(value, tier_value),
        )
    return guide
