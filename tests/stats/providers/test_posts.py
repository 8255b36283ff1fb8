"""Followed posts (issue 11): post addresses parsed, ownership checked and numbers read by the real clients
against the fake platforms over real HTTP, in the platforms' documented JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stats.providers import (
    AccountRef,
    AuthError,
    DemoProvider,
    InstagramProvider,
    RateLimited,
    TikTokProvider,
    YouTubeProvider,
)
from stats.providers.base import FoundPost, NotAccountPost, PostMetrics, PostRef
from stats.providers.post_urls import NotAPostURL, ParsedPost, parse_post_url
from tests.fakes import FakeAccount, FakeInstagram, FakePost, FakeTikTok, FakeYouTube

from .conftest import CLIENT_TIMEOUT

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)


# -- addresses ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.instagram.com/p/C9xYz12AbCd/", ParsedPost("instagram", "C9xYz12AbCd", "post")),
        ("https://instagram.com/reel/DAbc_-12345/?igsh=abc", ParsedPost("instagram", "DAbc_-12345", "reel")),
        ("instagram.com/Dana.Cooks/p/C9xYz12AbCd", ParsedPost("instagram", "C9xYz12AbCd", "post", "dana.cooks")),
        (
            "https://www.tiktok.com/@Dana.Cooks/video/7312345678901234567?lang=en",
            ParsedPost("tiktok", "7312345678901234567", "video", "dana.cooks"),
        ),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s", ParsedPost("youtube", "dQw4w9WgXcQ", "video")),
        ("https://youtu.be/dQw4w9WgXcQ?si=xyz", ParsedPost("youtube", "dQw4w9WgXcQ", "video")),
        ("https://m.youtube.com/shorts/aBcDeFgHiJk", ParsedPost("youtube", "aBcDeFgHiJk", "short")),
    ],
)
def test_post_addresses_parse(url: str, expected: ParsedPost) -> None:
    assert parse_post_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://www.instagram.com/dana.cooks/", "Paste the address of the Instagram post itself"),
        ("https://www.tiktok.com/@dana/photo/7312345678901234567", "Paste the address of the TikTok video itself"),
        ("https://vm.tiktok.com/ZMabc123/", "Paste the full TikTok address"),
        ("https://www.youtube.com/@dana", "Paste the address of the YouTube video itself"),
        ("https://www.youtube.com/watch?v=short", "Paste the address of the YouTube video itself"),
        ("https://example.com/p/C9xYz12AbCd/", "This is not an Instagram, TikTok or YouTube post address."),
        ("ftp://instagram.com/p/C9xYz12AbCd/", "Paste the web address of the post"),
    ],
)
def test_other_addresses_are_refused_with_a_reason(url: str, message: str) -> None:
    with pytest.raises(NotAPostURL, match=message):
        parse_post_url(url)


# -- YouTube: videos.list -----------------------------------------------------------------------------------------


def _channel(cid: str, handle: str, videos: list[FakePost]) -> FakeAccount:
    return FakeAccount(id=cid, handle=handle, followers=12_300, posts=videos)


def test_youtube_find_post_checks_the_videos_channel(youtube_fake: FakeYouTube) -> None:
    youtube_fake.add(_channel("UC" + "a" * 22, "dana", [FakePost("dQw4w9WgXcQ", T0, 10, 2, views=100)]))
    youtube_fake.add(_channel("UC" + "b" * 22, "other", [FakePost("zzzzzzzzzzz", T0, 10, 2, views=100)]))
    yt = YouTubeProvider("test-key", base_url=youtube_fake.url, timeout=CLIENT_TIMEOUT)
    dana = AccountRef("1", "dana", external_id="UC" + "a" * 22)
    assert yt.find_post(dana, "dQw4w9WgXcQ") == FoundPost("dQw4w9WgXcQ", T0)
    with pytest.raises(NotAccountPost, match="belongs to channel UCbbbb"):
        yt.find_post(dana, "zzzzzzzzzzz")
    with pytest.raises(NotAccountPost, match="no public video"):
        yt.find_post(dana, "nonexistent")
    # Without a stored channel id the handle is resolved first (channels.list?forHandle): one more unit.
    before = yt.quota_units_used
    assert yt.find_post(AccountRef("2", "@dana"), "dQw4w9WgXcQ").post_id == "dQw4w9WgXcQ"
    assert yt.quota_units_used - before == 2


def test_youtube_fetch_posts_reads_statistics_for_50_a_call(youtube_fake: FakeYouTube) -> None:
    videos = [FakePost(f"vid{k:08d}", T0, 2_500 + k, 200, views=50_000 + k) for k in range(60)]
    videos[1].likes = None  # hidden likes: likeCount absent
    youtube_fake.add(_channel("UC" + "a" * 22, "dana", videos))
    yt = YouTubeProvider("test-key", base_url=youtube_fake.url, timeout=CLIENT_TIMEOUT)
    account = AccountRef("a", "dana", external_id="UC" + "a" * 22)
    refs = [PostRef(str(k), f"vid{k:08d}", account) for k in range(60)] + [PostRef("gone", "deletedvid1", account)]
    result = yt.fetch_posts(refs)
    assert result["0"] == PostMetrics("vid00000000", 50_000, None, 2_500, 200, None, None)
    assert result["1"] == PostMetrics("vid00000001", 50_001, None, None, 200, None, None)
    assert result["59"] == PostMetrics("vid00000059", 50_059, None, 2_559, 200, None, None)
    assert isinstance(result["gone"], NotAccountPost)
    assert youtube_fake.count("/videos") == 2 and youtube_fake.max_ids_per_call == 50


def test_youtube_fetch_posts_rate_limited_raises_before_anything_is_decided(youtube_fake: FakeYouTube) -> None:
    youtube_fake.fail("rate_limit", retry_after=7)
    yt = YouTubeProvider("test-key", base_url=youtube_fake.url, timeout=CLIENT_TIMEOUT)
    with pytest.raises(RateLimited) as caught:
        yt.fetch_posts([PostRef("1", "dQw4w9WgXcQ", AccountRef("a", "dana"))])
    assert caught.value.retry_after == 7.0


# -- Instagram: business_discovery permalinks and Media Insights ------------------------------------------------


def _ig_account(handle: str = "dana.cooks") -> FakeAccount:
    return FakeAccount(
        id="17841400000000001",
        handle=handle,
        followers=20_000,
        posts=[
            FakePost(
                "17900000000000001",
                T0,
                likes=1_200,
                comments=45,
                views=30_000,
                shares=80,
                reach=21_000,
                saves=150,
                shortcode="C9xYz12AbCd",
            ),
            FakePost("17900000000000002", T0 - timedelta(days=3), likes=900, comments=30, shortcode="C8aaaaaaaaa"),
        ],
    )


def _ig(fake: FakeInstagram) -> InstagramProvider:
    return InstagramProvider("IGQ-test", fake.ig_user_id, base_url=fake.url, timeout=CLIENT_TIMEOUT)


def test_instagram_find_post_matches_the_shortcode_in_the_accounts_permalinks(instagram_fake: FakeInstagram) -> None:
    instagram_fake.add(_ig_account())
    ig = _ig(instagram_fake)
    assert ig.find_post(AccountRef("1", "dana.cooks"), "C9xYz12AbCd") == FoundPost("17900000000000001", T0)
    with pytest.raises(NotAccountPost, match="not among the last 50 posts of @dana.cooks"):
        ig.find_post(AccountRef("1", "dana.cooks"), "Czzzzzzzzzz")
    asked = instagram_fake.log[-1].query["fields"]
    assert asked == "business_discovery.username(dana.cooks){id,media.limit(50){id,permalink,timestamp}}"


def test_instagram_media_insights_with_the_owners_token(instagram_fake: FakeInstagram) -> None:
    instagram_fake.link("IGQ-owner-dana", _ig_account())
    ig = _ig(instagram_fake)
    owner = AccountRef("1", "dana.cooks", external_id="17841400000000001", access_token="IGQ-owner-dana")
    result = ig.fetch_posts([PostRef("p1", "17900000000000001", owner), PostRef("p2", "17999999999999999", owner)])
    assert result["p1"] == PostMetrics("17900000000000001", 30_000, 21_000, 1_200, 45, 80, 150)
    assert isinstance(result["p2"], NotAccountPost)  # not this owner's media: "does not exist"
    request = next(r for r in instagram_fake.log if r.path == "/v25.0/17900000000000001/insights")
    assert request.query == {"metric": "views,reach,likes,comments,shares,saved", "access_token": "IGQ-owner-dana"}


def test_instagram_without_the_owners_token_reads_likes_and_comments_through_business_discovery(
    instagram_fake: FakeInstagram,
) -> None:
    instagram_fake.add(_ig_account())
    ig = _ig(instagram_fake)
    account = AccountRef("1", "dana.cooks")
    result = ig.fetch_posts([PostRef("a", "17900000000000001", account), PostRef("b", "17900000000000002", account)])
    assert result["a"] == PostMetrics("17900000000000001", None, None, 1_200, 45, None, None)
    assert result["b"] == PostMetrics("17900000000000002", None, None, 900, 30, None, None)
    assert instagram_fake.request_count == 1  # one call per account, however many of its posts


def test_instagram_expired_owner_token_is_that_posts_error(instagram_fake: FakeInstagram) -> None:
    instagram_fake.link("IGQ-owner-dana", _ig_account())
    ig = _ig(instagram_fake)
    stale = AccountRef("1", "dana.cooks", access_token="IGQ-expired")
    result = ig.fetch_posts([PostRef("p1", "17900000000000001", stale)])
    assert isinstance(result["p1"], AuthError)


# -- TikTok: video/query ---------------------------------------------------------------------------------------


def _tt_account() -> FakeAccount:
    return FakeAccount(
        id="open-dana",
        handle="dana.cooks",
        followers=15_234,
        posts=[
            FakePost("7312345678901234567", T0, likes=1_200, comments=45, views=25_000, shares=30),
            FakePost("7312345678901234568", T0 - timedelta(days=1), likes=300, comments=5, views=9_000, shares=2),
        ],
    )


def test_tiktok_video_query_with_the_creators_token(tiktok_fake: FakeTikTok) -> None:
    tiktok_fake.link("act.dana", _tt_account())
    tt = TikTokProvider(base_url=tiktok_fake.url, timeout=CLIENT_TIMEOUT)
    account = AccountRef("1", "dana.cooks", access_token="act.dana")
    result = tt.fetch_posts(
        [
            PostRef("a", "7312345678901234567", account),
            PostRef("b", "7312345678901234568", account),
            PostRef("c", "7000000000000000001", account),
            PostRef("d", "7312345678901234567", AccountRef("2", "no.token")),
        ]
    )
    assert result["a"] == PostMetrics("7312345678901234567", 25_000, None, 1_200, 45, 30, None, T0)
    assert result["b"] == PostMetrics("7312345678901234568", 9_000, None, 300, 5, 2, None, T0 - timedelta(days=1))
    assert isinstance(result["c"], NotAccountPost)
    assert isinstance(result["d"], AuthError)
    assert tiktok_fake.count("/v2/video/query/") == 1
    body = tiktok_fake.log[-1].json()
    assert body == {"filters": {"video_ids": ["7312345678901234567", "7312345678901234568", "7000000000000000001"]}}


def test_tiktok_find_post_confirms_with_video_query_when_a_token_is_stored(tiktok_fake: FakeTikTok) -> None:
    tiktok_fake.link("act.dana", _tt_account())
    tt = TikTokProvider(base_url=tiktok_fake.url, timeout=CLIENT_TIMEOUT)
    account = AccountRef("1", "dana.cooks", access_token="act.dana")
    assert tt.find_post(account, "7312345678901234567") == FoundPost("7312345678901234567", T0)
    with pytest.raises(NotAccountPost):
        tt.find_post(account, "7000000000000000001")
    # No token: the handle in the address is all there is (checked by the caller); no request.
    assert tt.find_post(AccountRef("2", "dana.cooks"), "7000000000000000001") == FoundPost("7000000000000000001")
    assert tiktok_fake.request_count == 2


# -- demo: a decay curve ----------------------------------------------------------------------------------------


def test_demo_post_numbers_grow_fast_then_level_off(settings) -> None:
    demo = DemoProvider("tiktok")
    ref = PostRef("1", "7312345678901234567", AccountRef("a", "dana"), published_at=T0)
    views = {
        day: demo.fetch_posts([ref], as_of=T0 + timedelta(days=day))["1"].views  # type: ignore[union-attr]
        for day in (1, 4, 30, 90)
    }
    assert views[1] < views[4] < views[30] < views[90]
    assert views[4] >= 0.85 * views[90]  # most views in the first days
    assert views[1] >= 0.5 * views[90]
    assert demo.share_of_final(1.0) == pytest.approx(
        0.3948, abs=1e-4
    )  # 0.92 × (1 − e^(−1/1.8)) + 0.08 × (1 − e^(−1/30))
    assert demo.share_of_final(90.0) == pytest.approx(0.9960, abs=1e-4)
    # the same day, the same numbers (two refreshes agree)
    again = demo.fetch_posts([ref], as_of=T0 + timedelta(days=4, hours=5))["1"]
    assert again.views == views[4]  # type: ignore[union-attr]
    yt = DemoProvider("youtube").fetch_posts([ref], as_of=T0)["1"]
    assert (yt.reach, yt.shares, yt.saves) == (None, None, None)  # type: ignore[union-attr]


# -- audience demographics (issue 11) ---------------------------------------------------------------------------


def test_instagram_follower_demographics_with_the_owners_token(instagram_fake: FakeInstagram) -> None:
    account = _ig_account()
    instagram_fake.link("IGQ-owner-dana", account)
    instagram_fake.demographics[account.id] = {
        "country": {"US": 500, "GB": 300, "DE": 200},
        "age": {"18-24": 400, "25-34": 600},
        "gender": {"F": 700, "M": 250, "U": 50},
    }
    ig = _ig(instagram_fake)
    found = ig.fetch_demographics(AccountRef("1", "dana.cooks", account.id, "IGQ-owner-dana"))
    assert found.countries == {"US": 500.0, "GB": 300.0, "DE": 200.0}
    assert found.ages == {"18-24": 400.0, "25-34": 600.0}
    assert found.genders == {"female": 700.0, "male": 250.0, "other": 50.0}
    asked = [r.query["breakdown"] for r in instagram_fake.log]
    assert asked == ["country", "age", "gender"]
    assert instagram_fake.log[0].query == {
        "metric": "follower_demographics",
        "period": "lifetime",
        "metric_type": "total_value",
        "breakdown": "country",
        "access_token": "IGQ-owner-dana",
    }
    with pytest.raises(AuthError):
        ig.fetch_demographics(AccountRef("1", "dana.cooks", account.id, "IGQ-someone-else"))


def test_youtube_analytics_viewer_percentages_and_countries(youtube_fake: FakeYouTube) -> None:
    youtube_fake.owner_tokens["ya29.dana"] = "UC" + "a" * 22
    youtube_fake.age_gender_rows["UC" + "a" * 22] = [
        ["age18-24", "female", 20.5],
        ["age18-24", "male", 10.0],
        ["age25-34", "female", 30.0],
        ["age25-34", "male", 35.0],
        ["age65-", "user_specified", 4.5],
    ]
    youtube_fake.country_rows["UC" + "a" * 22] = [["US", 3000], ["GB", 1000], ["IN", 1000]]
    yt = YouTubeProvider(
        "test-key", base_url=youtube_fake.url, analytics_base_url=youtube_fake.url, timeout=CLIENT_TIMEOUT
    )
    found = yt.fetch_demographics(AccountRef("1", "dana", access_token="ya29.dana"), today=T0.date())
    assert found.ages == {"18-24": 30.5, "25-34": 65.0, "65+": 4.5}
    assert found.genders == {"female": 50.5, "male": 45.0, "other": 4.5}
    assert found.countries == {"US": 3000.0, "GB": 1000.0, "IN": 1000.0}
    first = youtube_fake.log[0]
    assert (first.path, first.query["startDate"], first.query["endDate"], first.headers["authorization"]) == (
        "/v2/reports",
        "2026-04-03",
        "2026-04-30",
        "Bearer ya29.dana",
    )
    assert youtube_fake.units_used == 0  # the Analytics API is not the Data API's quota
    with pytest.raises(AuthError):
        yt.fetch_demographics(AccountRef("1", "dana", access_token="ya29.revoked"), today=T0.date())
