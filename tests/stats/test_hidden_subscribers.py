"""Issue 14.2: a YouTube channel that hides its subscriber count says so on every page, never "Pending" or 0."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns import services as campaign_services
from creators.models import Platform, RefreshStatus
from stats.refresh import refresh_accounts
from tests.factories import (
    BrandMemberFactory,
    CampaignFactory,
    CreatorFactory,
    DeliverableSpecFactory,
    SocialAccountFactory,
)

from .conftest import AS_OF, fake_account, posts

pytestmark = pytest.mark.django_db

HIDDEN = "Subscriber count hidden by the channel"


@pytest.fixture
def hidden_channel(fakes):
    """An approved creator with Instagram (10,462) and a YouTube channel hiding its count, refreshed."""
    creator = CreatorFactory(display_name="Sam Lifts", handle="sam-lifts")
    fakes["youtube"].add(
        fake_account(
            "UCbbbbbbbbbbbbbbbbbbbbbb",
            "samlifts",
            48_000,
            posts(12, likes=2_000, comments=100, views=25_000, prefix="yt"),
            hidden_followers=True,
        )
    )
    fakes["instagram"].add(
        fake_account("17841400000000009", "sam.lifts", 10_462, posts(12, likes=400, comments=20, prefix="ig"))
    )
    yt = SocialAccountFactory(
        creator=creator,
        platform=Platform.YOUTUBE,
        handle="samlifts",
        external_id="UCbbbbbbbbbbbbbbbbbbbbbb",
        followers=None,
        tier=None,
    )
    ig = SocialAccountFactory(
        creator=creator, platform=Platform.INSTAGRAM, handle="sam.lifts", followers=None, tier=None
    )
    result = refresh_accounts(account_ids=[yt.id, ig.id], as_of=AS_OF)
    assert sorted(result.refreshed) == sorted([yt.id, ig.id])
    yt.refresh_from_db()
    creator.refresh_from_db()
    return creator, yt


def test_the_pipeline_records_that_the_count_is_hidden(hidden_channel):
    creator, yt = hidden_channel
    assert (yt.followers, yt.followers_hidden, yt.refresh_status) == (None, True, RefreshStatus.OK)
    assert yt.engagement_rate == Decimal("8.400")  # (2,000 + 100) / 25,000 views: YouTube is view-based
    assert not yt.is_pending
    assert creator.followers == 10_462  # the largest account with a number


def test_a_count_that_appears_again_clears_the_mark(hidden_channel, fakes):
    _creator, yt = hidden_channel
    fakes["youtube"].accounts["UCbbbbbbbbbbbbbbbbbbbbbb"].hidden_followers = False
    refresh_accounts(account_ids=[yt.id], as_of=AS_OF)
    yt.refresh_from_db()
    assert (yt.followers, yt.followers_hidden) == (48_000, False)


def test_stats_page_media_kit_and_profile_say_hidden(client, hidden_channel):
    creator, _yt = hidden_channel
    client.force_login(creator.user)
    stats = client.get(reverse("stats:refresh_status")).content.decode()
    assert HIDDEN in stats and "10,462" in stats and "8.40 %" in stats
    kit = client.get(reverse("creators:media_kit", args=[creator.handle])).content.decode()
    assert HIDDEN in kit and "Numbers pending" not in kit
    assert "No benchmark for accounts under" not in kit
    profile = client.get(reverse("creators:accounts")).content.decode()
    assert HIDDEN in profile and "Pending: numbers arrive" not in profile


def test_compare_view_names_the_hidden_count_and_groups_the_others(client, hidden_channel):
    creator, _yt = hidden_channel
    creator.status = "approved"
    creator.save(update_fields=["status"])
    member = BrandMemberFactory()
    campaign = CampaignFactory(brand=member.brand)
    DeliverableSpecFactory(campaign=campaign)
    campaign = campaign_services.campaign_publish(campaign=campaign, actor=member.user)
    application = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Strength for beginners", proposed_rate=200
    )
    campaign_services.application_shortlist(application=application, actor=member.user)
    client.force_login(member.user)
    html = client.get(reverse("campaigns:compare", args=[campaign.pk])).content.decode()
    assert f"YouTube ({HIDDEN})" in html and "Instagram (10,462)" in html
    assert "YouTube (0)" not in html


def test_a_creator_whose_only_channel_hides_its_count_reads_hidden_not_zero(client, fakes):
    creator = CreatorFactory(handle="quiet-channel")
    fakes["youtube"].add(
        fake_account(
            "UCcccccccccccccccccccccc",
            "quiet",
            5_000,
            posts(3, likes=50, comments=5, views=1_000, prefix="q"),
            hidden_followers=True,
        )
    )
    yt = SocialAccountFactory(
        creator=creator,
        platform=Platform.YOUTUBE,
        handle="quiet",
        external_id="UCcccccccccccccccccccccc",
        followers=None,
        tier=None,
    )
    refresh_accounts(account_ids=[yt.id], as_of=AS_OF)
    client.force_login(creator.user)
    kit = client.get(reverse("creators:media_kit", args=[creator.handle])).content.decode()
    assert kit.count(HIDDEN) == 2  # the kit's headline reach and the channel's own card
