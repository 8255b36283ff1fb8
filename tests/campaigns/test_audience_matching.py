"""Matching's audience country half uses the creator's known audience (issue 11): the followers-weighted share of
the audience in the brief's countries, the creator's own country when no audience is known; both directions and
the fast path agree. Expected values are worked by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from campaigns import matching
from creators.services import account_demographics_set
from tests.campaigns.test_matching import build_creator, load, niche, points
from tests.campaigns.world import make_open_campaign

pytestmark = pytest.mark.django_db


def with_audience(creator, platform: str, countries: dict[str, float], source: str = "platform"):
    account = creator.accounts.get(platform=platform)
    account_demographics_set(account=account, countries=countries, ages={}, genders={}, source=source)


@pytest.fixture
def us_brief(member):
    campaign = make_open_campaign(
        member, platforms=["instagram", "tiktok"], countries=["US"], languages=[], fee_per_creator=Decimal(200)
    )
    campaign.niches.set([niche("fitness")])
    return load(campaign)


@pytest.fixture
def dana(db):
    # Instagram 10,000 (60 % US, 20 % GB) and TikTok 30,000 (10 % US): share in the US =
    # (10,000 × 0.60 + 30,000 × 0.10) / 40,000 = 9,000 / 40,000 = 0.225.
    creator = build_creator(
        accounts=[("instagram", 10_000, "3"), ("tiktok", 30_000, "5")], niches=["fitness"], country="US"
    )
    with_audience(creator, "instagram", {"US": 60, "GB": 20})
    with_audience(creator, "tiktok", {"US": 10, "MX": 40})
    return creator


def test_known_audience_gives_the_followers_weighted_share(us_brief, dana):
    row = {r.pk: r for r in matching.recommended_creators(campaign=us_brief)}[dana.pk]
    assert row.match_audience == pytest.approx(0.5 * 0.225 + 0.5 * 1)  # 0.6125: no languages asked → 1
    assert points(row)["audience"] == 6.12  # 10 × 0.6125, shown to two decimals


def test_only_accounts_on_the_briefs_platforms_count(member, dana):
    campaign = make_open_campaign(member, platforms=["instagram"], countries=["US", "GB"], languages=[])
    row = {r.pk: r for r in matching.recommended_creators(campaign=load(campaign))}[dana.pk]
    assert row.match_audience == pytest.approx(0.5 * 0.80 + 0.5)  # Instagram only: 60 + 20 = 80 %


def test_without_a_known_audience_the_creators_country_decides(us_brief):
    plain = build_creator(accounts=[("instagram", 12_000, "3")], niches=["fitness"], country="US")
    row = {r.pk: r for r in matching.recommended_creators(campaign=us_brief)}[plain.pk]
    assert row.match_audience == pytest.approx(1.0)


def test_a_brief_without_countries_ignores_the_audience(member, dana):
    campaign = make_open_campaign(member, platforms=["instagram", "tiktok"], countries=[], languages=[])
    row = {r.pk: r for r in matching.recommended_creators(campaign=load(campaign))}[dana.pk]
    assert row.match_audience == pytest.approx(1.0)


def test_self_reported_audience_counts_too(us_brief):
    creator = build_creator(accounts=[("youtube", 8_000, "4"), ("instagram", 2_000, "3")], country="US")
    with_audience(creator, "instagram", {"US": 25}, source="self_reported")
    # Only Instagram's audience is known (YouTube is not on the brief either): 25 %.
    row = {r.pk: r for r in matching.recommended_creators(campaign=us_brief)}[creator.pk]
    assert row.match_audience == pytest.approx(0.5 * 0.25 + 0.5)


def test_both_directions_and_the_fast_path_agree(us_brief, dana):
    plain = build_creator(accounts=[("instagram", 12_000, "3")], niches=["fitness"], country="US")
    from_brief = {r.pk: r for r in matching.recommended_creators(campaign=us_brief)}
    for creator in (dana, plain):
        from_creator = {c.pk: c for c in matching.campaigns_for_creator(creator=creator)}[us_brief.pk]
        assert from_creator.match_audience == pytest.approx(from_brief[creator.pk].match_audience)
        assert from_creator.match_score == pytest.approx(from_brief[creator.pk].match_score)
    # The plain creator (country only → 1.0) outranks Dana on audience; the pages are the formula's.
    assert from_brief[plain.pk].match_audience > from_brief[dana.pk].match_audience
    reference = [r.pk for r in matching.recommended_creators_queryset(campaign=us_brief)[:24]]
    assert [r.pk for r in matching.recommended_creators(campaign=us_brief)] == reference


def test_brief_codes_are_stored_as_profiles_store_them(member):
    """A brand typing "us, gb" and "EN" finds the creators in "US" speaking "en" (the service normalizes)."""
    from campaigns.services import campaign_update

    campaign = make_open_campaign(member, platforms=["instagram"], countries=["US"], languages=["en"])
    campaign = campaign_update(
        campaign=campaign, actor=member.user, data={"countries": ["us", "gb", "US"], "languages": ["EN", "fr"]}
    )
    campaign.refresh_from_db()
    assert (campaign.countries, campaign.languages) == (["US", "GB"], ["en", "fr"])
    creator = build_creator(accounts=[("instagram", 12_000, "3")], country="GB", languages=["en"])
    assert creator.pk in {c.pk for c in matching.eligible_creators(campaign=campaign)}
