"""The budget tracker without a money provider (no app answers campaigns.hooks.campaign_money): campaigns shows
budget, committed and remaining by itself; the payments rows are absent."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns import hooks, services
from tests.campaigns.world import make_creator, make_open_campaign

pytestmark = pytest.mark.django_db


def tracker_rows(html: str) -> dict[str, str]:
    """{label: shown amount} of the tracker's rows, tags stripped."""
    card = re.search(r'<div class="card budget-tracker".*?</dl>', html, re.S)
    assert card, "no budget tracker on the page"

    def strip(s: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", s)).strip()

    return {strip(dt): strip(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", card.group(0), re.S)}


@pytest.fixture
def no_money_provider(monkeypatch):
    monkeypatch.setattr(hooks, "_campaign_money_providers", [])


def test_without_payments_the_tracker_shows_budget_committed_remaining(no_money_provider, member, client):
    campaign = make_open_campaign(member, fee_per_creator=Decimal(200), slots=4, total_budget=Decimal(900))
    for rate in (150, None):  # None: the brief's fee, 200
        creator = make_creator()
        app = services.application_submit(
            campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=rate
        )
        services.application_accept(application=app, actor=member.user)
    declined = make_creator()
    app = services.application_submit(
        campaign=campaign, creator=declined, actor=declined.user, pitch="Hi", proposed_rate=999
    )
    services.application_decline(application=app, actor=member.user)

    client.force_login(member.user)
    html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert tracker_rows(html) == {"Budget": "$900", "Committed": "$350 (2 hires)", "Remaining": "$550"}
    assert re.findall(r'<rect class="budget-(\w+)" x="([\d.]+)" width="([\d.]+)"', html) == [
        ("unfunded", "0", "38.9"),
        ("left", "38.9", "61.1"),
    ]


def test_a_gifted_brief_without_budget_shows_what_is_committed(no_money_provider, member, client):
    campaign = make_open_campaign(
        member, compensation_type="gifted", fee_per_creator=None, gifted_product="A box of oats", total_budget=None
    )
    client.force_login(member.user)
    html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert tracker_rows(html) == {"Budget": "not set in the brief", "Committed": "$0 (0 hires)"}
