"""Bulk seeding for benchmarks, and the data files behind price and engagement hints."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from creators.models import Creator, SocialAccount
from creators.pricing import suggested_range
from creators.tiers import tier_for

pytestmark = pytest.mark.django_db


def test_seed_benchmark_creators_is_fast_shaped_and_idempotent(client, brand_user):
    call_command("seed_benchmark_creators", count=60, chunk=25)
    call_command("seed_benchmark_creators", count=60)
    creators = Creator.objects.filter(handle__startswith="bench-")
    assert creators.count() == 60
    # derived numbers agree with the tier table, on accounts and creators
    for followers, tier in SocialAccount.objects.filter(creator__in=creators).values_list("followers", "tier"):
        assert tier == (tier_for(followers).value if tier_for(followers) else None)
    for creator in creators.prefetch_related("accounts", "niches"):
        top = max(a.followers for a in creator.accounts.all())
        assert creator.followers == top and creator.niches.all()
    assert creators.filter(status="pending").exists() and creators.filter(status="approved").count() > 45
    # varied, not one sample repeated (issue 13): countries, languages, platforms, sizes, niches, prices differ
    assert len(set(creators.values_list("country", flat=True))) >= 6
    assert len({tuple(x) for x in creators.values_list("languages", flat=True)}) >= 4
    accounts = SocialAccount.objects.filter(creator__in=creators)
    assert len(set(accounts.values_list("platform", flat=True))) >= 3
    assert len(set(accounts.values_list("followers", flat=True))) > 50
    assert len(set(creators.values_list("tier", flat=True))) >= 3
    assert len(set(creators.values_list("niches", flat=True))) >= 8
    assert accounts.filter(engagement_rate__isnull=False).values("engagement_rate").distinct().count() > 50
    client.force_login(brand_user)
    response = client.get("/creators/", {"q": "zeppelin"})
    assert [c.handle for c in response.context["page"].creators] == ["bench-1"]
    call_command("seed_benchmark_creators", count=60, history=True)
    call_command("seed_benchmark_creators", count=10, reset=True)
    assert Creator.objects.filter(handle__startswith="bench-").count() == 10


@pytest.mark.parametrize(
    "platform,tier,expected",
    [
        ("instagram", "micro", "$100–$500"),
        ("youtube", "micro", "$200–$1,000"),
        ("tiktok", "micro", "$25–$125"),
        ("instagram", None, "$10–$100"),
        ("youtube", "mega", "$20,000+"),
    ],
)
def test_suggested_price_ranges_come_from_the_data_file(platform, tier, expected):
    assert str(suggested_range(platform, tier)) == expected


def test_price_verdicts_and_missing_data():
    band = suggested_range("instagram", "micro")
    assert [band.verdict(Decimal(p), "USD") for p in ("99", "100", "500", "501")] == [
        "below",
        "within",
        "within",
        "above",
    ]
    assert band.verdict(Decimal(50), "EUR") is None  # no currency conversion, no verdict
    assert suggested_range("linkedin", "micro") is None


def test_demo_seed_is_realistic_and_idempotent(monkeypatch, settings, tmp_path, niche_taxonomy):
    from creators import demo
    from stats.models import StatsSnapshot

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo, "DEMO_COUNT", 12)
    messages: list[str] = []
    demo.seed(messages.append)
    demo.seed(messages.append)
    creators = Creator.objects.filter(handle__startswith="demo-")
    assert creators.count() == 12 and Creator.objects.filter(handle="casey").count() == 1
    assert messages.count("12 demo creators added.") == 1
    assert all(c.avatar and c.avatar_thumb for c in creators)
    assert len({c.tier for c in creators}) >= 3 and len({c.country for c in creators}) >= 5
    account = SocialAccount.objects.filter(creator__handle="casey").first()
    history = StatsSnapshot.objects.filter(account=account).order_by("period")
    # 30 days from the demo provider through the refresh code; today's comes from the beat's first refresh.
    assert history.count() == 30 and history.last().followers == account.followers
