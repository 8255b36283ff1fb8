"""A creator proves an account is theirs in real Chromium: Connect → the platform's consent page → verified.

The browser's trip to the platform (www.tiktok.com, accounts.google.com) is answered by the local fake
(tests/fakes/oauth.py) through Playwright's routing; the server-side calls reach the same fake through
OAUTH_ENDPOINT_OVERRIDE. Nothing leaves the machine.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import Page, Route, expect

from creators.models import SocialAccount
from tests.e2e.support import DESKTOP, PHONE, assert_no_sideways_scroll, axe_check, log_in, shot, use_width
from tests.factories import CreatorFactory, SocialAccountFactory
from tests.fakes.oauth import FakeOAuth

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CLIENTS = {"instagram": ("ig-app", "ig-secret"), "tiktok": ("tt-key", "tt-secret"), "google": ("g-id", "g-secret")}


@pytest.fixture
def fake(settings):
    with FakeOAuth(clients=CLIENTS) as server:
        settings.SOCIALACCOUNT_PROVIDERS = {
            name: {**conf, "APPS": [{"client_id": CLIENTS[name][0], "secret": CLIENTS[name][1], "key": ""}]}
            for name, conf in settings.SOCIALACCOUNT_PROVIDERS.items()
        }
        settings.OAUTH_ENDPOINT_OVERRIDE = server.url
        yield server


def _through_fake(fake: FakeOAuth):
    def handle(route: Route) -> None:
        url = urlsplit(route.request.url)
        answer = requests.get(f"{fake.url}/{url.netloc}{url.path}?{url.query}", allow_redirects=False, timeout=5)
        route.fulfill(status=answer.status_code, headers=dict(answer.headers), body=answer.content)

    return handle


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_creator_connects_tiktok_and_youtube_and_sees_them_verified(page: Page, live_server, fake, width):
    creator = CreatorFactory(display_name="Mia Runs")
    SocialAccountFactory(creator=creator, platform="tiktok", handle="mia.runs", followers=12_400)
    page.route("https://www.tiktok.com/**", _through_fake(fake))
    page.route("https://accounts.google.com/**", _through_fake(fake))
    use_width(page, width)
    log_in(page, live_server.url, creator.user.email)

    page.goto(live_server.url + "/creator/profile/accounts/")
    row = page.get_by_role("row", name="TikTok @mia.runs")
    expect(row.get_by_text("unverified")).to_be_visible()
    axe_check(page)
    shot(page, "creator", "accounts-connect", full_page=True)

    fake.consent("tiktok", handle="mia.runs", external_id="tt-open-id-e2e-1")
    page.get_by_role("button", name="Connect TikTok").click()
    expect(page.get_by_text("TikTok @mia.runs is connected and verified.")).to_be_visible()
    expect(page.get_by_role("row", name="TikTok @mia.runs").get_by_text("verified", exact=True)).to_be_visible()

    fake.consent("google", handle="MiaRunsTV", external_id="UCmiaRunsE2E000000000001")
    page.get_by_role("button", name="Connect YouTube").click()
    expect(page.get_by_text("YouTube @MiaRunsTV is connected and verified.")).to_be_visible()
    axe_check(page)
    assert_no_sideways_scroll(page)  # the accounts table scrolls inside its card on a phone
    shot(page, "creator", "accounts-verified", full_page=True)

    accounts = {a.platform: (a.handle, a.verified, a.followers) for a in SocialAccount.objects.filter(creator=creator)}
    assert accounts == {"tiktok": ("mia.runs", True, 12_400), "youtube": ("MiaRunsTV", True, None)}

    # Declining on the platform's page links nothing and says so.
    fake.deny_next("instagram")
    page.route("https://api.instagram.com/**", _through_fake(fake))
    page.get_by_role("button", name="Connect Instagram").click()
    expect(page.get_by_text("The platform did not confirm the account, so nothing was linked.")).to_be_visible()
    assert not SocialAccount.objects.filter(creator=creator, platform="instagram").exists()
