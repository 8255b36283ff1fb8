"""Engagement formulas, averages, benchmark bands and authenticity flags, with worked numbers."""

from __future__ import annotations

import doctest
from datetime import timedelta
from decimal import Decimal

import pytest

import stats.engagement as engagement_module
from stats.benchmarks import BENCHMARK_BANDS, BENCHMARK_SOURCES, benchmark_band
from stats.engagement import authenticity_flags, averages, engagement_rate
from stats.providers import PostStats


def post(likes: int | None, comments: int | None, views: int | None = None, shares: int | None = None) -> PostStats:
    return PostStats("p", None, likes, comments, views, shares, likes_hidden=likes is None)


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(engagement_module).failed == 0


def test_instagram_median_of_likes_plus_comments_over_followers() -> None:
    posts = [post(300, 20), post(None, 15), post(250, 30), post(400, 10)]
    # 3.20 %, (hidden skipped), 2.80 %, 4.10 % → median 3.20
    assert engagement_rate("instagram", 10_000, posts) == Decimal("3.20")


def test_linkedin_is_follower_based_too() -> None:
    assert engagement_rate("linkedin", 2_000, [post(50, 10), post(30, 0)]) == Decimal("2.25")  # 3.00 % and 1.50 %


def test_only_the_12_most_recent_posts_count() -> None:
    recent = [post(100, 0)] * 12
    old = [post(10_000, 0)] * 30
    assert engagement_rate("instagram", 1_000, recent + old) == Decimal("10.00")


def test_tiktok_counts_shares_over_views() -> None:
    posts = [post(1_200, 45, 25_000, 30), post(900, 50, 10_000, 50), post(10, 1, 0, 1)]
    # 1,275 / 25,000 = 5.10 %; 1,000 / 10,000 = 10.00 %; the 0-view post is skipped
    assert engagement_rate("tiktok", None, posts) == Decimal("7.55")


def test_tiktok_unknown_shares_excludes_the_post() -> None:
    assert engagement_rate("tiktok", 5_000, [post(100, 0, 1_000, None), post(50, 0, 1_000, 0)]) == Decimal("5.00")


def test_youtube_ignores_followers_and_shares() -> None:
    posts = [post(2_500, 200, 50_000, 99), post(None, 10, 1_000), post(100, None, 1_000), post(300, 30, 11_000)]
    # 5.40 % and 3.00 %; likes or comments unknown → skipped; median of two = 4.20
    assert engagement_rate("youtube", None, posts) == Decimal("4.20")


@pytest.mark.parametrize(
    ("platform", "followers", "posts"),
    [
        ("instagram", None, [post(1, 1)]),
        ("instagram", 0, [post(1, 1)]),
        ("instagram", 100, []),
        ("instagram", 100, [post(None, 3)]),
        ("youtube", 100, [post(1, 1, 0)]),
        ("tiktok", 100, [post(1, 1, None, 1)]),
    ],
)
def test_nothing_to_say_is_none(platform: str, followers: int | None, posts: list[PostStats]) -> None:
    assert engagement_rate(platform, followers, posts) is None


def test_unknown_platform_raises() -> None:
    with pytest.raises(ValueError):
        engagement_rate("myspace", 10, [post(1, 1)])


def test_averages_ignore_unknown() -> None:
    assert averages([post(10, 1, 100), post(None, 2, None), post(21, 4, 300)]) == (
        Decimal("15.50"),
        Decimal("2.33"),
        Decimal("200.00"),
    )
    assert averages([]) == (None, None, None)


def test_benchmark_bands() -> None:
    assert benchmark_band("instagram", "nano") == (Decimal(3), Decimal(5))
    assert benchmark_band("tiktok", "mega") == (Decimal(1), Decimal(2))
    assert benchmark_band("youtube", None) is None
    assert set(BENCHMARK_BANDS) == set(BENCHMARK_SOURCES) == {"instagram", "tiktok", "youtube", "linkedin"}
    for bands in BENCHMARK_BANDS.values():
        assert set(bands) == {"nano", "micro", "macro", "mega"}
        assert all(low < high for low, high in bands.values())


def codes(flags: list) -> list[str]:
    return [f.code for f in flags]


def test_follower_spike_without_matching_likes() -> None:
    posts = [post(310, 10)] * 12
    flags = authenticity_flags(
        "instagram",
        followers=13_000,
        posts=posts,
        previous_followers=10_000,
        previous_avg_likes=300,
        elapsed=timedelta(hours=20),
    )
    spike = [f for f in flags if f.code == "follower_spike"]
    assert len(spike) == 1
    assert spike[0].numbers["growth_percent"] == 30.0
    assert spike[0].numbers["likes_growth_percent"] == 3.33
    assert spike[0].numbers["hours"] == 20.0


def test_no_spike_when_likes_grow_too_or_window_too_long() -> None:
    grown = [post(400, 10)] * 12
    assert "follower_spike" not in codes(
        authenticity_flags(
            "instagram",
            followers=13_000,
            posts=grown,
            previous_followers=10_000,
            previous_avg_likes=300,
            elapsed=timedelta(hours=20),
        )
    )
    flat = [post(300, 10)] * 12
    assert "follower_spike" not in codes(
        authenticity_flags(
            "instagram",
            followers=13_000,
            posts=flat,
            previous_followers=10_000,
            previous_avg_likes=300,
            elapsed=timedelta(days=3),
        )
    )
    assert "follower_spike" not in codes(
        authenticity_flags(
            "instagram",
            followers=11_500,
            posts=flat,
            previous_followers=10_000,
            previous_avg_likes=300,
            elapsed=timedelta(hours=5),
        )
    )


def test_spike_with_hidden_likes_is_flagged() -> None:
    flags = authenticity_flags(
        "instagram",
        followers=20_000,
        posts=[post(None, 5)],
        previous_followers=10_000,
        previous_avg_likes=None,
        elapsed=timedelta(hours=12),
    )
    assert "follower_spike" in codes(flags)


def test_engagement_far_outside_band() -> None:
    # IG micro band 2–3.5 %: flagged below 0.67 % and above 10.5 %
    assert codes(authenticity_flags("instagram", followers=50_000, posts=[post(300, 0)])) == [
        "engagement_below_benchmark"
    ]
    assert codes(authenticity_flags("instagram", followers=50_000, posts=[post(400, 0)])) == []
    assert codes(authenticity_flags("instagram", followers=50_000, posts=[post(5_300, 0)])) == [
        "engagement_above_benchmark"
    ]
    assert codes(authenticity_flags("instagram", followers=500, posts=[post(400, 0)])) == []  # emerging: no band
    flag = authenticity_flags("instagram", followers=50_000, engagement=Decimal("0.5"))[0]
    assert flag.numbers == {"engagement_rate": 0.5, "tier": "micro", "band_low": 2.0, "band_high": 3.5}


def test_likes_at_or_above_views() -> None:
    posts = [post(1_000, 10, 1_000), post(1_200, 10, 1_000), post(50, 1, 1_000), post(None, 1, 10)]
    flags = authenticity_flags("tiktok", followers=5_000, posts=posts, engagement=Decimal(8))
    assert codes(flags) == ["likes_over_views"]
    assert flags[0].numbers["posts"] == 2
