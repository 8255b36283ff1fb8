"""The directory's page in ONE statement (issue 13), and the cached card bodies and API representations."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.http import QueryDict
from rest_framework.test import APIClient

from creators import cards, selectors
from creators.filters import CreatorFilter
from creators.models import Niche, SocialAccount
from creators.selectors import directory_page, listed_creators
from creators.services import creator_recompute_audience
from tests.factories import RateCardEntryFactory

pytestmark = pytest.mark.django_db


def stored(prefix: str) -> int:
    """How many entries the cache holds under ``prefix`` (Django's Redis cache keys them "<KEY_PREFIX>:1:<key>")."""
    return len(cache._cache.get_client(None).keys(f"*:1:{prefix}*"))


@pytest.fixture
def five(make_creator):
    """Five creators, followers 1,000..5,000 (handles c1..c5), each with two accounts, two rates and two niches."""
    food, travel, beauty = (Niche.objects.get(slug=s) for s in ("food", "travel", "beauty"))
    made = []
    for i in range(1, 6):
        c = make_creator(
            {"instagram": (1_000 * i, {"engagement_rate": Decimal(f"{i}.5")}), "tiktok": 300 * i},
            handle=f"c{i}",
            niches=[travel, food] if i % 2 else [beauty],
        )
        RateCardEntryFactory(creator=c, platform="tiktok", deliverable="video", price=Decimal("90.00"))
        RateCardEntryFactory(creator=c, platform="instagram", deliverable="post", price=Decimal("400.00"))
        made.append(c)
    return made


@pytest.mark.parametrize(
    "cap,window",
    [(200, 1_000), (1, 10_000), (1, 2)],
    ids=["few matches: sorted", "many: found walking the sort index", "many: walk too short, sorted"],
)
def test_each_plan_is_one_statement_with_the_same_cards(five, monkeypatch, django_assert_num_queries, cap, window):
    monkeypatch.setattr(selectors, "COUNT_CAP", cap)
    monkeypatch.setattr(selectors, "WINDOW", window)
    f = CreatorFilter(QueryDict("platform=instagram"), queryset=listed_creators())  # a filter: the plan runs
    assert f.is_valid()
    qs = f.qs
    with django_assert_num_queries(1):
        first = directory_page(qs, sort="followers", page_size=2)
        first_cards = [
            (
                c.handle,
                c.followers,
                [(a.platform, a.followers) for a in c.accounts.all()],
                [r.price for r in c.rates.all()],
                [n.slug for n in c.niches.all()],
            )
            for c in first.creators
        ]
    assert first_cards == [
        (
            "c5",
            5_000,
            [("instagram", 5_000), ("tiktok", 1_500)],
            [Decimal("90.00"), Decimal("400.00")],
            ["food", "travel"],
        ),
        ("c4", 4_000, [("instagram", 4_000), ("tiktok", 1_200)], [Decimal("90.00"), Decimal("400.00")], ["beauty"]),
    ]
    assert (first.count, first.count_capped) == ((1, True) if cap == 1 else (5, False))
    with django_assert_num_queries(1):
        second = directory_page(qs, sort="followers", page_size=2, cursor=first.next_cursor)
        assert [c.handle for c in second.creators] == ["c3", "c2"]
        assert [n.slug for n in second.creators[0].niches.all()] == ["food", "travel"]  # by name: Food, Travel
    last = directory_page(qs, sort="followers", page_size=2, cursor=second.next_cursor)
    assert [c.handle for c in last.creators] == ["c1"] and last.next_cursor is None


def test_the_whole_directory_is_one_statement_too(five, monkeypatch, django_assert_num_queries):
    """No filter beyond the sort index's: the page is the index's first rows (no plan to choose)."""
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    with django_assert_num_queries(1):
        first = directory_page(listed_creators(), sort="engagement", page_size=2)
    assert [c.handle for c in first.creators] == ["c5", "c4"] and (first.count, first.count_capped) == (3, True)
    rest = directory_page(listed_creators(), sort="engagement", page_size=2, cursor=first.next_cursor)
    assert [c.handle for c in rest.creators] == ["c3", "c2"] and rest.next_cursor
    f = CreatorFilter(QueryDict("followers_min=2500&sort=followers"), queryset=listed_creators())
    assert f.is_valid()  # a follower range by followers: the rows the sort index serves
    ranged = directory_page(f.qs, sort="followers", window_base=f.window_base("followers", listed_creators()))
    assert [c.handle for c in ranged.creators] == ["c5", "c4", "c3"] and ranged.count == 3


def test_filters_sorts_and_the_engagement_values(five):
    f = CreatorFilter(QueryDict("niche=travel&engagement_min=2&sort=engagement"), queryset=listed_creators())
    assert f.is_valid()
    page = directory_page(f.qs, sort="engagement", window_base=f.window_base("engagement", listed_creators()))
    assert [(c.handle, c.engagement_rate) for c in page.creators] == [
        ("c5", Decimal("5.500")),
        ("c3", Decimal("3.500")),
    ]
    assert page.count == 2 and not page.count_capped and page.next_cursor is None


def test_a_page_past_the_end_still_counts(five):
    first = directory_page(listed_creators(), sort="followers", page_size=5)
    assert first.next_cursor is None
    cursor = selectors._encode_cursor("followers", first.creators[-1])  # after the last creator: nothing
    past = directory_page(listed_creators(), sort="followers", page_size=5, cursor=cursor)
    assert past.creators == [] and past.count == 5 and past.next_cursor is None


def test_nothing_matches(five):
    f = CreatorFilter(QueryDict("q=zzzzqqq"), queryset=listed_creators())
    assert f.is_valid()
    page = directory_page(f.qs)
    assert page.creators == [] and page.count == 0 and not page.count_capped and page.next_cursor is None


def test_the_api_lists_all_fields_with_rates_by_platform(five, brand_user, django_assert_num_queries):
    api = APIClient()
    api.force_authenticate(brand_user)
    with django_assert_num_queries(1):
        body = api.get("/api/v1/creators/", {"sort": "followers"}).json()
    top = body["results"][0]
    assert top["handle"] == "c5" and top["engagement_rate"] == "5.500" and top["niches"] == ["food", "travel"]
    assert [(r["platform"], r["price"]) for r in top["rates"]] == [("instagram", "400.00"), ("tiktok", "90.00")]
    assert [(a["platform"], a["followers"], a["pending"]) for a in top["accounts"]] == [
        ("instagram", 5_000, False),
        ("tiktok", 1_500, False),
    ]
    assert top["bio"] == five[4].bio and top["status"] == "approved" and body["count"] == 5


# --- cached card bodies ---------------------------------------------------------------------------------------------


def test_card_bodies_are_cached_and_follow_every_change(client, brand_user, five):
    client.force_login(brand_user)
    assert "<strong>5K</strong>" in client.get("/creators/", {"sort": "followers"}).content.decode()
    assert stored("dircard:") == 5  # one body per card, rendered once
    # the numbers change (the statistics pipeline): the next page shows them, not the cached body
    SocialAccount.objects.filter(creator=five[4], platform="instagram").update(followers=7_300_000)
    creator_recompute_audience(creator_ids=[five[4].pk])
    RateCardEntryFactory(creator=five[4], platform="youtube", deliverable="short", price=Decimal("55.00"))
    Niche.objects.filter(slug="beauty").update(name="Beauty & care")
    body = client.get("/creators/", {"sort": "followers"}).content.decode()
    top = body.split('href="/c/c5/"')[1].split("</article>")[0]  # c5's card
    assert "<strong>7.3M</strong>" in top and "<strong>5K</strong>" not in top and "<strong>55 USD</strong>" in top
    assert "Beauty &amp; care" in body.split('href="/c/c4/"')[1].split("</article>")[0]


def test_cached_bodies_never_carry_one_users_controls_to_another(client, brand_user, five, make_creator):
    from tests.factories import BrandMemberFactory

    def whose(context, creator):
        return f"<i>control-of-{context['request'].user.email}</i>"

    cards.register(whose)
    try:
        client.force_login(brand_user)
        mine = client.get("/creators/").content.decode()
        other = BrandMemberFactory().user
        client.force_login(other)
        theirs = client.get("/creators/").content.decode()
    finally:
        cards.unregister(whose)
    assert mine.count(f"control-of-{brand_user.email}") == 5 and other.email not in mine
    assert theirs.count(f"control-of-{other.email}") == 5 and brand_user.email not in theirs
    assert stored("dircard:") == 5  # the second page used the bodies the first stored


def test_a_failing_cache_costs_the_rendering_not_the_page(client, brand_user, five, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "set_many", broken)
    client.force_login(brand_user)
    response = client.get("/creators/", {"sort": "followers"})
    assert response.status_code == 200 and "@c5" in response.content.decode()
    api = APIClient()
    api.force_authenticate(brand_user)
    assert api.get("/api/v1/creators/").json()["count"] == 5


def test_api_representations_are_cached_and_follow_changes(five, brand_user):
    api = APIClient()
    api.force_authenticate(brand_user)
    first = api.get("/api/v1/creators/", {"sort": "followers"}).json()
    assert stored("apicreator:") == 5
    assert api.get("/api/v1/creators/", {"sort": "followers"}).json() == first  # from the cache, the same
    SocialAccount.objects.filter(creator=five[4], platform="tiktok").update(followers=2_222)
    changed = api.get("/api/v1/creators/", {"sort": "followers"}).json()["results"][0]
    assert [a["followers"] for a in changed["accounts"]] == [5_000, 2_222]
    assert changed["accounts"] != first["results"][0]["accounts"]


# --- the cached filter form -----------------------------------------------------------------------------------------


def test_the_filter_form_is_cached_per_query_and_follows_the_taxonomy(client, five, django_assert_num_queries):
    first = client.get("/creators/", {"q": "luna", "niche": "food"}).content.decode()
    assert 'value="luna"' in first and 'value="food" id="id_niche_' in first
    assert stored("dirfilters:") == 1
    # a visitor: the picked niche (validation) and the page; the niche choices come with the cached form
    with django_assert_num_queries(2):
        again = client.get("/creators/", {"q": "luna", "niche": "food"}).content.decode()
    assert again.count('id="directory-filters"') == 1 and 'value="luna"' in again
    other = client.get("/creators/", {"q": "other"}).content.decode()  # another query: its own form
    assert 'value="other"' in other and 'value="luna"' not in other
    Niche.objects.filter(slug="food").update(name="Food")  # no signal: what the TTL is for
    niche = Niche.objects.get(slug="travel")
    niche.name = "Travel & outdoors"
    niche.save()  # the admin's way: the cached forms are dropped
    assert "Travel &amp; outdoors" in client.get("/creators/", {"q": "luna", "niche": "food"}).content.decode()
