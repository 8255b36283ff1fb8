"""Tiers follow the followers: on the account and on the creator (its largest account), never typed in."""

from decimal import Decimal

import pytest

from creators.models import Creator, SocialAccount
from creators.services import creator_recompute_audience
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_account_tier_follows_followers_on_save():
    account = SocialAccountFactory(followers=9_999)
    assert account.tier == "nano"
    account.followers = 10_000
    account.save(update_fields=["followers"])
    account.refresh_from_db()
    assert account.tier == "micro"
    account.followers = None
    account.save()
    account.refresh_from_db()
    assert account.tier is None


def test_recompute_sets_account_and_creator_tiers_after_a_bulk_update():
    creator = CreatorFactory()
    small = SocialAccountFactory(creator=creator, platform="tiktok", followers=500)
    big = SocialAccountFactory(
        creator=creator, platform="instagram", followers=50_000, engagement_rate=Decimal("3.100")
    )
    # The stats pipeline writes numbers set-based (no save()): the tier is stale until recomputed.
    SocialAccount.objects.filter(pk=big.pk).update(followers=1_000_000)
    SocialAccount.objects.filter(pk=small.pk).update(followers=999_999)

    creator_recompute_audience(creator_ids=[creator.pk])

    assert dict(SocialAccount.objects.values_list("pk", "tier")) == {big.pk: "mega", small.pk: "macro"}
    creator.refresh_from_db()
    assert (creator.tier, creator.followers, creator.engagement_rate) == ("mega", 1_000_000, Decimal("3.100"))


def test_creator_drops_to_emerging_when_followers_fall_or_accounts_vanish():
    creator = CreatorFactory()
    account = SocialAccountFactory(creator=creator, followers=1_000)
    creator_recompute_audience(creator_ids=[creator.pk])
    assert Creator.objects.get(pk=creator.pk).tier == "nano"

    SocialAccount.objects.filter(pk=account.pk).update(followers=999)
    creator_recompute_audience(creator_ids=[creator.pk])
    assert Creator.objects.get(pk=creator.pk).tier is None

    account.delete()
    creator_recompute_audience(creator_ids=[creator.pk])
    creator.refresh_from_db()
    assert (creator.tier, creator.followers) == (None, 0)


def test_recompute_handles_many_creators_in_one_call(django_assert_max_num_queries):
    creators = [CreatorFactory() for _ in range(5)]
    for i, creator in enumerate(creators):
        SocialAccountFactory(creator=creator, followers=10 ** (i + 2))
    # accounts' tiers and creators' numbers (one statement), the creators' match-features rows (issue 13): any number
    with django_assert_max_num_queries(2):
        creator_recompute_audience(creator_ids=[c.pk for c in creators])
    tiers = list(
        Creator.objects.filter(pk__in=[c.pk for c in creators]).order_by("followers").values_list("tier", flat=True)
    )
    assert tiers == [None, "nano", "micro", "macro", "mega"]
