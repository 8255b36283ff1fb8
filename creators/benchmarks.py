"""Engagement-rate benchmark bands per platform and tier (a UI hint, not a rule).

Used by the media kit to say whether an account's engagement is typical for
its size. If the stats helper's creators/engagement.py with
``benchmark_band(platform, tier)`` is present it is the source; otherwise this
small table is. Figures (percent), from the research file §3.3:
Instagram and TikTok: untapper 2026 [T20] bands (TikTok measured by views);
YouTube: brightbean [T13] says 3-6 % by views is average, Influencer Hero
[T18] puts the median by subscribers at 0.54 %: we use a by-subscriber band
around that median, lower for bigger channels;
LinkedIn: no published tiered figures; a broad 1-3 % band, marked as a guess.
"""

from __future__ import annotations

from decimal import Decimal

BANDS: dict[str, dict[str, tuple[float, float]]] = {
    "instagram": {"nano": (3.0, 5.0), "micro": (2.0, 3.5), "macro": (1.0, 2.5), "mega": (0.7, 1.2)},
    "tiktok": {"nano": (6.0, 10.0), "micro": (4.0, 7.0), "macro": (2.0, 5.0), "mega": (1.0, 2.0)},
    "youtube": {"nano": (1.0, 3.0), "micro": (0.6, 2.0), "macro": (0.4, 1.2), "mega": (0.2, 0.8)},
    "linkedin": {"nano": (1.0, 3.0), "micro": (1.0, 3.0), "macro": (1.0, 3.0), "mega": (1.0, 3.0)},
}


def _local_band(platform: str, tier: str | None) -> tuple[float, float] | None:
    return BANDS.get(platform, {}).get(tier or "nano")


try:  # the stats pipeline's table, when that issue has landed
    from .engagement import benchmark_band as _pipeline_band  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on merge order
    _pipeline_band = None


def benchmark_band(platform: str, tier: str | None) -> tuple[float, float] | None:
    if _pipeline_band is not None:
        band = _pipeline_band(platform, tier)
        if band is not None:
            return tuple(float(x) for x in band)[:2]
    return _local_band(platform, tier)


def engagement_verdict(rate: Decimal | float | None, band: tuple[float, float] | None) -> str | None:
    """'below', 'typical' or 'above' the band; None without a rate or a band."""
    if rate is None or band is None:
        return None
    value = float(rate)
    if value < band[0]:
        return "below"
    if value > band[1]:
        return "above"
    return "typical"
