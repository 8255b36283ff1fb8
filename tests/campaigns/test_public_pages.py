"""Issue 14 point 9: open campaigns are browsable without an account; drafts and closed campaigns are not;
brand-internal fields stay off the public brief. And /sitemap.xml, /robots.txt."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import CampaignFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_site_url")]


@pytest.fixture
def _site_url():
    with override_settings(SITE_URL="https://cm.example"):
        yield


@pytest.fixture
def open_campaign(member):
    return make_open_campaign(
        member,
        title="Trail oat bars",
        product_description="Salted maple oat bars.",
        fee_per_creator=250,
        slots=4,
        total_budget=98_765,
    )


def test_the_open_campaigns_list_is_public(client, open_campaign, member):
    CampaignFactory(brand=member.brand, title="Secret draft brief")
    response = client.get("/campaigns/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trail oat bars" in body and "Secret draft brief" not in body
    assert "Eligible" not in body  # eligibility is a creator's, not a visitor's
    assert "<title>Open campaigns for creators · Creator Marketplace</title>" in body
    assert '<link rel="canonical" href="https://cm.example/campaigns/">' in body
    assert 'href="/accounts/signup/?role=creator&amp;next=%2Fcampaigns%2F"' in body
    assert "Sign up to apply" in body


def test_an_open_brief_is_public_without_brand_internal_fields(client, open_campaign, member):
    response = client.get(f"/campaigns/{open_campaign.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Salted maple oat bars." in body
    assert "<title>Trail oat bars · a campaign by " in body
    assert f'<link rel="canonical" href="https://cm.example/campaigns/{open_campaign.pk}/">' in body
    assert '<meta property="og:description" content="Salted maple oat bars.">' in body
    assert '<meta property="og:image" content="https://cm.example/static/img/og-default.png">' in body
    assert "Sign up to apply" in body
    # the total budget, the history, the brand's own controls: not for visitors
    for hidden in ("98,765", "98765", "Budget", "History", "Applicants", "Invite a creator", member.user.email):
        assert hidden not in body


@pytest.mark.parametrize("state", ["draft", "closed", "completed", "cancelled"])
def test_campaigns_that_are_not_open_are_404_to_visitors(client, member, state):
    if state == "draft":
        campaign = CampaignFactory(brand=member.brand)
    else:
        campaign = make_open_campaign(member)
        campaign.status = state
        campaign.save(update_fields=["status"])
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 404


def test_applying_needs_an_account(client, open_campaign):
    response = client.get(f"/campaigns/{open_campaign.pk}/apply/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_public_campaign_list_query_count_does_not_grow(client, member, django_assert_num_queries):
    for _ in range(6):
        make_open_campaign(member, specs=2)
    # niche choices, the campaigns with their niche names and deliverable specs as arrays (brand joined): two,
    # whatever the rows (issue 13: were four, niches and specs prefetched)
    with django_assert_num_queries(2):
        response = client.get("/campaigns/")
    assert len(response.context["rows"]) == 6


def test_sitemap_lists_approved_media_kits_and_open_campaigns_only(client, member):
    from core.vetting import VettingStatus

    make_creator(handle="approved-amy")
    make_creator(handle="pending-pat", status=VettingStatus.PENDING)
    make_creator(handle="rejected-rob", status=VettingStatus.REJECTED)
    make_creator(handle="suspended-sue", status=VettingStatus.SUSPENDED)
    live = make_open_campaign(member)
    draft = CampaignFactory(brand=member.brand)
    closed = make_open_campaign(member)
    closed.status = "closed"
    closed.save(update_fields=["status"])
    past = make_open_campaign(member)
    past.application_deadline = timezone.localdate() - dt.timedelta(days=1)
    past.save(update_fields=["application_deadline"])

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<loc>https://cm.example/c/approved-amy/</loc>" in body
    assert f"<loc>https://cm.example/campaigns/{live.pk}/</loc>" in body
    assert "<loc>https://cm.example/creators/</loc>" in body
    assert "<loc>https://cm.example/campaigns/</loc>" in body
    assert "<loc>https://cm.example/</loc>" in body
    for hidden in (
        "pending-pat",
        "rejected-rob",
        "suspended-sue",
        f"/campaigns/{draft.pk}/",
        f"/campaigns/{closed.pk}/",
        f"/campaigns/{past.pk}/",
    ):
        assert hidden not in body


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: https://cm.example/sitemap.xml" in body
    assert "Disallow: /admin/" in body and "Disallow: /brand/" in body
