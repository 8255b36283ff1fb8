"""get_provider() picks real adapters only when configured; LinkedIn returns self-reported numbers."""

from __future__ import annotations

from typing import Any

import pytest

from stats.providers import (
    AccountRef,
    AccountStats,
    DemoProvider,
    InstagramProvider,
    LinkedInProvider,
    PostStats,
    ProviderError,
    TikTokProvider,
    YouTubeProvider,
    get_provider,
)
from stats.providers.linkedin import NoSelfReportedStats
from tests.fakes import FakeYouTube


@pytest.mark.parametrize("platform", ["youtube", "instagram", "tiktok", "linkedin"])
def test_demo_without_credentials(platform: str) -> None:
    provider = get_provider(platform, {})
    assert isinstance(provider, DemoProvider) and provider.platform == platform


def test_real_adapters_with_credentials() -> None:
    settings = {
        "YOUTUBE_API_KEY": "k",
        "YOUTUBE_API_BASE": "http://127.0.0.1:9",
        "YOUTUBE_REQUESTS_PER_MINUTE": "100",
        "INSTAGRAM_ACCESS_TOKEN": "t",
        "INSTAGRAM_IG_USER_ID": "1784",
        "TIKTOK_CLIENT_KEY": "ck",
        "LINKEDIN_SELF_REPORTED": {},
        "STATS_RECENT_POSTS": 20,
    }
    yt = get_provider("youtube", settings)
    assert isinstance(yt, YouTubeProvider)
    assert (yt.base_url, yt.requests_per_minute, yt.recent_posts, yt.max_batch) == ("http://127.0.0.1:9", 100, 20, 50)
    ig = get_provider("instagram", settings)
    assert isinstance(ig, InstagramProvider) and ig.base_url == "https://graph.facebook.com"
    assert isinstance(get_provider("tiktok", settings), TikTokProvider)
    assert isinstance(get_provider("linkedin", settings), LinkedInProvider)
    assert isinstance(get_provider("instagram", {"INSTAGRAM_ACCESS_TOKEN": "t"}), DemoProvider)  # needs both
    assert isinstance(get_provider("youtube", {**settings, "STATS_PROVIDER_DEMO": True}), DemoProvider)
    with pytest.raises(ValueError):
        get_provider("myspace", settings)


def test_registry_adapter_talks_to_the_fake() -> None:
    with FakeYouTube() as fake:
        yt = get_provider("youtube", {"YOUTUBE_API_KEY": "test-key", "YOUTUBE_API_BASE": fake.url})
        result = yt.fetch([AccountRef("k", "somebody")])
    assert isinstance(result["k"], AccountStats)


def test_linkedin_self_reported_mapping_and_callable() -> None:
    source: dict[str, Any] = {
        "k1": {"followers": 4_200, "posts": [{"likes": 80, "comments": 4}, {"likes": 60, "comments": 2}]},
        "handle2": AccountStats("x", "handle2", 900, None, None, None, None, (PostStats("p", None, 9, 1, None),)),
    }
    provider = LinkedInProvider(source)
    result = provider.fetch([AccountRef("k1", "h1"), AccountRef("k2", "handle2"), AccountRef("k3", "nobody")])
    first = result["k1"]
    assert isinstance(first, AccountStats) and first.self_reported and first.followers == 4_200
    assert [(p.likes, p.comments) for p in first.posts] == [(80, 4), (60, 2)]
    second = result["k2"]
    assert isinstance(second, AccountStats) and second.self_reported and second.followers == 900
    assert isinstance(result["k3"], NoSelfReportedStats) and isinstance(result["k3"], ProviderError)
    assert not result["k3"].retryable
    assert provider.requests_made == 0

    by_call = LinkedInProvider(lambda ref: {"followers": len(ref.handle) * 1000})
    stats = by_call.fetch([AccountRef("a", "abc")])["a"]
    assert isinstance(stats, AccountStats) and stats.followers == 3_000 and stats.self_reported
