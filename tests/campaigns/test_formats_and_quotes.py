"""Issue 14, point 5: a brief's deliverable rows are real (platform, format) pairs on every path, and the apply form
pre-fills the rate for the brief's own rows, saying where the number comes from."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign
from tests.campaigns.test_api import api, brief
from tests.campaigns.test_pages import _form_data
from tests.campaigns.world import make_open_campaign
from tests.factories import CampaignFactory, DeliverableSpecFactory, RateCardEntryFactory

pytestmark = pytest.mark.django_db


def test_brief_form_refuses_a_youtube_post_and_keeps_the_rows(member, client):
    client.force_login(member.user)
    response = client.post(
        reverse("campaigns:create"),
        _form_data(**{"specs-1-platform": "youtube", "specs-1-format": "post", "save": "1"}),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "YouTube has no “Post”. Pick one of: Long video, Short video, Live stream." in body
    assert not Campaign.objects.exists()


def test_api_refuses_the_pair_with_a_400(member):
    response = api(member.user).post(
        "/api/v1/campaigns/",
        brief(deliverables=[{"platform": "youtube", "format": "post", "quantity": 1}]),
        format="json",
    )
    assert response.status_code == 400
    assert "YouTube has no “Post”" in str(response.json())


def test_service_refuses_the_pair(member):
    campaign = make_open_campaign(member)
    with pytest.raises(ValidationError, match="TikTok has no “Article”"):
        services.campaign_update(
            campaign=campaign,
            actor=member.user,
            data={},
            specs=[{"platform": "tiktok", "format": "article", "quantity": 1}],
        )


def _instagram_brief(member, quantity):
    campaign = CampaignFactory(brand=member.brand, platforms=["instagram"])
    DeliverableSpecFactory(campaign=campaign, platform="instagram", format="reel", quantity=quantity)
    return services.campaign_publish(campaign=campaign, actor=member.user)


def test_apply_prefills_the_rate_of_the_briefs_platform_and_says_so(member, creator, client):
    campaign = _instagram_brief(member, quantity=2)
    RateCardEntryFactory(creator=creator, platform="tiktok", deliverable="short", price=Decimal(40))
    RateCardEntryFactory(creator=creator, platform="instagram", deliverable="reel", price=Decimal(150))
    client.force_login(creator.user)
    body = client.get(reverse("campaigns:apply", args=[campaign.pk])).content.decode()
    assert 'value="300.00"' in body
    assert "Filled in from your rate card: 2 × Instagram Reel (150 USD) = 300 USD." in body


def test_apply_never_prefills_another_platforms_price(member, creator, client):
    campaign = _instagram_brief(member, quantity=1)
    RateCardEntryFactory(creator=creator, platform="tiktok", deliverable="short", price=Decimal(40))
    client.force_login(creator.user)
    body = client.get(reverse("campaigns:apply", args=[campaign.pk])).content.decode()
    assert 'value="40' not in body
    assert "Your rate card has no price for Instagram Reel, so nothing is filled in" in body
