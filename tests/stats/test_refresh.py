"""refresh_accounts through the fake platforms over real HTTP, on real PostgreSQL and Redis."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from creators.models import Platform, RefreshStatus
from stats.models import AuthenticityFlag, StatsSnapshot
from stats.refresh import demo_backfill_history, refresh_accounts
from stats.schedule import due_account_ids
from stats.tasks import refresh_accounts_task
from tests.factories import CreatorFactory, SocialAccountFactory

from .conftest import AS_OF, fake_account, posts

pytestmark = pytest.mark.django_db


def _linked(fakes):
    """One account per platform with known numbers; returns (creator, {platform: account})."""
    creator = CreatorFactory()
    yt = fakes["youtube"].add(
        fake_account(
            "UCaaaaaaaaaaaaaaaaaaaaaa",
            "cookwithme",
            52_000,
            posts(12, likes=2_500, comments=200, views=50_000, prefix="yt"),
        )
    )
    ig = fakes["instagram"].add(
        fake_account(
            "17841400000000001", "casey.cooks", 9_999, posts(12, likes=300, comments=20, prefix="ig"), following=321
        )
    )
    tt = fakes["tiktok"].link(
        "tok-casey",
        fake_account(
            "open-casey", "caseytok", 4_000, posts(12, likes=1_200, comments=45, views=25_000, shares=30, prefix="tt")
        ),
    )
    accounts = {
        "youtube": SocialAccountFactory(
            creator=creator,
            platform=Platform.YOUTUBE,
            handle="cookwithme",
            external_id=yt.id,
            followers=None,
            tier=None,
        ),
        "instagram": SocialAccountFactory(
            creator=creator, platform=Platform.INSTAGRAM, handle="casey.cooks", followers=None, tier=None
        ),
        "tiktok": SocialAccountFactory(
            creator=creator,
            platform=Platform.TIKTOK,
            handle="caseytok",
            access_token="tok-casey",
            followers=None,
            tier=None,
        ),
    }
    assert tt and ig
    return creator, accounts


def test_refresh_through_the_fakes_writes_numbers_snapshot_and_tiers(fakes):
    creator, accounts = _linked(fakes)
    result = refresh_accounts(account_ids=[a.id for a in accounts.values()], as_of=AS_OF)
    assert sorted(result.refreshed) == sorted(a.id for a in accounts.values())
    assert result.requests == 3 + 1 + 2  # YouTube channels+playlistItems+videos, Instagram 1, TikTok info+list

    yt, ig, tt = (accounts[p] for p in ("youtube", "instagram", "tiktok"))
    for account in (yt, ig, tt):
        account.refresh_from_db()
        assert account.refresh_status == RefreshStatus.OK
        assert account.last_refreshed_at == AS_OF
        assert account.consecutive_failures == 0
    # YouTube: (2,500 + 200) / 50,000 = 5.40 % by views; 52,000 subscribers = micro.
    assert (yt.followers, yt.tier, yt.engagement_rate, yt.avg_views) == (52_000, "micro", Decimal("5.400"), 50_000)
    # Instagram: (300 + 20) / 9,999 = 3.20 % by followers; 9,999 is still nano.
    assert (ig.followers, ig.following, ig.tier, ig.engagement_rate) == (9_999, 321, "nano", Decimal("3.200"))
    assert ig.external_id == "17841400000000001"  # learnt from the platform
    # TikTok: (1,200 + 45 + 30) / 25,000 = 5.10 % by views.
    assert (tt.followers, tt.tier, tt.engagement_rate) == (4_000, "nano", Decimal("5.100"))

    snapshots = StatsSnapshot.objects.filter(account__creator=creator)
    assert snapshots.count() == 3
    snap = snapshots.get(account=ig)
    assert (snap.period, snap.followers, snap.engagement_rate, snap.avg_likes) == (
        AS_OF.date(),
        9_999,
        Decimal("3.200"),
        300.0,
    )
    creator.refresh_from_db()
    assert (creator.followers, creator.tier, creator.engagement_rate) == (52_000, "micro", Decimal("5.400"))


def test_tier_changes_when_a_refresh_crosses_the_threshold(fakes):
    creator = CreatorFactory()
    fake = fakes["instagram"].add(
        fake_account("17841400000000002", "nearly", 9_999, posts(6, likes=200, comments=10, prefix="n"))
    )
    account = SocialAccountFactory(
        creator=creator, platform=Platform.INSTAGRAM, handle="nearly", followers=None, tier=None
    )
    refresh_accounts(account_ids=[account.id], as_of=AS_OF)
    account.refresh_from_db()
    creator.refresh_from_db()
    assert (account.tier, creator.tier, creator.followers) == ("nano", "nano", 9_999)

    fake.followers = 10_000
    refresh_accounts(account_ids=[account.id], as_of=AS_OF + timedelta(days=1))
    account.refresh_from_db()
    creator.refresh_from_db()
    assert (account.tier, creator.tier, creator.followers) == ("micro", "micro", 10_000)
    assert list(account.snapshots.values_list("followers", flat=True)) == [9_999, 10_000]


def test_duplicate_delivery_writes_one_snapshot_with_the_same_numbers(fakes):
    creator, accounts = _linked(fakes)
    ids = [a.id for a in accounts.values()]
    refresh_accounts_task.apply(args=[ids]).get()
    first = list(
        StatsSnapshot.objects.filter(account_id__in=ids)
        .order_by("account_id")
        .values("account_id", "period", "followers", "engagement_rate", "avg_likes")
    )
    numbers = list(
        accounts["youtube"]
        .__class__.objects.filter(id__in=ids)
        .order_by("id")
        .values("followers", "engagement_rate", "tier", "refresh_status")
    )
    refresh_accounts_task.apply(args=[ids]).get()  # the same message delivered again
    again = list(
        StatsSnapshot.objects.filter(account_id__in=ids)
        .order_by("account_id")
        .values("account_id", "period", "followers", "engagement_rate", "avg_likes")
    )
    assert len(first) == 3 and again == first
    assert (
        list(
            accounts["youtube"]
            .__class__.objects.filter(id__in=ids)
            .order_by("id")
            .values("followers", "engagement_rate", "tier", "refresh_status")
        )
        == numbers
    )


def test_flags_are_raised_with_their_numbers_and_not_duplicated(fakes):
    creator = CreatorFactory()
    # Instagram: 10,000 → 13,000 overnight (+30 %) while likes stay at 300: a follower spike.
    spiky = fakes["instagram"].add(
        fake_account("17841400000000003", "spiky", 10_000, posts(6, likes=300, comments=20, prefix="s"))
    )
    # YouTube: every video has more likes than views.
    fakes["youtube"].add(
        fake_account(
            "UCbbbbbbbbbbbbbbbbbbbbbb", "liker", 20_000, posts(4, likes=1_200, comments=10, views=1_000, prefix="l")
        )
    )
    # Instagram micro account with 0.1 % engagement: far below the 2–3.5 % band.
    fakes["instagram"].add(
        fake_account("17841400000000004", "quiet", 50_000, posts(6, likes=45, comments=5, prefix="q"))
    )
    ig = SocialAccountFactory(creator=creator, platform=Platform.INSTAGRAM, handle="spiky")
    yt = SocialAccountFactory(
        creator=creator, platform=Platform.YOUTUBE, handle="liker", external_id="UCbbbbbbbbbbbbbbbbbbbbbb"
    )
    quiet = SocialAccountFactory(creator=CreatorFactory(), platform=Platform.INSTAGRAM, handle="quiet")
    ids = [ig.id, yt.id, quiet.id]

    refresh_accounts(account_ids=ids, as_of=AS_OF)
    spiky.followers = 13_000
    result = refresh_accounts(account_ids=ids, as_of=AS_OF + timedelta(hours=20))
    assert result.flags_raised == 1  # only the spike is new; the other two were raised the first time

    spike = AuthenticityFlag.objects.get(account=ig)
    assert spike.code == "follower_spike"
    assert spike.numbers["previous_followers"] == 10_000 and spike.numbers["followers"] == 13_000
    assert spike.numbers["growth_percent"] == 30.0 and spike.numbers["hours"] == 20.0
    assert spike.numbers["likes_growth_percent"] == 0.0
    assert set(AuthenticityFlag.objects.filter(account=yt).values_list("code", flat=True)) == {
        "likes_over_views",
        "engagement_above_benchmark",
    }  # 121 % by views
    likes = AuthenticityFlag.objects.get(account=yt, code="likes_over_views")
    assert likes.numbers["posts"] == 4
    assert likes.numbers["examples"][0]["likes"] == 1_200 and likes.numbers["examples"][0]["views"] == 1_000
    below = AuthenticityFlag.objects.get(account=quiet)
    assert below.code == "engagement_below_benchmark"
    assert below.numbers == {"engagement_rate": 0.1, "tier": "micro", "band_low": 2.0, "band_high": 3.5}

    refresh_accounts(account_ids=ids, as_of=AS_OF + timedelta(hours=21))
    assert AuthenticityFlag.objects.filter(account_id__in=ids).count() == 4  # deduplicated while open


def test_demo_provider_refreshes_offline_with_history(settings):
    settings.STATS_PROVIDER_DEMO = True
    account = SocialAccountFactory(platform=Platform.TIKTOK, handle="demo_dancer", followers=None, tier=None)
    gone = SocialAccountFactory(platform=Platform.INSTAGRAM, handle="gone_forever", followers=None)
    for day in range(3):
        refresh_accounts(account_ids=[account.id, gone.id], as_of=AS_OF + timedelta(days=day))
    account.refresh_from_db()
    gone.refresh_from_db()
    assert account.refresh_status == RefreshStatus.OK and account.followers and account.engagement_rate
    assert account.snapshots.count() == 3
    assert gone.refresh_status == RefreshStatus.ERROR and "does not exist" in gone.refresh_error


def test_demo_backfill_gives_history_and_leaves_today_to_beat(settings):
    settings.STATS_PROVIDER_DEMO = True
    account = SocialAccountFactory(platform=Platform.INSTAGRAM, handle="history_maker", followers=None, tier=None)
    assert demo_backfill_history(account_ids=[account.id], days=5, now=AS_OF) == 1
    periods = list(account.snapshots.values_list("period", flat=True))
    assert periods == [(AS_OF - timedelta(days=d)).date() for d in range(5, 0, -1)]
    account.refresh_from_db()
    assert account.last_refreshed_at == AS_OF - timedelta(days=1)  # so it is due again now
    assert [i for i, _ in due_account_ids(now=AS_OF + timedelta(minutes=1))] == [account.id]
