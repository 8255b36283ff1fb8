"""Nothing a user types produces a server error; what they typed is kept."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def test_garbage_brief_is_explained_not_a_500(member, client):
    client.force_login(member.user)
    response = client.post(
        reverse("campaigns:create"),
        {
            "title": "x" * 500,
            "product_description": "",
            "goal": "world-domination",
            "platforms": ["myspace"],
            "target_tiers": ["giga"],
            "min_followers": "-4",
            "min_engagement_rate": "140",
            "countries": "United Kingdom",
            "languages": "e$",
            "compensation_type": "fee",
            "fee_per_creator": "abc",
            "slots": "0",
            "total_budget": "1e999",
            "application_deadline": "tomorrow",
            "content_due_date": "2026-02-30",
            "usage_rights": "paid_ads",
            "usage_duration_months": "-1",
            "specs-TOTAL_FORMS": "1",
            "specs-INITIAL_FORMS": "0",
            "specs-MIN_NUM_FORMS": "1",
            "specs-MAX_NUM_FORMS": "20",
            "specs-0-platform": "fax",
            "specs-0-format": "reel",
            "specs-0-quantity": "9999",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    for field in (
        "title",
        "product_description",
        "goal",
        "platforms",
        "target_tiers",
        "min_followers",
        "min_engagement_rate",
        "countries",
        "languages",
        "fee_per_creator",
        "slots",
        "application_deadline",
        "content_due_date",
    ):
        assert field in form.errors, field
    assert response.context["formset"].forms[0].errors
    assert not Campaign.objects.exists()


def test_broken_management_form_is_not_a_500(member, client):
    client.force_login(member.user)
    response = client.post(reverse("campaigns:create"), {"title": "T"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"sort": "'; drop table", "status": "nope", "tier": "zz"}, {"sort", "status"}),
        (
            {
                "fee_min": "NaN",
                "fee_max": "-inf",
                "deadline_before": "32/13/2020",
                "niche": "<script>",
                "platform": "x",
            },
            {"fee_min", "fee_max", "deadline_before", "niche", "platform"},
        ),
    ],
)
def test_odd_filters_are_ignored_on_pages_and_named_by_the_api(query, named, member, campaign, creator, client):
    client.force_login(member.user)
    assert client.get(reverse("campaigns:applicants", args=[campaign.pk]), query).status_code == 200
    client.force_login(creator.user)
    assert client.get(reverse("campaigns:browse"), query).status_code == 200
    # The API is for programs: a filter value it does not know is a 400 that names the parameter.
    response = client.get("/api/v1/campaigns/", query)
    assert response.status_code == 400 and set(response.json()["errors"]) == named


def test_unknown_actions_and_ids_are_404(member, application, client):
    client.force_login(member.user)
    assert client.post(reverse("campaigns:application_action", args=[application.pk, "explode"])).status_code == 404
    assert (
        client.post(reverse("campaigns:campaign_action", args=[application.campaign_id, "explode"])).status_code == 404
    )
    assert client.get(reverse("campaigns:spec_row"), {"index": "abc"}).status_code == 200
    assert client.post(reverse("campaigns:invite_any"), {"campaign": "abc"}).status_code == 404
    assert client.get(reverse("campaigns:application_action", args=[application.pk, "accept"])).status_code == 405


def test_api_rejects_odd_payloads_with_json(member, creator, campaign):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(creator.user)
    for payload in (
        {"campaign": "abc", "pitch": "x"},
        {"campaign": campaign.pk, "pitch": "x", "proposed_rate": "-1"},
        {"campaign": campaign.pk, "pitch": "x", "sample_links": ["ftp://x"]},
        [],
    ):
        response = api.post("/api/v1/applications/", payload, format="json")
        assert response.status_code == 400 and response.json()["message"], payload
    api.force_authenticate(member.user)
    bad = api.post(f"/api/v1/applications/{999999}/accept/")
    assert bad.status_code == 404 and bad.json()["message"] == "Not found."
