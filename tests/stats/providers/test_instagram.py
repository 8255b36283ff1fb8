"""InstagramProvider against the fake Graph API (business_discovery) over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stats.providers import (
    AccountGone,
    AccountRef,
    AccountStats,
    AuthError,
    InstagramProvider,
    MalformedResponse,
    RateLimited,
    TransientError,
)
from tests.fakes import FakeAccount, FakeInstagram, FakePost
from tests.fakes.instagram import parse_fields

from .conftest import CLIENT_TIMEOUT

T0 = datetime(2024, 5, 1, 12, tzinfo=UTC)


def account(handle: str = "bluebottle", *, hidden: bool = False, posts: int = 15) -> FakeAccount:
    return FakeAccount(
        id="17841401441775531",
        handle=handle,
        followers=267_793,
        following=120,
        posts_count=1_205,
        likes_hidden=hidden,
        posts=[FakePost(f"1785884326921{k:04d}", T0 - timedelta(days=k), 5_837 - k, 50 + k) for k in range(posts)],
    )


def provider(fake: FakeInstagram, **kw: object) -> InstagramProvider:
    return InstagramProvider("IGQ-test", fake.ig_user_id, base_url=fake.url, timeout=CLIENT_TIMEOUT, **kw)  # type: ignore[arg-type]


def test_happy_path(instagram_fake: FakeInstagram) -> None:
    instagram_fake.add(account())
    ig = provider(instagram_fake)
    result = ig.fetch([AccountRef("k", "@bluebottle")])
    stats = result["k"]
    assert isinstance(stats, AccountStats)
    assert (stats.external_id, stats.handle) == ("17841401441775531", "bluebottle")
    assert (stats.followers, stats.following, stats.posts_count) == (267_793, 120, 1_205)
    assert len(stats.posts) == 12  # media.limit(12)
    first = stats.posts[0]
    assert (first.external_id, first.likes, first.comments, first.views, first.likes_hidden) == (
        "17858843269210000",
        5_837,
        50,
        None,
        False,
    )
    assert first.published_at == T0
    request = instagram_fake.log[-1]
    assert request.path == "/v25.0/17841405309211844"
    assert request.query["fields"] == (
        "business_discovery.username(bluebottle){followers_count,follows_count,media_count,"
        "media.limit(12){id,timestamp,like_count,comments_count,media_type,media_product_type}}"
    )
    assert ig.requests_made == 1


def test_hidden_likes_become_none(instagram_fake: FakeInstagram) -> None:
    instagram_fake.add(account("hider", hidden=True))
    stats = provider(instagram_fake).fetch([AccountRef("k", "hider")])["k"]
    assert isinstance(stats, AccountStats)
    assert all(p.likes is None and p.likes_hidden for p in stats.posts)
    assert stats.posts[0].comments == 50  # comments stay known


def test_usage_headers_tracked(instagram_fake: FakeInstagram) -> None:
    instagram_fake.add(account())
    ig = provider(instagram_fake)
    instagram_fake.usage_percent = 42
    ig.fetch([AccountRef("k", "bluebottle")])
    instagram_fake.usage_percent = 87
    ig.fetch([AccountRef("k", "bluebottle")])
    instagram_fake.usage_percent = 10
    ig.fetch([AccountRef("k", "bluebottle")])
    assert ig.usage_percent == 87 and ig.last_usage_percent == 10


def test_unknown_user_is_gone_and_batch_continues(instagram_fake: FakeInstagram) -> None:
    instagram_fake.add(account())
    result = provider(instagram_fake).fetch([AccountRef("a", "nobody_here"), AccountRef("b", "bluebottle")])
    assert isinstance(result["a"], AccountGone) and not result["a"].retryable
    assert isinstance(result["b"], AccountStats)


def test_invalid_handle_refused_without_a_request(instagram_fake: FakeInstagram) -> None:
    ig = provider(instagram_fake)
    result = ig.fetch([AccountRef("a", "bad){injection")])
    assert isinstance(result["a"], AccountGone)
    assert ig.requests_made == 0 == instagram_fake.request_count


def test_expired_token_is_auth_error(instagram_fake: FakeInstagram) -> None:
    instagram_fake.add(account())
    ig = InstagramProvider("expired", instagram_fake.ig_user_id, base_url=instagram_fake.url, timeout=CLIENT_TIMEOUT)
    with pytest.raises(AuthError):
        ig.fetch([AccountRef("k", "bluebottle")])


@pytest.mark.parametrize("mode", ["rate_limit", "quota"])
def test_rate_limit_codes(instagram_fake: FakeInstagram, mode: str) -> None:
    instagram_fake.add(account())
    instagram_fake.fail(mode, retry_after=5)
    with pytest.raises(RateLimited) as info:
        provider(instagram_fake).fetch([AccountRef("k", "bluebottle")])
    assert info.value.retryable
    if mode == "rate_limit":
        assert info.value.retry_after == 5.0


def test_rate_limit_midway_keeps_done_accounts(instagram_fake: FakeInstagram) -> None:
    instagram_fake.add(account("one"))
    instagram_fake.add(account("two"))
    instagram_fake.set_quota(1, per_seconds=60)
    result = provider(instagram_fake).fetch([AccountRef("1", "one"), AccountRef("2", "two"), AccountRef("3", "one")])
    assert isinstance(result["1"], AccountStats)
    assert isinstance(result["2"], RateLimited) and result["2"] is result["3"]
    assert 58 <= result["2"].retry_after <= 60


def test_malformed_body_is_per_account(instagram_fake: FakeInstagram) -> None:
    instagram_fake.add(account())
    instagram_fake.fail("malformed")
    result = provider(instagram_fake).fetch([AccountRef("a", "bluebottle"), AccountRef("b", "bluebottle")])
    assert isinstance(result["a"], MalformedResponse) and result["a"].retryable
    assert isinstance(result["b"], AccountStats)


@pytest.mark.parametrize("mode", ["server_error", "slow"])
def test_5xx_and_timeout_raise_transient(instagram_fake: FakeInstagram, mode: str) -> None:
    instagram_fake.add(account())
    instagram_fake.fail(mode, delay=1.0, status=503)
    with pytest.raises(TransientError):
        provider(instagram_fake).fetch([AccountRef("a", "bluebottle")])


def test_field_expansion_parser() -> None:
    fields = parse_fields("business_discovery.username(x){followers_count,media.limit(3){id,like_count}}")
    modifiers, sub = fields["business_discovery"]
    assert modifiers == {"username": "x"}
    assert sub is not None and sub["media"] == ({"limit": "3"}, {"id": ({}, None), "like_count": ({}, None)})
