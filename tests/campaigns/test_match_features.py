"""Matching at a million creators (issue 13): the fast path gives the formula's rows in the formula's order, and
every write that changes a match feature rewrites the creator's row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from campaigns import matching, services
from campaigns.match_features import match_features_rebuild
from campaigns.models import Application, MatchFeatures, RatingTotal, Review
from creators import services as creator_services
from creators.models import Creator, Niche
from tests.campaigns.test_matching import build_creator, load
from tests.campaigns.test_transitions import reach
from tests.campaigns.world import make_open_campaign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def reference(campaign, limit=24, after=None):
    qs = matching.recommended_creators_queryset(campaign=campaign)
    if after is not None:
        qs = qs.filter(matching._after(after))
    return [(c.pk, c.match_score) for c in qs[:limit]]


def fast(campaign, limit=24, after=None):
    return [(c.pk, c.match_score) for c in matching.recommended_creators(campaign=campaign, limit=limit, after=after)]


def reachable(campaign, limit=24) -> int:
    sql, params = matching._reachable_sql(campaign, limit=limit, after=None)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) r", params)
        return cursor.fetchone()[0]


def test_fast_path_gives_the_formulas_pages_on_a_varied_seed(member):
    call_command("seed_benchmark_creators", count=700, chunk=350, history=True)
    niches = {n.slug: n for n in Niche.objects.all()}
    # ties: twelve creators with the same numbers everywhere, so only the id orders them
    for _ in range(12):
        build_creator(accounts=[("instagram", 40_000, "2.5")], niches=["lifestyle"], rates=["300"], country="US")
    briefs = [
        (
            {"target_tiers": ["nano", "micro"], "platforms": [], "fee_per_creator": Decimal(250)},
            ["lifestyle", "fitness"],
        ),
        ({"platforms": ["instagram"], "target_tiers": ["micro"], "countries": ["US"]}, ["lifestyle"]),
        ({"platforms": ["tiktok", "youtube"], "min_followers": 5_000, "languages": ["en", "es"]}, []),
        ({"target_tiers": [], "platforms": [], "fee_per_creator": Decimal(90)}, ["gaming", "beauty", "food"]),
        ({"compensation_type": "gifted", "gifted_product": "A box", "fee_per_creator": None, "platforms": []}, []),
        ({"min_engagement_rate": Decimal(3), "platforms": ["instagram", "tiktok"]}, ["travel"]),
    ]
    kept = eligible_total = 0
    for spec, slugs in briefs:
        campaign = make_open_campaign(member, **spec)
        campaign.niches.set([niches[s] for s in slugs])
        campaign = load(campaign)
        first = fast(campaign)
        assert first == reference(campaign), spec
        assert len(first) == 24
        after = (first[-1][1], first[-1][0])
        assert fast(campaign, after=after) == reference(campaign, after=after), spec
        assert fast(campaign, limit=5) == reference(campaign, limit=5)
        eligible_total += matching.eligible_creators(campaign=campaign).count()
        kept += reachable(campaign)
    # the bound leaves creators unscored even at this size (at 1M: 24-69 kept of 8.8k-860k eligible)
    assert kept < 0.6 * eligible_total
    # the tied twelve come in id order, newest first, on the tie brief
    tie = load(make_open_campaign(member, platforms=["instagram"], target_tiers=["micro"], countries=["US"]))
    tie.niches.set([niches["lifestyle"]])
    tie = load(tie)
    assert fast(tie, limit=100) == reference(tie, limit=100)


def test_rebuild_writes_every_creator_and_agrees_with_the_services(member):
    a = build_creator(accounts=[("instagram", 12_000, "3")], niches=["fitness"], rates=["120", "80"])
    row = MatchFeatures.objects.values().get(creator_id=a.pk)
    MatchFeatures.objects.all().delete()
    assert match_features_rebuild() >= 1
    assert MatchFeatures.objects.values().get(creator_id=a.pk) == row
    assert row["min_price"] == Decimal("80.00") and row["platforms"] == ["instagram"] and row["tier"] == "micro"


def features(creator) -> dict:
    return MatchFeatures.objects.values().get(creator_id=creator.pk)


@pytest.fixture
def mia(db):
    return build_creator(accounts=[("instagram", 12_000, "3")], niches=["fitness"], rates=["200"], country="GB")


def test_profile_edit_rewrites_country_languages_niches(mia):
    food = Niche.objects.get_or_create(slug="food", defaults={"name": "Food"})[0]
    creator_services.creator_update_profile(
        creator=mia,
        actor=mia.user,
        display_name="Mia",
        bio="",
        country="de",
        languages=["de", "en"],
        niches=[food],
        content_formats=[],
    )
    row = features(mia)
    assert (row["country"], row["languages"], row["niche_ids"]) == ("DE", ["de", "en"], [food.pk])


def test_rate_card_save_and_delete_rewrite_the_lowest_price(mia):
    entry = creator_services.rate_card_save(
        creator=mia, actor=mia.user, platform="instagram", deliverable="reel", price=Decimal(90), currency="USD"
    )
    assert features(mia)["min_price"] == Decimal("90.00")
    creator_services.rate_card_delete(entry=entry, actor=mia.user)
    assert features(mia)["min_price"] == Decimal("200.00")


def test_vetting_rewrites_approved(mia):
    staff = UserFactory(is_staff=True)
    creator_services.creator_set_status(creator=mia, status="suspended", reason="Bought followers", actor=staff)
    assert features(mia)["approved"] is False


def test_unlinking_an_account_rewrites_platforms_and_engagement(mia):
    from tests.factories import SocialAccountFactory

    tiktok = SocialAccountFactory(creator=mia, platform="tiktok", followers=50_000, engagement_rate=Decimal(9))
    creator_services.creator_recompute_audience(creator_ids=[mia.pk])
    assert features(mia)["platforms"] == ["instagram", "tiktok"] and features(mia)["followers"] == 50_000
    creator_services.social_account_unlink(account=tiktok, actor=mia.user)
    row = features(mia)
    assert (row["platforms"], row["followers"], row["tier"]) == (["instagram"], 12_000, "micro")


def test_linking_an_account_by_handle_rewrites_platforms(mia):
    creator_services.social_account_link(creator=mia, actor=mia.user, platform="youtube", handle="mia-tv")
    assert features(mia)["platforms"] == ["instagram", "youtube"]


def test_connecting_an_account_moves_it_and_rewrites_both_creators(mia):
    """OAuth proves the owner: the other profile's unverified link goes, both rows follow (issue 11 × 13)."""
    squatter = build_creator(accounts=[("tiktok", 80_000, "4")], niches=["fitness"], rates=["90"], country="US")
    handle = squatter.accounts.get().handle
    assert features(squatter)["platforms"] == ["tiktok"]
    creator_services.social_account_connect(
        creator=mia,
        actor=mia.user,
        platform="tiktok",
        handle=handle,
        external_id="tt-open-id-mf",
        access_token="act.x",
    )
    assert features(mia)["platforms"] == ["instagram", "tiktok"]
    assert (features(squatter)["platforms"], features(squatter)["followers"]) == ([], 0)


def test_stats_refresh_rewrites_the_numbers(settings, mia):
    from stats.refresh import refresh_accounts

    settings.STATS_PROVIDER_DEMO = True
    account = mia.accounts.get()
    before = features(mia)
    refresh_accounts(account_ids=[account.pk], as_of=dt.datetime(2026, 3, 1, 6, tzinfo=dt.UTC))
    account.refresh_from_db()
    after = features(mia)
    assert after["followers"] == account.followers != before["followers"]
    assert after["engagement_rate"] == account.engagement_rate


def test_admin_rate_card_edit_rewrites_the_lowest_price(client, mia):
    from tests.factories.users import login_with_mfa

    login_with_mfa(client, UserFactory(is_staff=True, is_superuser=True))
    entry = mia.rates.get()
    response = client.post(
        f"/admin/creators/ratecardentry/{entry.pk}/change/",
        {"creator": mia.pk, "platform": "instagram", "deliverable": "post", "price": "40", "currency": "USD"},
    )
    assert response.status_code == 302
    assert features(mia)["min_price"] == Decimal("40.00")


def test_completing_reviewing_and_drafting_rewrite_the_reputation_facts(member, mia):
    campaign = make_open_campaign(member, platforms=["instagram"])
    hired = reach("accepted", campaign, mia, member)
    deliverable = hired.deliverables.get()
    services.deliverable_submit(deliverable=deliverable, actor=mia.user, link="https://example.com/draft")
    row = features(mia)
    assert (row["drafted"], row["on_time"]) == (1, 1)  # due in the future: on time
    services.deliverable_approve(deliverable=deliverable, actor=member.user)
    services.application_complete(application=Application.objects.get(pk=hired.pk), actor=member.user)
    assert features(mia)["completed"] == 1
    review = services.review_create(
        application=Application.objects.get(pk=hired.pk),
        actor=member.user,
        overall=4,
        communication=4,
        quality=4,
        timeliness=4,
        text="Good.",
    )
    row = features(mia)
    assert (row["reviews"], row["rating_sum"], row["reviews_blind"]) == (0, 0, 1)  # blind until both are in
    services.review_hide(review=review, actor=UserFactory(is_staff=True), reason="Personal data")
    assert features(mia)["reviews_blind"] == 0


def test_a_creator_without_the_page_score_is_left_unscored(member):
    """Exact pruning: with a full page of perfect matches, a creator who cannot reach it is never scored."""
    for _ in range(3):
        build_creator(accounts=[("instagram", 12_000, "3.5")], niches=["fitness"], rates=["100"], country="GB")
    weak = build_creator(accounts=[("instagram", 12_000, "0.5")], niches=[], country="GB")
    campaign = make_open_campaign(member, platforms=["instagram"], fee_per_creator=Decimal(100))
    campaign.niches.set([Niche.objects.get(slug="fitness")])
    campaign = load(campaign)
    sql, params = matching._reachable_sql(campaign, limit=3, after=None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        kept = {row[0] for row in cursor.fetchall()}
    assert weak.pk not in kept and len(kept) == 3
    assert [c.pk for c in matching.recommended_creators(campaign=campaign, limit=3)] == [
        pk for pk, _s in reference(campaign, limit=3)
    ]
    assert Creator.objects.filter(pk=weak.pk).exists()


@pytest.mark.parametrize(("window", "range_max"), [(1, 10_000), (30, 10_000), (30, 5)])
def test_seeds_past_a_small_window_give_the_formulas_pages(member, monkeypatch, window, range_max):
    """When the top of the bound index holds too few eligible creators (a narrow brief at 1M), or the range of it
    that could reach λ is too long, the pool comes from the filters' GIN index (every niche, then any) or from
    every eligible creator: same pages."""
    call_command("seed_benchmark_creators", count=400, chunk=400, history=True)
    monkeypatch.setattr(matching, "SEED_WINDOW", window)
    monkeypatch.setattr(matching, "RANGE_MAX", range_max)
    niches = {n.slug: n for n in Niche.objects.all()}
    briefs = [
        ({"target_tiers": ["nano", "micro"], "platforms": [], "fee_per_creator": Decimal(250)}, ["lifestyle"]),
        ({"platforms": ["instagram"], "target_tiers": ["micro"], "fee_per_creator": Decimal(150)}, ["fitness"]),
        ({"target_tiers": [], "platforms": ["tiktok"], "fee_per_creator": Decimal(90)}, ["gaming", "beauty"]),
        ({"platforms": ["youtube", "instagram"], "min_followers": 2_000}, []),
    ]
    for spec, slugs in briefs:
        campaign = make_open_campaign(member, **spec)
        campaign.niches.set([niches[s] for s in slugs])
        campaign = load(campaign)
        for limit in (5, 24):
            first = fast(campaign, limit=limit)
            assert first == reference(campaign, limit=limit), (spec, limit)
            after = (first[-1][1], first[-1][0])
            assert fast(campaign, limit=limit, after=after) == reference(campaign, limit=limit, after=after), spec


def test_the_stage_that_gave_a_page_is_remembered_and_run_alone(member, monkeypatch):
    """A narrow brief finds no page at the top of the stored bound (the window) but among the creators with its
    niche: that stage is remembered and the brief's next statement holds it alone; a statement whose stage no
    longer finds the pool gives way to the full one. Every page is the formula's."""
    monkeypatch.setattr(matching, "SEED_WINDOW", 4)
    monkeypatch.setattr(matching, "_STAGES", type(matching._STAGES)())
    for _ in range(6):  # the top of the stored bound: Instagram creators with a high engagement rate
        build_creator(accounts=[("instagram", 12_000, "9")], niches=["fitness"], rates=["100"])
    for er in ("1.5", "2", "2.5", "3", "3.5"):
        build_creator(accounts=[("youtube", 20_000, er)], niches=["fitness"], rates=["100"])
    fitness = Niche.objects.get(slug="fitness")
    narrow = make_open_campaign(member, platforms=["youtube"], fee_per_creator=Decimal(100))
    broad = make_open_campaign(member, platforms=[], fee_per_creator=Decimal(100))
    for campaign in (narrow, broad):
        campaign.niches.set([fitness])
    narrow, broad = load(narrow), load(broad)

    def page(campaign, limit=3, after=None):
        ranked = matching.recommended_creators(campaign=campaign, limit=limit, after=after)
        rows = [(c.pk, c.match_score) for c in ranked]
        assert rows == reference(campaign, limit=limit, after=after)
        return rows, "match_window" in ranked.raw_query, "match_all_l" in ranked.raw_query

    def learned(campaign, after=False):
        return matching._stage_learned((matching._brief_key(campaign), after))

    assert page(narrow)[1:] == (True, True)  # the full statement: none of the four at the top is on YouTube
    assert learned(narrow) == "every"
    rows, window, rest = page(narrow)
    assert (window, rest, len(rows)) == (False, False, 3)  # the niche's pool alone: the same page
    assert page(narrow, after=(rows[-1][1], rows[-1][0]))[1:] == (True, True)  # the next page: a brief of its own
    page(broad)
    assert learned(broad) == "window"  # the window gives the broad brief its page
    assert page(broad)[1:] == (True, False)
    # A stage that no longer finds the pool (learned when the data was other): no row, so the full statement runs.
    matching._stage_learn((matching._brief_key(narrow), False), "window")
    assert len(page(narrow)[0]) == 3 and learned(narrow) == "every"
    monkeypatch.setattr(matching, "STAGE_TTL", 0.0)
    assert page(narrow)[1:] == (True, True)  # remembered too long ago: the full statement again


def test_the_compiled_formula_follows_every_field_of_the_brief(member):
    """The formula's SQL is compiled once per brief (campaigns.matching._scored_sql): any change to a field it is
    built from gives the SQL a fresh compile gives, and the page stays the formula's."""
    for accounts, niches, country in [
        ([("instagram", 12_000, "3.5")], ["fitness"], "GB"),
        ([("tiktok", 60_000, "6"), ("youtube", 8_000, "2")], ["food", "travel"], "DE"),
        ([("youtube", 150_000, "1.5")], ["tech"], "US"),
    ]:
        build_creator(accounts=accounts, niches=niches, rates=["200"], country=country)
    campaign = load(make_open_campaign(member, platforms=["instagram"], fee_per_creator=Decimal(100)))
    changes = [
        ("target_tiers", ["micro", "macro"]),
        ("platforms", ["tiktok", "youtube"]),
        ("min_followers", 5_000),
        ("min_engagement_rate", Decimal("1.5")),
        ("countries", ["DE", "US"]),
        ("languages", ["de"]),
        ("fee_per_creator", Decimal(300)),
        ("compensation_type", "gifted"),
        ("niches", ["food", "tech"]),
    ]
    for field, value in changes:
        matching._scored_sql(campaign, False)  # compiled and kept for the brief as it was
        if field == "niches":
            campaign.niches.set(Niche.objects.filter(slug__in=value))
        else:
            setattr(campaign, field, value)
            if field == "compensation_type":
                campaign.gifted_product = "A box"
            campaign.save()
        campaign = load(campaign)
        kept = matching._scored_sql(campaign, False)
        matching._COMPILED.clear()
        assert matching._scored_sql(campaign, False) == kept, field
        assert fast(campaign) == reference(campaign), field


def test_accepting_and_drafting_move_the_pending_deliverables(member, mia):
    hired = reach("accepted", make_open_campaign(member, platforms=["instagram"], specs=2), mia, member)
    assert (features(mia)["pending"], features(mia)["drafted"]) == (2, 0)  # two deliverables due, no draft yet
    first = hired.deliverables.order_by("id").first()
    services.deliverable_submit(deliverable=first, actor=mia.user, link="https://example.com/draft")
    assert (features(mia)["pending"], features(mia)["drafted"]) == (1, 1)


def test_a_known_audience_is_written_to_the_row(mia):
    assert features(mia)["audience_known"] is False
    creator_services.account_demographics_set(
        account=mia.accounts.get(), countries={"FR": 70}, ages={}, genders={}, source="platform"
    )
    assert features(mia)["audience_known"] is True


SAME = {"accounts": [("instagram", 12_000, "3.5")], "niches": ["fitness"], "rates": ["100"], "country": "GB"}


def test_what_time_alone_changes_keeps_the_formulas_pages(member):
    """The lower bound holds where the row cannot follow the clock: a deliverable that falls due without a draft,
    a blind review whose window closes; and where the audience decides the country: same pages as the formula."""
    # (late is the newest: among equal bounds it would come first, so a bound that missed its overdue deliverable
    # would push out a creator who belongs on the page)
    blind, abroad, plain, plain2, late = (build_creator(**SAME) for _ in range(5))
    overdue = reach("accepted", make_open_campaign(member, platforms=["instagram"]), late, member)
    reviewed = reach("completed", make_open_campaign(member, platforms=["instagram"]), blind, member)
    services.review_create(
        application=reviewed, actor=member.user, overall=1, communication=1, quality=1, timeliness=1, text="Late."
    )
    creator_services.account_demographics_set(
        account=abroad.accounts.get(), countries={"FR": 90}, ages={}, genders={}, source="platform"
    )
    assert (features(late)["pending"], features(blind)["reviews_blind"]) == (1, 1)
    # Time passes: the deliverable is overdue and the review's window closed, with no write to either creator.
    yesterday = dt.date.today() - dt.timedelta(days=1)
    overdue.deliverables.update(due_date=yesterday)
    reviewed.reviews.update(window_closes_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    brief = make_open_campaign(member, platforms=["instagram"], countries=["GB"], fee_per_creator=Decimal(100))
    brief.niches.set([Niche.objects.get(slug="fitness")])
    brief = load(brief)
    rows = {c.pk: c for c in matching.recommended_creators_queryset(campaign=brief)}
    assert rows[late.pk].rep_due == 1 and rows[late.pk].rep_on_time == 0  # overdue, no draft: 0 on time of 1
    assert rows[late.pk].match_score < rows[plain.pk].match_score == rows[plain2.pk].match_score
    assert rows[blind.pk].rep_reviews == 1  # the closed window made the 1-star review visible
    assert rows[abroad.pk].match_audience == 0.5 * 0 + 0.5 * 1  # none of the audience in GB; no language asked
    ranked = reference(brief, limit=5)
    for limit in (1, 2, 3, 4, 5):
        assert fast(brief, limit=limit) == reference(brief, limit=limit), limit
        after = (ranked[limit - 1][1], ranked[limit - 1][0])
        assert fast(brief, limit=2, after=after) == reference(brief, limit=2, after=after), limit


def _published_total() -> tuple[int, int]:
    row = RatingTotal.objects.filter(pk=1).values_list("total", "ratings").first()
    return row or (0, 0)


def test_the_rating_total_follows_every_write_to_the_reviews(member):
    """The trigger keeps the published, shown brand-side ratings' sum and count, whichever code writes."""
    apps = [
        reach("completed", make_open_campaign(member, platforms=["instagram"]), build_creator(**SAME), member)
        for _ in range(3)
    ]

    def rate(app, stars, side="brand"):
        actor = member.user if side == "brand" else app.creator.user
        return services.review_create(
            application=app, actor=actor, overall=stars, communication=3, quality=3, timeliness=3, text="Fine."
        )

    assert _published_total() == (0, 0)
    first = rate(apps[0], 4)
    assert _published_total() == (0, 0)  # blind: not published yet
    rate(apps[0], 5, side="creator")  # both sides in: published
    assert _published_total() == (4, 1)
    rate(apps[1], 2)
    rate(apps[1], 3, side="creator")
    assert _published_total() == (6, 2)  # the creator side's ratings are not the brand's of a creator
    services.review_hide(review=first, actor=UserFactory(is_staff=True), reason="Personal data")
    assert _published_total() == (2, 1)
    Review.objects.filter(application=apps[1], side="brand").update(overall=5)  # a bulk write counts too
    assert _published_total() == (5, 1)
    Review.objects.filter(application=apps[1]).delete()
    assert _published_total() == (0, 0)


def test_the_fast_paths_platform_mean_is_the_formulas_to_the_last_digit(member):
    """μ from the running total and the closed-window ratings equals AVG over the visible ratings: the same float
    in every score (the pages are compared exactly above, and here the mean itself)."""
    rated = [build_creator(**SAME) for _ in range(3)]
    for creator, stars in zip(rated, (5, 4, 4), strict=True):
        app = reach("completed", make_open_campaign(member, platforms=["instagram"]), creator, member)
        review = services.review_create(
            application=app, actor=member.user, overall=stars, communication=3, quality=3, timeliness=3, text="Ok."
        )
        if stars == 4:  # blind; its window closes without a write: counted from the reviews table at read time
            Review.objects.filter(pk=review.pk).update(window_closes_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    brief = make_open_campaign(member, platforms=["instagram"], countries=["GB"])
    brief.niches.set([Niche.objects.get(slug="fitness")])
    brief = load(brief)
    assert _published_total() == (0, 0)  # none published: μ comes from the closed windows alone
    fast_rows = list(matching.recommended_creators(campaign=brief, limit=3))
    reference_rows = list(matching.recommended_creators_queryset(campaign=brief)[:3])
    assert [r.rep_platform_mean for r in fast_rows] == [r.rep_platform_mean for r in reference_rows]
    assert float(fast_rows[0].rep_platform_mean) == pytest.approx(4.0)  # the two closed 4-star ratings; 5 is blind


def test_a_migration_fills_the_rows_an_earlier_one_skipped(mia):
    """0010 skips its fill when the table lacks a later migration's columns; 0014 then writes every missing row."""
    from types import SimpleNamespace

    from campaigns.match_features import migration_fill_missing

    expected = features(mia)
    MatchFeatures.objects.filter(creator_id=mia.pk).delete()
    migration_fill_missing(None, SimpleNamespace(connection=connection))
    assert features(mia) == expected
