"""campaigns/ and applications/ over the API: the same services, JSON errors with readable messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns import services
from campaigns.models import Application, ApplicationStatus as A, Campaign
from tests.campaigns.world import make_open_campaign

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def brief(**over) -> dict:
    today = timezone.localdate()
    data = {
        "title": "Protein oats",
        "product_description": "Oats with 20 g protein.",
        "platforms": ["instagram"],
        "niches": [],
        "fee_per_creator": "100.00",
        "slots": 2,
        "total_budget": "200.00",
        "application_deadline": str(today + dt.timedelta(days=7)),
        "content_due_date": str(today + dt.timedelta(days=20)),
        "deliverables": [{"platform": "instagram", "format": "reel", "quantity": 1}],
    }
    return data | over


def test_brand_creates_and_publishes_a_campaign(member):
    from creators.models import Niche

    Niche.objects.get_or_create(slug="fitness", defaults={"name": "Fitness"})
    response = api(member.user).post("/api/v1/campaigns/", brief(niches=["fitness"]), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["deliverables"] == [
        {"platform": "instagram", "format": "reel", "quantity": 1}
    ]
    assert body["niches"] == ["fitness"]
    published = api(member.user).post(f"/api/v1/campaigns/{body['id']}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "open"


def test_brief_errors_are_readable_json(member):
    response = api(member.user).post(
        "/api/v1/campaigns/", brief(total_budget="150.00", content_due_date="2000-01-01"), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Some fields are not valid."
    assert "does not cover 2 slots" in body["errors"]["total_budget"][0]
    assert "after the application deadline" in body["errors"]["content_due_date"][0]
    garbage = api(member.user).post("/api/v1/campaigns/", {"title": ["x"], "slots": "many"}, format="json")
    assert garbage.status_code == 400 and garbage.json()["errors"]["slots"]


def test_creators_cannot_post_campaigns(creator):
    response = api(creator.user).post("/api/v1/campaigns/", brief(), format="json")
    assert response.status_code == 403 and response.json()["message"]


def test_creator_lists_open_campaigns_with_what_they_miss(member, creator):
    fits = make_open_campaign(member, title="Fits")
    make_open_campaign(member, title="Wants macro", target_tiers=["macro"])
    from tests.factories import CampaignFactory

    CampaignFactory(brand=member.brand, title="Draft")
    body = api(creator.user).get("/api/v1/campaigns/").json()
    by_title = {c["title"]: c for c in body["results"]}
    assert set(by_title) == {"Fits", "Wants macro"}
    assert by_title["Fits"]["missed_requirements"] == []
    assert by_title["Wants macro"]["missed_requirements"][0].startswith("Tier")
    filtered = api(creator.user).get("/api/v1/campaigns/", {"q": "macro"}).json()
    assert [c["title"] for c in filtered["results"]] == ["Wants macro"]
    assert api(creator.user).get(f"/api/v1/campaigns/{fits.pk}/").status_code == 200


def test_application_lifecycle_over_the_api(member, campaign, creator):
    created = api(creator.user).post(
        "/api/v1/applications/",
        {
            "campaign": campaign.pk,
            "pitch": "Hello",
            "proposed_rate": "90.00",
            "sample_links": ["https://example.com/x"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    app_id = created.json()["id"]
    again = api(creator.user).post("/api/v1/applications/", {"campaign": campaign.pk, "pitch": "Again"}, format="json")
    assert again.status_code == 409 and again.json()["message"] == "You have already applied to this campaign."

    assert api(member.user).post(f"/api/v1/applications/{app_id}/shortlist/").json()["status"] == A.SHORTLISTED
    refused = api(creator.user).post(f"/api/v1/applications/{app_id}/accept/")
    assert refused.status_code == 403 and "brand's team" in refused.json()["message"]
    assert api(member.user).post(f"/api/v1/applications/{app_id}/accept/").json()["status"] == A.ACCEPTED
    illegal = api(creator.user).post(f"/api/v1/applications/{app_id}/withdraw/")
    assert illegal.status_code == 409
    assert illegal.json()["message"] == "This application is accepted, so it cannot become withdrawn."
    assert Application.objects.get(pk=app_id).status == A.ACCEPTED


def test_decline_with_message_and_each_side_lists_its_own(member, campaign, creator, other_creator, other_member):
    mine = services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Me")
    services.application_submit(campaign=campaign, creator=other_creator, actor=other_creator.user, pitch="Me too")
    declined = api(member.user).post(
        f"/api/v1/applications/{mine.pk}/decline/", {"message": "Next time!"}, format="json"
    )
    assert declined.json()["decline_message"] == "Next time!"
    assert [a["id"] for a in api(creator.user).get("/api/v1/applications/").json()["results"]] == [mine.pk]
    assert len(api(member.user).get("/api/v1/applications/").json()["results"]) == 2
    assert api(other_member.user).get("/api/v1/applications/").json()["results"] == []
    assert api(other_member.user).get(f"/api/v1/applications/{mine.pk}/").status_code == 404
    assert api(other_creator.user).post(f"/api/v1/applications/{mine.pk}/withdraw/").status_code == 404


def test_applying_to_an_unknown_or_draft_campaign_is_a_400(member, creator):
    from tests.factories import CampaignFactory

    draft = CampaignFactory(brand=member.brand)
    for pk in (draft.pk, 999999):
        response = api(creator.user).post("/api/v1/applications/", {"campaign": pk, "pitch": "x"}, format="json")
        assert response.status_code == 400, response.json()
    assert not Application.objects.exists()


def test_other_brands_campaigns_are_404(member, other_member):
    campaign = make_open_campaign(member)
    assert api(other_member.user).get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 404
    assert (
        api(other_member.user).patch(f"/api/v1/campaigns/{campaign.pk}/", {"title": "Mine"}, format="json").status_code
        == 404
    )
    assert api(other_member.user).post(f"/api/v1/campaigns/{campaign.pk}/cancel/").status_code == 404
    assert Campaign.objects.get(pk=campaign.pk).title != "Mine"


def test_api_requires_authentication():
    response = api().get("/api/v1/campaigns/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("rows", [1, 20])
def test_campaign_list_query_count_is_constant(rows, member, creator, django_assert_num_queries):
    for _ in range(rows):
        make_open_campaign(member)
    client = api(creator.user)
    with django_assert_num_queries(6):
        assert client.get("/api/v1/campaigns/").status_code == 200
    with django_assert_num_queries(4):
        assert api(member.user).get("/api/v1/campaigns/").status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_application_list_query_count_is_constant(rows, member, creator, django_assert_num_queries):
    for _ in range(rows):
        campaign = make_open_campaign(member)
        services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="x")
    with django_assert_num_queries(3):
        assert api(creator.user).get("/api/v1/applications/").status_code == 200
    with django_assert_num_queries(2):
        assert api(member.user).get("/api/v1/applications/").status_code == 200


def test_brands_cannot_apply(member, campaign):
    response = api(member.user).post("/api/v1/applications/", {"campaign": campaign.pk, "pitch": "x"}, format="json")
    assert response.status_code == 403 and response.json()["message"] == "Only creators apply to campaigns."
