"""The tier has one home, creators.tiers.tier_for (CREATOR_TIER_THRESHOLDS): every path follows the setting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from creators.models import Platform
from stats.engagement import authenticity_flags
from stats.providers.demo import _profile
from stats.refresh import refresh_accounts
from tests.factories import CreatorFactory, SocialAccountFactory

from .conftest import AS_OF, fake_account, posts

pytestmark = pytest.mark.django_db

TENFOLD_SMALLER = {"nano": 100, "micro": 1_000, "macro": 10_000, "mega": 100_000}


@pytest.fixture
def smaller_tiers(settings):
    settings.CREATOR_TIER_THRESHOLDS = TENFOLD_SMALLER


def test_refresh_writes_the_tier_from_the_setting(fakes, smaller_tiers):
    creator = CreatorFactory()
    fakes["instagram"].add(
        fake_account("17841400000000009", "tiny.big", 12_000, posts(12, likes=300, comments=20, prefix="ig"))
    )
    account = SocialAccountFactory(
        creator=creator, platform=Platform.INSTAGRAM, handle="tiny.big", followers=None, tier=None
    )
    refresh_accounts(account_ids=[account.id], as_of=AS_OF)
    account.refresh_from_db()
    creator.refresh_from_db()
    assert (account.followers, account.tier, creator.tier) == (12_000, "macro", "macro")  # micro by default


def test_flags_judge_against_the_tier_from_the_setting(smaller_tiers):
    # 5,000 followers: nano by default (band 3–5 %), micro here (band 2–3.5 %).
    flags = authenticity_flags("instagram", followers=5_000, engagement=Decimal("0.50"))
    assert [(f.code, f.numbers["tier"], f.numbers["band_low"]) for f in flags] == [
        ("engagement_below_benchmark", "micro", 2.0)
    ]


def test_demo_provider_draws_engagement_from_the_tier_in_the_setting(settings):
    # Instagram accounts of 5,000–9,999 followers: nano by default (band 3–5 %), micro with the smaller table
    # (band 2–3.5 %). The demo draws each account's engagement from its tier's band.
    handles = [
        h
        for h in (f"tierprobe{n}" for n in range(3000))
        if 5_000 <= _profile("instagram", h).base_followers < 10_000 and not _profile("instagram", h).anomaly
    ]
    assert len(handles) > 20
    default = [_profile("instagram", h).engagement_percent for h in handles]
    settings.CREATOR_TIER_THRESHOLDS = TENFOLD_SMALLER
    smaller = [_profile("instagram", h).engagement_percent for h in handles]
    assert all(3.0 <= e <= 5.0 for e in default)
    assert all(2.0 <= e <= 3.5 for e in smaller)
    assert default != smaller


def test_media_kit_shows_the_tier_from_the_setting(client, smaller_tiers):
    creator = CreatorFactory(handle="tierkit")
    SocialAccountFactory(creator=creator, platform=Platform.INSTAGRAM, followers=5_000, engagement_rate=Decimal("2.00"))
    body = client.get("/c/tierkit/").content.decode()
    # nano by default; micro with the smaller table
    assert 'class="badge tier-micro"' in body and "Typical for Micro on Instagram: 2.0–3.5 %" in body
