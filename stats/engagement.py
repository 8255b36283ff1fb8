"""Engagement-rate formulas and authenticity checks (the benchmark bands are in stats.benchmarks).

Pure functions over ``PostStats`` so the refresh task, the API, the admin and
the tests all compute the same numbers. No Django models here; the tier of an
account is given by the caller (creators.tiers.tier_for, the one place it is
computed).

The formulas (published in the UI next to the number)
-----------------------------------------------------
* **Instagram, LinkedIn — follower-based:**
  ``ER = median over the 12 most recent posts of (likes + comments) / followers × 100``.
  Posts whose likes are hidden or unknown (``likes is None``) or whose comments
  are unknown are left out of the median, never counted as 0.
* **TikTok — view-based:**
  ``ER = median over the 12 most recent posts with views > 0 of
  (likes + comments + shares) / views × 100``. Shares count on TikTok because
  they are a first-class, public engagement there (research §3.2 "ER_views").
* **YouTube — view-based:**
  ``ER = median over the 12 most recent videos with views > 0 of
  (likes + comments) / views × 100``. YouTube exposes no share count, so the
  formula is the brightbean one the benchmarks are quoted in.

Why the median: one viral post would otherwise dominate a mean over 12 posts
(InsightIQ and trendhero use medians for the same reason). Why views for
TikTok/YouTube: reach there is driven by the recommendation feed, not by
followers, so a follower denominator measures audience size twice.

The result is a ``Decimal`` percentage rounded half-up to 2 places, or
``None`` when nothing can be said (no usable posts, no followers).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from .benchmarks import benchmark_band
from .providers.base import PostStats

__all__ = [
    "FOLLOWER_BASED",
    "VIEW_BASED",
    "Flag",
    "authenticity_flags",
    "averages",
    "engagement_rate",
]

RECENT_POSTS = 12
FOLLOWER_BASED = frozenset({"instagram", "linkedin"})
VIEW_BASED = frozenset({"tiktok", "youtube"})
_CENTS = Decimal("0.01")


def _q(value: Fraction | Decimal | float) -> Decimal:
    if isinstance(value, Fraction):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_CENTS, ROUND_HALF_UP)
    return Decimal(value).quantize(_CENTS, ROUND_HALF_UP)


def _post_ratio(platform: str, post: PostStats, followers: int | None) -> Fraction | None:
    if post.likes is None or post.comments is None:
        return None
    if platform in FOLLOWER_BASED:
        if not followers:
            return None
        return Fraction(post.likes + post.comments, followers)
    if not post.views:
        return None
    engagements = post.likes + post.comments
    if platform == "tiktok":
        if post.shares is None:
            return None
        engagements += post.shares
    return Fraction(engagements, post.views)


def engagement_rate(platform: str, followers: int | None, posts: Sequence[PostStats]) -> Decimal | None:
    """Median engagement rate in percent over the 12 most recent posts (see the module docstring).

    ``posts`` are newest first, as providers return them. Worked examples:

    Instagram, 10,000 followers, three posts (likes, comments) = (300, 20),
    (hidden, 15), (250, 30), (400, 10): the hidden post is left out, the
    ratios are 3.20 %, 2.80 %, 4.10 %, the median is **3.20**.

    TikTok, posts (likes, comments, shares, views) = (1,200, 45, 30, 25,000)
    and (900, 50, 50, 10,000): 5.10 % and 10.00 %, median (even count: mean of
    the two middle values) **7.55**.

    YouTube, (2,500 likes, 200 comments, 50,000 views): **5.40**; a video with
    0 views is skipped; one with likes hidden (None) is skipped too.

    >>> from stats.providers.base import PostStats as P
    >>> engagement_rate("instagram", 10_000, [P("a", None, 300, 20, None),
    ...                                        P("b", None, None, 15, None, likes_hidden=True),
    ...                                        P("c", None, 250, 30, None), P("d", None, 400, 10, None)])
    Decimal('3.20')
    >>> engagement_rate("tiktok", 5_000, [P("a", None, 1200, 45, 25000, 30), P("b", None, 900, 50, 10000, 50)])
    Decimal('7.55')
    >>> engagement_rate("youtube", None, [P("a", None, 2500, 200, 50000)])
    Decimal('5.40')
    """
    if platform not in FOLLOWER_BASED and platform not in VIEW_BASED:
        raise ValueError(f"unknown platform {platform!r}")
    if platform in FOLLOWER_BASED and not followers:
        return None
    ratios = [r for r in (_post_ratio(platform, p, followers) for p in posts[:RECENT_POSTS]) if r is not None]
    if not ratios:
        return None
    return _q(statistics.median(ratios) * 100)


def averages(posts: Sequence[PostStats]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Mean likes, comments and views over ``posts``, each ignoring the posts where it is unknown.

    >>> from stats.providers.base import PostStats as P
    >>> averages([P("a", None, 10, 1, None), P("b", None, None, 2, None), P("c", None, 21, 4, None)])
    (Decimal('15.50'), Decimal('2.33'), None)
    """

    def mean(values: list[int]) -> Decimal | None:
        return _q(Fraction(sum(values), len(values))) if values else None

    return (
        mean([p.likes for p in posts if p.likes is not None]),
        mean([p.comments for p in posts if p.comments is not None]),
        mean([p.views for p in posts if p.views is not None]),
    )


class Flag(NamedTuple):
    """One authenticity signal; ``numbers`` is JSON-ready so it can be stored and shown as is."""

    code: str
    message: str
    numbers: dict[str, Any]


def _f(value: Decimal | Fraction | float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def authenticity_flags(
    platform: str,
    *,
    followers: int | None,
    posts: Sequence[PostStats] = (),
    engagement: Decimal | None = None,
    tier: str | None | object = ...,
    previous_followers: int | None = None,
    previous_avg_likes: Decimal | float | None = None,
    elapsed: timedelta | None = None,
    spike_growth: Decimal = Decimal("0.20"),
    spike_window: timedelta = timedelta(days=1),
) -> list[Flag]:
    """The checks a vetting admin wants surfaced; an empty list means nothing suspicious.

    ``tier`` is the account's tier (None: emerging, no benchmark band), from
    ``creators.tiers.tier_for`` (the one tier rule) when omitted; ``engagement``
    is computed from ``followers``/``posts`` when omitted. Previous numbers come from the last snapshot,
    ``elapsed`` is the time since it.

    * ``follower_spike``: followers grew by more than ``spike_growth`` (20 %)
      within ``spike_window`` (1 day) while average likes did not grow at
      least half as fast (or are unknown). Vendors cite "hockey-stick" jumps
      with no viral post as the sign of bought followers (research §3.5).
      Example: 10,000 → 13,000 in 20 h (+30 %) with average likes 300 → 310
      (+3.3 %) is flagged; 300 → 400 (+33 %) is not.
    * ``engagement_below_benchmark`` / ``engagement_above_benchmark``: ER
      under a third of the tier band's low end, or over three times its high
      end. Example: Instagram micro band 2–3.5 %: below 0.67 % or above 10.5 %.
    * ``likes_over_views``: on video posts, likes at or above views, which an
      organic audience cannot produce.
    """
    flags: list[Flag] = []
    if tier is ...:
        from creators.tiers import tier_for  # reads CREATOR_TIER_THRESHOLDS (Django settings)

        found = tier_for(followers)
        tier = found.value if found else None
    if engagement is None and (platform in FOLLOWER_BASED or platform in VIEW_BASED):
        engagement = engagement_rate(platform, followers, posts)

    if previous_followers and followers is not None and elapsed is not None and timedelta(0) <= elapsed <= spike_window:
        growth = Fraction(followers - previous_followers, previous_followers)
        if growth > Fraction(spike_growth):
            avg_likes = averages(posts)[0]
            likes_growth: Fraction | None = None
            if avg_likes is not None and previous_avg_likes:
                previous = Fraction(Decimal(str(previous_avg_likes)))
                likes_growth = (Fraction(avg_likes) - previous) / previous
            if likes_growth is None or likes_growth < growth / 2:
                flags.append(
                    Flag(
                        "follower_spike",
                        f"Followers grew {_f(growth * 100)} % in {_f(elapsed.total_seconds() / 3600)} h "
                        "without a matching rise in likes.",
                        {
                            "previous_followers": previous_followers,
                            "followers": followers,
                            "growth_percent": _f(growth * 100),
                            "hours": _f(elapsed.total_seconds() / 3600),
                            "previous_avg_likes": _f(Decimal(str(previous_avg_likes)))
                            if previous_avg_likes is not None
                            else None,
                            "avg_likes": _f(avg_likes),
                            "likes_growth_percent": _f(likes_growth * 100) if likes_growth is not None else None,
                        },
                    )
                )

    band = benchmark_band(platform, tier)
    if band is not None and engagement is not None:
        low, high = band
        numbers = {"engagement_rate": _f(engagement), "tier": tier, "band_low": _f(low), "band_high": _f(high)}
        if engagement < low / 3:
            flags.append(
                Flag(
                    "engagement_below_benchmark",
                    f"Engagement {engagement} % is far below the {tier} {platform} benchmark ({low}–{high} %).",
                    numbers,
                )
            )
        elif engagement > high * 3:
            flags.append(
                Flag(
                    "engagement_above_benchmark",
                    f"Engagement {engagement} % is far above the {tier} {platform} benchmark ({low}–{high} %).",
                    numbers,
                )
            )

    suspicious = [
        p for p in posts if p.views is not None and p.likes is not None and p.likes > 0 and p.likes >= p.views
    ]
    if suspicious:
        flags.append(
            Flag(
                "likes_over_views",
                f"{len(suspicious)} video post(s) have at least as many likes as views.",
                {
                    "posts": len(suspicious),
                    "examples": [
                        {"external_id": p.external_id, "likes": p.likes, "views": p.views} for p in suspicious[:3]
                    ],
                },
            )
        )
    return flags
