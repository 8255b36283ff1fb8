"""TikTokProvider against the fake TikTok v2 API over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stats.providers import (
    AccountRef,
    AccountStats,
    AuthError,
    MalformedResponse,
    RateLimited,
    TikTokProvider,
    TransientError,
)
from tests.fakes import FakeAccount, FakePost, FakeTikTok

from .conftest import CLIENT_TIMEOUT

T0 = datetime(2026, 4, 1, tzinfo=UTC)


def creator(n: int = 1, posts: int = 50) -> FakeAccount:
    return FakeAccount(
        id=f"open{n}",
        handle=f"creator{n}",
        followers=15_234,
        following=312,
        total_likes=400_000,
        posts_count=87,
        posts=[
            FakePost(
                f"7{n}{k:05d}", T0 - timedelta(hours=10 * k), likes=1_200 + k, comments=45, views=25_000, shares=30
            )
            for k in range(posts)
        ],
    )


def provider(fake: FakeTikTok, **kw: object) -> TikTokProvider:
    return TikTokProvider(base_url=fake.url, timeout=CLIENT_TIMEOUT, **kw)  # type: ignore[arg-type]


def test_happy_path_with_cursor_paging(tiktok_fake: FakeTikTok) -> None:
    tiktok_fake.link("act.one", creator())
    tt = provider(tiktok_fake, recent_posts=30)
    stats = tt.fetch([AccountRef("k", "creator1", access_token="act.one")])["k"]
    assert isinstance(stats, AccountStats)
    assert (stats.external_id, stats.handle, stats.followers, stats.following) == ("open1", "creator1", 15_234, 312)
    assert (stats.total_likes, stats.posts_count, stats.total_views) == (400_000, 87, None)
    assert len(stats.posts) == 30
    assert [p.external_id for p in stats.posts[:2]] == ["7100000", "7100001"]
    first = stats.posts[0]
    assert (first.likes, first.comments, first.shares, first.views, first.published_at) == (1_200, 45, 30, 25_000, T0)
    # user/info + two video/list pages (20 + 10), the second continuing from the first page's cursor
    assert tt.requests_made == 3
    bodies = list(tiktok_fake.video_list_bodies)
    assert bodies[0] == {"max_count": 20}
    assert bodies[1] == {"max_count": 10, "cursor": int((T0 - timedelta(hours=190)).timestamp() * 1000)}
    assert tiktok_fake.log[0].headers["authorization"] == "Bearer act.one"


def test_short_pages_with_has_more(tiktok_fake: FakeTikTok) -> None:
    tiktok_fake.page_cap = 4  # fewer than max_count although has_more stays true
    tiktok_fake.link("act.one", creator())
    stats = provider(tiktok_fake, recent_posts=12).fetch([AccountRef("k", "c", access_token="act.one")])["k"]
    assert isinstance(stats, AccountStats) and len(stats.posts) == 12
    assert tiktok_fake.count("/video/list/") == 3


def test_stops_when_has_more_is_false(tiktok_fake: FakeTikTok) -> None:
    tiktok_fake.link("act.one", creator(posts=5))
    stats = provider(tiktok_fake, recent_posts=12).fetch([AccountRef("k", "c", access_token="act.one")])["k"]
    assert isinstance(stats, AccountStats) and len(stats.posts) == 5
    assert tiktok_fake.count("/video/list/") == 1


def test_bad_token_is_auth_error_for_that_creator_only(tiktok_fake: FakeTikTok) -> None:
    tiktok_fake.link("act.one", creator())
    tt = provider(tiktok_fake)
    result = tt.fetch(
        [
            AccountRef("bad", "x", access_token="act.revoked"),
            AccountRef("none", "y"),
            AccountRef("ok", "creator1", access_token="act.one"),
        ]
    )
    assert isinstance(result["bad"], AuthError) and not result["bad"].retryable
    assert isinstance(result["none"], AuthError)
    assert isinstance(result["ok"], AccountStats)


def test_scope_not_authorized(tiktok_fake: FakeTikTok) -> None:
    tiktok_fake.link("act.one", creator())
    tiktok_fake.missing_stats_scope.add("act.one")
    result = provider(tiktok_fake).fetch([AccountRef("k", "c", access_token="act.one")])
    assert isinstance(result["k"], AuthError)


def test_rate_limit_exceeded_429(tiktok_fake: FakeTikTok) -> None:
    tiktok_fake.link("act.one", creator())
    tiktok_fake.fail("rate_limit", retry_after=3)
    with pytest.raises(RateLimited) as info:
        provider(tiktok_fake).fetch([AccountRef("k", "c", access_token="act.one")])
    assert info.value.retry_after == 3.0


def test_quota_window_midway(tiktok_fake: FakeTikTok) -> None:
    tiktok_fake.link("act.one", creator())
    tiktok_fake.link("act.two", creator(2))
    tiktok_fake.set_quota(2, per_seconds=60)  # user/info + one page for the first creator
    result = provider(tiktok_fake).fetch(
        [AccountRef("1", "a", access_token="act.one"), AccountRef("2", "b", access_token="act.two")]
    )
    assert isinstance(result["1"], AccountStats)
    assert isinstance(result["2"], RateLimited)


@pytest.mark.parametrize(("mode", "error"), [("server_error", TransientError), ("slow", TransientError)])
def test_transport_failures_raise(tiktok_fake: FakeTikTok, mode: str, error: type[Exception]) -> None:
    tiktok_fake.link("act.one", creator())
    tiktok_fake.fail(mode, delay=1.0, status=502)
    with pytest.raises(error):
        provider(tiktok_fake).fetch([AccountRef("k", "c", access_token="act.one")])


def test_malformed_is_per_account(tiktok_fake: FakeTikTok) -> None:
    tiktok_fake.link("act.one", creator())
    tiktok_fake.fail("malformed", path="/video/list/")
    result = provider(tiktok_fake).fetch(
        [AccountRef("a", "c", access_token="act.one"), AccountRef("b", "c", access_token="act.one")]
    )
    assert isinstance(result["a"], MalformedResponse)
    assert isinstance(result["b"], AccountStats)


def test_generated_tokens_for_benchmark() -> None:
    with FakeTikTok() as fake:
        tt = TikTokProvider(base_url=fake.url)
        refs = [AccountRef(str(n), f"u{n}", access_token=f"act.u{n}") for n in range(20)]
        result = tt.fetch(refs)
    assert all(isinstance(v, AccountStats) and len(v.posts) == 12 for v in result.values())
    assert tt.requests_made == 40
