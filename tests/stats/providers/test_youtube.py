"""YouTubeProvider against the fake Data API over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stats.providers import (
    AccountGone,
    AccountRef,
    AccountStats,
    AuthError,
    MalformedResponse,
    QuotaExceeded,
    RateLimited,
    TransientError,
    YouTubeProvider,
)
from tests.fakes import FakeAccount, FakePost, FakeYouTube

from .conftest import CLIENT_TIMEOUT

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)


def channel(n: int, *, posts: int = 3, hidden: bool = False) -> FakeAccount:
    cid = f"UC{n:022d}"
    return FakeAccount(
        id=cid,
        handle=f"chan{n}",
        followers=12_300 + n,
        total_views=1_234_567,
        posts_count=142,
        hidden_followers=hidden,
        posts=[
            FakePost(f"v{n}x{k}", T0 - timedelta(days=k), likes=2_500 - k, comments=200 + k, views=50_000 + k)
            for k in range(posts)
        ],
    )


def provider(fake: FakeYouTube, **kw: object) -> YouTubeProvider:
    return YouTubeProvider("test-key", base_url=fake.url, timeout=CLIENT_TIMEOUT, **kw)  # type: ignore[arg-type]


def test_happy_path_parses_string_counts(youtube_fake: FakeYouTube) -> None:
    youtube_fake.add(channel(1))
    yt = provider(youtube_fake)
    result = yt.fetch([AccountRef("k1", "chan1", external_id=channel(1).id)])
    stats = result["k1"]
    assert isinstance(stats, AccountStats)
    assert (stats.followers, stats.posts_count, stats.total_views) == (12_301, 142, 1_234_567)
    assert stats.following is None and stats.total_likes is None
    assert [p.external_id for p in stats.posts] == ["v1x0", "v1x1", "v1x2"]  # newest first
    first = stats.posts[0]
    assert (first.likes, first.comments, first.views, first.shares) == (2_500, 200, 50_000, None)
    assert first.published_at == T0
    # channels + playlistItems + videos, one unit each
    assert yt.requests_made == 3 == yt.quota_units_used == youtube_fake.request_count


def test_batches_at_most_50_ids_per_call(youtube_fake: FakeYouTube) -> None:
    for n in range(120):
        youtube_fake.add(channel(n, posts=12))
    yt = provider(youtube_fake, recent_posts=12)
    refs = [AccountRef(str(n), f"chan{n}", external_id=channel(n).id) for n in range(120)]
    result = yt.fetch(refs)
    assert all(isinstance(v, AccountStats) and len(v.posts) == 12 for v in result.values())
    assert youtube_fake.max_ids_per_call == 50
    assert youtube_fake.count("/channels") == 3  # 50 + 50 + 20
    assert youtube_fake.count("/playlistItems") == 120
    # 1,440 video ids in batches of ≤ 50 mixing channels (4 channels × 12 = 48 per call)
    assert youtube_fake.count("/videos") == 30
    assert yt.quota_units_used == 3 + 120 + 30


def test_handle_resolved_only_without_external_id(youtube_fake: FakeYouTube) -> None:
    youtube_fake.add(channel(7))
    yt = provider(youtube_fake)
    result = yt.fetch([AccountRef("a", "@chan7"), AccountRef("b", "nobody")])
    assert isinstance(result["a"], AccountStats) and result["a"].external_id == channel(7).id
    assert isinstance(result["b"], AccountGone)
    handle_calls = [r for r in youtube_fake.log if "forHandle" in r.query]
    assert [r.query["forHandle"] for r in handle_calls] == ["@chan7", "@nobody"]


def test_hidden_subscribers_and_missing_counts_are_none(youtube_fake: FakeYouTube) -> None:
    acc = channel(2, hidden=True)
    acc.posts[0].likes = None  # likes hidden on the video: likeCount absent
    acc.posts[1].comments = None  # comments disabled: commentCount absent
    youtube_fake.add(acc)
    stats = provider(youtube_fake).fetch([AccountRef("k", "chan2", external_id=acc.id)])["k"]
    assert isinstance(stats, AccountStats)
    assert stats.followers is None  # the API says "0" with hiddenSubscriberCount=true
    assert stats.posts[0].likes is None and stats.posts[0].comments == 200
    assert stats.posts[1].comments is None and stats.posts[1].likes == 2_499


def test_unknown_channel_id_is_gone_for_that_ref_only(youtube_fake: FakeYouTube) -> None:
    youtube_fake.add(channel(1))
    result = provider(youtube_fake).fetch(
        [AccountRef("ok", "chan1", external_id=channel(1).id), AccountRef("gone", "x", external_id="UCdeleted")]
    )
    assert isinstance(result["ok"], AccountStats)
    assert isinstance(result["gone"], AccountGone) and not result["gone"].retryable


def test_gone_mode_on_channels_is_account_gone(youtube_fake: FakeYouTube) -> None:
    acc = youtube_fake.add(channel(3))
    youtube_fake.fail("gone", path="/channels")
    result = provider(youtube_fake).fetch([AccountRef("k", "chan3", external_id=acc.id)])
    assert isinstance(result["k"], AccountGone)


def test_channel_without_uploads_playlist_keeps_channel_numbers(youtube_fake: FakeYouTube) -> None:
    acc = youtube_fake.add(channel(3))
    youtube_fake.fail("gone", path="/playlistItems")  # 404 playlistNotFound
    result = provider(youtube_fake).fetch([AccountRef("k", "chan3", external_id=acc.id)])
    stats = result["k"]
    assert isinstance(stats, AccountStats) and stats.followers == 12_303 and stats.posts == ()


def test_quota_exceeded_raises_before_anything_is_done(youtube_fake: FakeYouTube) -> None:
    youtube_fake.add(channel(1))
    youtube_fake.fail("quota")
    with pytest.raises(QuotaExceeded) as info:
        provider(youtube_fake).fetch([AccountRef("k", "chan1", external_id=channel(1).id)])
    assert info.value.retryable


def test_daily_quota_midway_keeps_finished_accounts(youtube_fake: FakeYouTube) -> None:
    for n in range(10):
        youtube_fake.add(channel(n, posts=12))
    youtube_fake.daily_quota = 1 + 5 + 1  # channels, 5 playlists, then videos for the first 4 channels (48 ids)
    refs = [AccountRef(str(n), f"chan{n}", external_id=channel(n).id) for n in range(10)]
    result = provider(youtube_fake, recent_posts=12).fetch(refs)
    done = [k for k, v in result.items() if isinstance(v, AccountStats)]
    assert done == ["0", "1", "2", "3"]
    assert all(isinstance(result[str(n)], QuotaExceeded) for n in range(4, 10))


def test_rate_limit_429_with_retry_after(youtube_fake: FakeYouTube) -> None:
    youtube_fake.add(channel(1))
    youtube_fake.fail("rate_limit", retry_after=7)
    with pytest.raises(RateLimited) as info:
        provider(youtube_fake).fetch([AccountRef("k", "chan1", external_id=channel(1).id)])
    assert info.value.retry_after == 7.0 and info.value.retryable


def test_server_quota_window_answers_429(youtube_fake: FakeYouTube) -> None:
    youtube_fake.add(channel(1))
    youtube_fake.set_quota(2, per_seconds=30)
    yt = provider(youtube_fake)
    ref = AccountRef("k", "chan1", external_id=channel(1).id)
    with pytest.raises(RateLimited) as info:
        yt.fetch([ref])  # channels + playlistItems pass, videos is the third call
    assert 28 <= info.value.retry_after <= 30


def test_bad_key_is_auth_error(youtube_fake: FakeYouTube) -> None:
    youtube_fake.add(channel(1))
    yt = YouTubeProvider("wrong", base_url=youtube_fake.url, timeout=CLIENT_TIMEOUT)
    with pytest.raises(AuthError):
        yt.fetch([AccountRef("k", "chan1", external_id=channel(1).id)])


@pytest.mark.parametrize(
    ("mode", "error"),
    [("malformed", MalformedResponse), ("server_error", TransientError), ("slow", TransientError)],
)
def test_transport_failures(youtube_fake: FakeYouTube, mode: str, error: type[Exception]) -> None:
    youtube_fake.add(channel(1))
    youtube_fake.fail(mode, delay=1.0)
    with pytest.raises(error) as info:
        provider(youtube_fake).fetch([AccountRef("k", "chan1", external_id=channel(1).id)])
    assert info.value.retryable  # type: ignore[attr-defined]


def test_connection_refused_is_transient() -> None:
    with FakeYouTube() as fake:
        url = fake.url
    with pytest.raises(TransientError):
        YouTubeProvider("k", base_url=url, timeout=CLIENT_TIMEOUT).fetch([AccountRef("k", "h", external_id="UCx")])


def test_generated_channels_for_benchmark() -> None:
    with FakeYouTube(generate_missing=True) as fake:
        refs = [AccountRef(str(n), f"h{n}", external_id=f"UC{n:022d}") for n in range(60)]
        result = YouTubeProvider("test-key", base_url=fake.url, recent_posts=5).fetch(refs)
        again = YouTubeProvider("test-key", base_url=fake.url, recent_posts=5).fetch(refs[:1])
    assert all(isinstance(v, AccountStats) and len(v.posts) == 5 for v in result.values())
    assert again["0"] == result["0"]
