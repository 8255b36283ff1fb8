from __future__ import annotations

import pytest

from campaigns import services as campaign_services
from tests.campaigns.world import *  # noqa: F403 (the campaign world's fixtures, used by these tests)
from tests.fakes import FakeStripe


@pytest.fixture
def fake_stripe(settings):
    """The real stripe SDK against a local fake Stripe (never api.stripe.com)."""
    with FakeStripe(api_key="sk_test_fake", webhook_secret="whsec_test") as fake:
        settings.PAYMENTS_PROVIDER = "stripe"
        settings.STRIPE_SECRET_KEY = "sk_test_fake"
        settings.STRIPE_WEBHOOK_SECRET = "whsec_test"
        settings.STRIPE_API_BASE = fake.url
        yield fake


@pytest.fixture
def offline(settings):
    settings.PAYMENTS_PROVIDER = "offline"


@pytest.fixture
def hire(member, application):
    """An accepted application (proposed rate 150.00, so the brand funds 150.00 + 10 % = 165.00)."""
    return campaign_services.application_accept(application=application, actor=member.user)


def approve_all(application, member, creator) -> None:
    for deliverable in application.deliverables.all():
        campaign_services.deliverable_submit(deliverable=deliverable, actor=creator.user, link="https://example.com/d")
        campaign_services.deliverable_approve(deliverable=deliverable, actor=member.user)
