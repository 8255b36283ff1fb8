"""Creators API (PRODUCT §8): same filters and permissions as the pages, JSON errors."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from creators.models import Niche, SocialAccount
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_list_is_for_brands_and_staff(api, brand_user, staff_user, make_creator):
    make_creator({"instagram": 5_000})
    assert api.get("/api/v1/creators/").status_code == 401
    creator = make_creator()
    api.force_authenticate(creator.user)
    response = api.get("/api/v1/creators/")
    assert response.status_code == 404 and response.json()["message"] == "Not found."
    for user in (brand_user, staff_user):
        api.force_authenticate(user)
        assert api.get("/api/v1/creators/").status_code == 200


def test_list_filters_and_search(api, brand_user, make_creator):
    make_creator(
        {"instagram": (50_000, {"engagement_rate": Decimal(3)})},
        handle="mia-runs",
        country="DE",
        niches=[Niche.objects.get(slug="fitness")],
    )
    make_creator({"tiktok": 5_000}, handle="pete", country="GB")
    make_creator({"tiktok": 90_000}, handle="pending-one", status="pending")
    api.force_authenticate(brand_user)

    def handles(**params):
        response = api.get("/api/v1/creators/", params)
        assert response.status_code == 200, response.json()
        return [c["handle"] for c in response.json()["results"]]

    assert handles() == ["mia-runs", "pete"]
    assert handles(tier="nano") == ["pete"]
    assert handles(platform="instagram") == ["mia-runs"]
    assert handles(country="gb") == ["pete"]
    assert handles(niche="fitness") == ["mia-runs"]
    assert handles(followers_min=10_000) == ["mia-runs"]
    assert handles(engagement_min=2) == ["mia-runs"]
    assert handles(q="runs") == ["mia-runs"]


def test_bad_filter_is_a_json_400(api, brand_user):
    api.force_authenticate(brand_user)
    response = api.get("/api/v1/creators/", {"followers_min": "many", "tier": "giant"})
    assert response.status_code == 400
    body = response.json()
    assert body["message"] and {"followers_min", "tier"} <= set(body["errors"])


def test_detail_follows_media_kit_rules(api, brand_user, make_creator):
    approved = make_creator({"youtube": 2_000_000})
    pending = CreatorFactory(status="pending")
    api.force_authenticate(brand_user)
    body = api.get(f"/api/v1/creators/{approved.pk}/").json()
    assert body["tier"] == "mega" and body["accounts"][0]["platform"] == "youtube"
    assert api.get(f"/api/v1/creators/{pending.pk}/").status_code == 404
    api.force_authenticate(pending.user)
    assert api.get(f"/api/v1/creators/{pending.pk}/").status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_list_query_count_does_not_grow(api, brand_user, make_creator, django_assert_num_queries, rows):
    for _ in range(rows):
        make_creator({"instagram": 5_000, "tiktok": 3_000}, niches=[Niche.objects.get(slug="food")])
    api.force_authenticate(brand_user)
    with django_assert_num_queries(1):  # one statement: capped count, page, niches, accounts, rates (5 before)
        response = api.get("/api/v1/creators/", {"platform": "instagram"})
    assert response.json()["count"] == rows and len(response.json()["results"]) == rows


def test_list_pages_by_cursor_and_sorts(api, brand_user, make_creator):
    for i in range(30):
        make_creator({"instagram": (1_000 + i, {"engagement_rate": Decimal(30 - i)})}, handle=f"p{i:02d}")
    api.force_authenticate(brand_user)
    first = api.get("/api/v1/creators/", {"tier": "nano", "sort": "followers"}).json()
    assert [c["handle"] for c in first["results"]][:2] == ["p29", "p28"] and len(first["results"]) == 24
    assert first["count"] == 30 and first["count_capped"] is False and "after=" in first["next"]
    second = api.get(first["next"]).json()
    assert [c["handle"] for c in second["results"]] == [f"p{i:02d}" for i in range(5, -1, -1)]
    assert second["next"] is None
    by_er = api.get("/api/v1/creators/", {"sort": "engagement"}).json()
    assert by_er["results"][0]["handle"] == "p00"
    default = api.get("/api/v1/creators/").json()  # no sort: highest engagement first (issue 14, point 10)
    assert [c["handle"] for c in default["results"]][:3] == ["p00", "p01", "p02"]


def test_me_get_and_patch(api, make_creator):
    creator = make_creator(handle="me-me", display_name="Before", status="pending")
    api.force_authenticate(creator.user)
    assert api.get("/api/v1/creators/me/").json()["handle"] == "me-me"
    response = api.patch("/api/v1/creators/me/", {"display_name": "After", "niches": ["food", "travel"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["display_name"] == "After" and sorted(response.json()["niches"]) == ["food", "travel"]
    bad = api.patch("/api/v1/creators/me/", {"country": "Germany", "niches": ["nope"]}, format="json")
    assert bad.status_code == 400 and {"country", "niches"} <= set(bad.json()["errors"])
    creator.refresh_from_db()
    assert creator.display_name == "After" and creator.country == "GB"


def test_me_is_for_creators(api, brand_user):
    api.force_authenticate(brand_user)
    assert api.get("/api/v1/creators/me/").status_code == 403


def test_social_accounts_are_the_creators_own(api, make_creator):
    me = make_creator({"instagram": 5_000})
    other = SocialAccountFactory(creator=CreatorFactory(), platform="youtube")
    api.force_authenticate(me.user)
    listed = api.get("/api/v1/social-accounts/").json()["results"]
    assert [a["platform"] for a in listed] == ["instagram"]
    created = api.post("/api/v1/social-accounts/", {"platform": "tiktok", "handle": "@me.tok"}, format="json")
    assert created.status_code == 201 and created.json()["pending"] is True and created.json()["handle"] == "me.tok"
    bad = api.post("/api/v1/social-accounts/", {"platform": "youtube", "handle": "<script>", "x": 1}, format="json")
    assert bad.status_code == 400 and "handle" in bad.json()["errors"]
    clash = api.post("/api/v1/social-accounts/", {"platform": "youtube", "handle": other.handle}, format="json")
    assert clash.status_code == 400 and "already linked" in clash.json()["message"]
    assert api.delete(f"/api/v1/social-accounts/{other.pk}/").status_code == 404
    assert SocialAccount.objects.filter(pk=other.pk).exists()
    mine = SocialAccount.objects.get(creator=me, platform="instagram")
    assert api.delete(f"/api/v1/social-accounts/{mine.pk}/").status_code == 204
    me.refresh_from_db()
    assert me.followers == 0


def test_social_accounts_refuse_brands(api, brand_user):
    api.force_authenticate(brand_user)
    assert api.get("/api/v1/social-accounts/").status_code == 403
