"""DemoProvider: deterministic, realistic, growing over days, with planted anomalies."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from creators.tiers import tier_for
from stats.benchmarks import BENCHMARK_BANDS
from stats.engagement import authenticity_flags, engagement_rate
from stats.providers import AccountGone, AccountRef, AccountStats, DemoProvider
from stats.providers.demo import REFERENCE_DAY, _profile

DAY = datetime(2026, 1, 1, 9, tzinfo=UTC)
HANDLES = [f"creator{n}" for n in range(1500)]


def fetch_all(platform: str, when: datetime, handles: list[str] = HANDLES) -> dict[str, AccountStats]:
    result = DemoProvider(platform).fetch([AccountRef(h, h) for h in handles], as_of=when)
    assert all(isinstance(v, AccountStats) for v in result.values())
    return result  # type: ignore[return-value]


def test_deterministic_for_the_same_day() -> None:
    refs = [AccountRef("a", "alice"), AccountRef("b", "bob")]
    morning = DemoProvider("instagram").fetch(refs, as_of=DAY)
    evening = DemoProvider("instagram").fetch(refs, as_of=DAY + timedelta(hours=12))
    assert morning == evening
    assert morning["a"] != morning["b"]
    assert DemoProvider("tiktok").fetch(refs, as_of=DAY)["a"] != morning["a"]  # platform is part of the seed


def test_grows_slowly_over_days_and_gets_new_posts() -> None:
    later = DAY + timedelta(days=30)
    now, then = fetch_all("instagram", DAY, HANDLES[:300]), fetch_all("instagram", later, HANDLES[:300])
    ratios = []
    for h in HANDLES[:300]:
        if _profile("instagram", h).anomaly == "spike":
            continue
        before, after = now[h].followers, then[h].followers
        assert before and after
        ratios.append(after / before)
        assert then[h].posts_count >= now[h].posts_count  # type: ignore[operator]
        assert then[h].posts[0].published_at >= now[h].posts[0].published_at  # type: ignore[operator]
    assert all(0.98 <= r <= 1.07 for r in ratios)  # −0.05 %…+0.2 % a day
    assert sum(r > 1 for r in ratios) > 0.85 * len(ratios)


def test_followers_log_uniform_across_tiers() -> None:
    stats = fetch_all("instagram", datetime(2026, 1, 1, tzinfo=UTC))
    followers = [s.followers for s in stats.values() if s.followers is not None]
    assert min(followers) >= 300 * 0.99 and max(followers) <= 2_000_000 * 1.51
    tiers = Counter(tier_for(f) for f in followers)
    assert set(tiers) == {None, "nano", "micro", "macro", "mega"}
    # log-uniform over ~3.8 decades: each full decade holds about 26 %
    for tier in ("nano", "micro", "macro"):
        assert 0.20 < tiers[tier] / len(followers) < 0.33
    decades = Counter(int(math.log10(f)) for f in followers)
    assert decades[3] and decades[4] and decades[5]


@pytest.mark.parametrize("platform", ["instagram", "tiktok", "youtube", "linkedin"])
def test_engagement_mostly_inside_the_tier_band(platform: str) -> None:
    stats = fetch_all(platform, DAY, HANDLES[:600])
    inside = total = 0
    for handle, s in stats.items():
        p = _profile(platform, handle)
        tier = tier_for(int(p.base_followers))
        if p.anomaly or tier is None:
            continue
        rate = engagement_rate(platform, s.followers, s.posts)
        if rate is None:
            continue  # hidden likes on every post
        low, high = BENCHMARK_BANDS[platform][tier]
        total += 1
        inside += float(low) * 0.8 <= float(rate) <= float(high) * 1.2
    assert total > 300
    assert inside / total > 0.85


def test_planted_anomalies_are_flagged() -> None:
    stats = fetch_all("tiktok", DAY)
    over = [h for h in HANDLES if _profile("tiktok", h).anomaly == "likes_over_views"]
    assert over
    for h in over:
        assert "likes_over_views" in [
            f.code for f in authenticity_flags("tiktok", followers=stats[h].followers, posts=stats[h].posts)
        ]
    normal = [h for h in HANDLES[:200] if not _profile("tiktok", h).anomaly]
    assert not any(
        "likes_over_views"
        in [f.code for f in authenticity_flags("tiktok", followers=stats[h].followers, posts=stats[h].posts)]
        for h in normal
    )

    spiky = [h for h in HANDLES if _profile("instagram", h).anomaly == "spike"][:5]
    assert spiky
    demo = DemoProvider("instagram")
    for h in spiky:
        spike_day = datetime.combine(_profile("instagram", h).spike_day, datetime.min.time(), tzinfo=UTC)
        before = demo.fetch([AccountRef(h, h)], as_of=spike_day - timedelta(days=1))[h]
        after = demo.fetch([AccountRef(h, h)], as_of=spike_day)[h]
        assert isinstance(before, AccountStats) and isinstance(after, AccountStats)
        from stats.engagement import averages

        flags = authenticity_flags(
            "instagram",
            followers=after.followers,
            posts=after.posts,
            previous_followers=before.followers,
            previous_avg_likes=averages(before.posts)[0],
            elapsed=timedelta(days=1),
        )
        assert "follower_spike" in [f.code for f in flags], h


def test_platform_specific_gaps() -> None:
    ig = fetch_all("instagram", DAY)
    hiders = [s for s in ig.values() if s.posts and s.posts[0].likes_hidden]
    assert hiders and all(p.likes is None for s in hiders for p in s.posts)
    yt = fetch_all("youtube", DAY)
    assert any(s.followers is None for s in yt.values())
    shown = [s.followers for s in yt.values() if s.followers and s.followers >= 1000]
    assert all(len(str(f).rstrip("0")) <= 3 for f in shown)  # abbreviated to 3 significant figures
    assert all(s.posts[0].shares is None for s in yt.values() if s.posts)
    tt = fetch_all("tiktok", DAY, HANDLES[:50])
    assert all(p.shares is not None and p.views for s in tt.values() for p in s.posts)
    li = fetch_all("linkedin", DAY, HANDLES[:5])
    assert all(s.self_reported for s in li.values())


def test_gone_handles_and_reference_day() -> None:
    result = DemoProvider("youtube").fetch([AccountRef("x", "gone_old")], as_of=DAY)
    assert isinstance(result["x"], AccountGone)
    assert REFERENCE_DAY.year == 2026
    with pytest.raises(ValueError):
        DemoProvider("myspace")
