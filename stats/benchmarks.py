"""Engagement-rate benchmark bands per platform and tier: the one table, and the one way to judge an account.

The media kit (its "typical / above / below" badge), the authenticity flags
(``stats.engagement.authenticity_flags``) and matching (``campaigns.matching``,
which inlines the table into its SQL through ``band_table_json``) all read
this module, so they cannot disagree.

Bands are in percent and in the unit of the platform's formula
(``stats.engagement``): follower-based for Instagram and LinkedIn, view-based
for TikTok and YouTube. Our macro tier (100K–1M) spans the sources' "mid" and
"macro" rows, so its band is their union. Sources (research file
/work/shared/research/platforms-and-benchmarks.md §3.2–3.3) in ``BENCHMARK_SOURCES``.

Emerging accounts (below the smallest tier bound, CREATOR_TIER_THRESHOLDS
"nano") have **no** band: no source publishes one below 1,000 followers, and
small accounts vary too much for one to mean anything.

Pure Python, no Django imports: the demo provider and worker code use it
before settings exist.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

BENCHMARK_BANDS: Mapping[str, Mapping[str, tuple[Decimal, Decimal]]] = {
    "instagram": {
        "nano": (Decimal(3), Decimal(5)),
        "micro": (Decimal(2), Decimal("3.5")),
        "macro": (Decimal(1), Decimal("2.5")),
        "mega": (Decimal("0.7"), Decimal("1.2")),
    },
    "tiktok": {
        "nano": (Decimal(6), Decimal(10)),
        "micro": (Decimal(4), Decimal(7)),
        "macro": (Decimal(2), Decimal(5)),
        "mega": (Decimal(1), Decimal(2)),
    },
    "youtube": {
        "nano": (Decimal("3.5"), Decimal(7)),
        "micro": (Decimal(3), Decimal(6)),
        "macro": (Decimal("2.5"), Decimal(5)),
        "mega": (Decimal(2), Decimal(4)),
    },
    "linkedin": {
        "nano": (Decimal(3), Decimal(5)),
        "micro": (Decimal(2), Decimal("3.5")),
        "macro": (Decimal(1), Decimal("2.5")),
        "mega": (Decimal("0.7"), Decimal("1.2")),
    },
}
BENCHMARK_SOURCES: Mapping[str, str] = {
    "instagram": "untapper 2026 IG averages by tier (research §3.3 [T20]), (likes+comments)/followers; "
    "consistent with HypeAuditor nano 2.78 % [HA10] and Statista nano 2.19 % [T16].",
    "tiktok": "untapper 2026 TikTok averages by tier, computed on views (research §3.3 [T20]).",
    "youtube": "Our assumption: brightbean's all-tier 'average' of 3–6 % (likes+comments)/views "
    "(research §3.2 [T13]), shifted per tier; no tiered source was found. (Influencer Hero's 0.54 % "
    "median [T18] is by subscribers, a different unit from our view-based formula, so it is not used.)",
    "linkedin": "Our assumption: no published LinkedIn source in the research; Instagram bands are reused "
    "because both are follower-based.",
}


class Band(NamedTuple):
    """An "average account" band in percent, ``low`` ≤ typical ≤ ``high``."""

    low: Decimal
    high: Decimal


class Judgement(NamedTuple):
    """An account's engagement against its band: ``verdict`` is "below", "typical", "above" or None (no rate)."""

    band: Band
    verdict: str | None


def benchmark_band(platform: str, tier: str | None) -> Band | None:
    """The band for ``platform`` and ``tier``; None for emerging accounts (tier None) and unknown platforms.

    >>> benchmark_band("instagram", "micro")
    Band(low=Decimal('2'), high=Decimal('3.5'))
    >>> benchmark_band("instagram", None) is None
    True
    """
    if tier is None:
        return None
    band = BENCHMARK_BANDS.get(platform, {}).get(tier)
    return Band(*band) if band else None


def judge(platform: str, tier: str | None, rate: Decimal | float | None) -> Judgement | None:
    """How ``rate`` compares with the band of ``platform`` and ``tier``; None when there is no band.

    >>> judge("youtube", "nano", Decimal("2.00")).verdict, judge("youtube", "nano", None).verdict
    ('below', None)
    >>> judge("tiktok", None, Decimal("9")) is None
    True
    """
    band = benchmark_band(platform, tier)
    if band is None:
        return None
    if rate is None:
        return Judgement(band, None)
    value = Decimal(str(rate))
    verdict = "below" if value < band.low else "above" if value > band.high else "typical"
    return Judgement(band, verdict)


def band_table_json(index: int) -> str:
    """``{"<platform>:<tier>": low-or-high}`` as JSON (index 0 = low, 1 = high), for SQL that needs the table."""
    return json.dumps(
        {
            f"{platform}:{tier}": float(band[index])
            for platform, bands in BENCHMARK_BANDS.items()
            for tier, band in bands.items()
        }
    )
