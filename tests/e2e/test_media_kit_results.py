"""The media kit's proven results and audience bars in Chromium (issue 11): no CSP violation from the inline SVG
bars, no serious axe violation, nothing wider than a phone, and the shares readable as text."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from campaigns.models import Application, ApplicationStatus as A, Deliverable, DeliverableStatus as D
from creators.services import account_demographics_set
from stats.models import Post
from tests.e2e.support import DESKTOP, PHONE, assert_no_sideways_scroll, axe_check, use_width
from tests.factories import CampaignFactory, CreatorFactory, SocialAccountFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _kit() -> None:
    creator = CreatorFactory(handle="dana", display_name="Dana Cooks", bio="Weeknight recipes in 60 seconds.")
    tiktok = SocialAccountFactory(creator=creator, platform="tiktok", handle="dana.cooks", followers=48_200)
    insta = SocialAccountFactory(creator=creator, platform="instagram", handle="dana.cooks.ig", followers=18_400)
    account_demographics_set(
        account=tiktok,
        countries={"GB": 41.5, "US": 18.0, "IE": 9.0, "AU": 6.5, "CA": 4.0},
        ages={"13-17": 8.0, "18-24": 39.0, "25-34": 33.0, "35-44": 12.0, "45-54": 5.0},
        genders={"female": 61.0, "male": 37.0, "other": 2.0},
        source="platform",
    )
    account_demographics_set(
        account=insta, countries={"GB": 55.0}, ages={"25-34": 45.0}, genders={"female": 70.0}, source="self_reported"
    )
    for n, views in enumerate((12_400, 30_100, 8_900)):
        app = Application.objects.create(campaign=CampaignFactory(), creator=creator, status=A.COMPLETED)
        post = Post.objects.create(
            account=tiktok,
            platform_post_id=f"73123456789012345{n}",
            url=f"https://www.tiktok.com/@dana.cooks/video/73123456789012345{n}",
            first_seen_at=datetime(2026, 11, 1, tzinfo=UTC),
            views=views,
            likes=views // 20,
            comments=views // 400,
            shares=views // 500,
        )
        Deliverable.objects.create(application=app, platform="tiktok", format="reel", status=D.LIVE, post=post)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_media_kit_results_and_audience_bars(page: Page, live_server, width):
    _kit()
    use_width(page, width)
    page.goto(live_server.url + "/c/dana/")
    results = page.locator("#proven-results")
    expect(results).to_contain_text("12.4K")
    expect(results).to_contain_text("3")
    table = page.get_by_role("table", name="Top countries").first
    expect(table.get_by_role("row", name="United Kingdom 41.5 %")).to_be_visible()
    expect(page.get_by_text("self-reported").first).to_be_visible()
    assert_no_sideways_scroll(page)
    axe_check(page)
    if os.environ.get("MEDIA_KIT_SHOTS"):  # look at it: MEDIA_KIT_SHOTS=/tmp pytest tests/e2e/test_media_kit_results.py
        page.screenshot(path=f"{os.environ['MEDIA_KIT_SHOTS']}/media-kit-{width}.png", full_page=True)
