"""In real Chromium with a real worker: a creator presses "Refresh now" and watches the numbers arrive."""

import re

import pytest
from playwright.sync_api import Page, expect

from creators.models import Platform
from tests.factories import CreatorFactory, SocialAccountFactory
from tests.factories.users import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_creator_refreshes_now_and_sees_the_numbers(page: Page, live_server, celery_worker_process):
    creator = CreatorFactory(user__email="rae@example.com")
    SocialAccountFactory(creator=creator, platform=Platform.TIKTOK, handle="rae_runs", followers=None, tier=None)
    celery_worker_process("-P", "solo", env={"STATS_PROVIDER_DEMO": "true"})

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill("rae@example.com")
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In|Log in", re.IGNORECASE)).click()
    card = page.locator("#stats-refresh")
    expect(card.get_by_text("Waiting for first refresh")).to_be_visible()
    expect(card.get_by_text("3 of 3 left today")).to_be_visible()

    card.get_by_role("button", name="Refresh now").click()
    expect(card.get_by_text("Refreshing 1 account(s) now")).to_be_visible()
    # The worker (demo provider) refreshes the account; the card polls and shows the result.
    expect(card.get_by_text("Up to date")).to_be_visible(timeout=20_000)
    expect(card.get_by_text(re.compile(r"Last refreshed .* from the platforms"))).to_be_visible()
    expect(card.get_by_text("2 of 3 left today")).to_be_visible()
