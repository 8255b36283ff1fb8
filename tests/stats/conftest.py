"""Fixtures for the statistics pipeline: fake platforms over real HTTP, settings pointing at them, clean Redis."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from core.ratelimit import redis_client
from stats.config import REDIS_PREFIX
from tests.fakes import FakeAccount, FakeInstagram, FakePost, FakeTikTok, FakeYouTube

AS_OF = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clean_stats_redis() -> Iterator[None]:
    """Limiter windows, queued markers and manual-refresh counters live in Redis, not in the rolled-back DB."""

    def wipe() -> None:
        client = redis_client()
        keys = list(client.scan_iter(f"{REDIS_PREFIX}*", count=1000))
        if keys:
            client.delete(*keys)

    wipe()
    yield
    wipe()


@pytest.fixture
def fakes(settings) -> Iterator[dict[str, object]]:
    """The three fake platforms, with the adapters pointed at them through settings."""
    with (
        FakeYouTube(generate_missing=False) as yt,
        FakeInstagram(generate_missing=False) as ig,
        FakeTikTok(generate_missing=False) as tt,
    ):
        settings.STATS_PROVIDER_DEMO = False
        settings.YOUTUBE_API_KEY = "test-key"
        settings.YOUTUBE_API_BASE = yt.url
        settings.YOUTUBE_ANALYTICS_BASE = yt.url  # the fake serves /v2/reports too
        settings.INSTAGRAM_ACCESS_TOKEN = "IGQ-test"
        settings.INSTAGRAM_IG_USER_ID = "17841405309211844"
        settings.INSTAGRAM_API_BASE = ig.url
        settings.TIKTOK_API_BASE = tt.url
        settings.STATS_HTTP_TIMEOUT = 2.0
        # The documented quotas (YouTube: 6 a minute) would make these tests wait; the limiter has its own tests.
        settings.YOUTUBE_REQUESTS_PER_MINUTE = settings.INSTAGRAM_REQUESTS_PER_MINUTE = 10_000
        settings.TIKTOK_REQUESTS_PER_MINUTE = 10_000
        yield {"youtube": yt, "instagram": ig, "tiktok": tt}


def posts(
    n: int,
    *,
    likes: int,
    comments: int,
    views: int | None = None,
    shares: int | None = None,
    start: datetime = AS_OF,
    prefix: str = "p",
) -> list[FakePost]:
    return [
        FakePost(
            id=f"{prefix}.{k}",
            published_at=start - timedelta(days=k + 1),
            likes=likes,
            comments=comments,
            views=views,
            shares=shares,
        )
        for k in range(n)
    ]


def fake_account(account_id: str, handle: str, followers: int, post_list: list[FakePost], **kw) -> FakeAccount:
    return FakeAccount(id=account_id, handle=handle, followers=followers, posts=post_list, **kw)
