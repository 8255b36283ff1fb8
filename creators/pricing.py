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
