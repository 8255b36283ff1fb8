from __future__ import annotations

import pytest

from campaigns import services as campaign_services
from tests.campaigns.world import *  # noqa: F403 (the campaign world's fixtures)
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory

UA_PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
UA_DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
UA_GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def _offline_payments(settings):
    settings.PAYMENTS_PROVIDER = "offline"
    settings.PAYMENTS_CURRENCY = "USD"


@pytest.fixture
def oat(db):
    """The brand's owner: Oat Co."""
    return BrandMemberFactory(user__email="ola@oat.example", brand__name="Oat Co", brand__website="https://oat.example")


@pytest.fixture
def trail(oat):
    """An open campaign with a landing page that already has a query parameter of its own."""
    return make_open_campaign(
        oat, title="Trail Mix Reels!", landing_url="https://oat.example/bars?ref=spring", fee_per_creator=200, slots=5
    )


def hire(campaign, member, *, handle: str, rate=None, platform: str = "instagram", name: str = ""):
    creator = make_creator(platform=platform, handle=handle, display_name=name or handle.title())
    application = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Pick me", proposed_rate=rate
    )
    return campaign_services.application_accept(application=application, actor=member.user)
