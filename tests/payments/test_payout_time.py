"""The brand score "median time from approval to payout", from the ledger's release and payout movements, on the
brand page and in the API's brand_reputation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns import services as campaign_services
from campaigns.reputation import brand_reputation
from core.vetting import VettingStatus
from payments import services
from payments.models import Funding, FundingStatus
from tests.campaigns.world import make_creator
from tests.factories import BrandMemberFactory

from .conftest import approve_all

UTC = dt.UTC
MONDAY = dt.datetime(2026, 3, 9, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def _paid(campaign, member, clock, *, approved_at, paid_after, capture):
    creator = make_creator()
    app = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=100
    )
    app = campaign_services.application_accept(application=app, actor=member.user)
    funding = Funding.objects.get(application=app)
    services.funding_mark_held(funding=funding, amount=11000, currency="USD")
    clock(approved_at)
    with capture(execute=True):
        approve_all(app, member, creator)
    if paid_after is not None:
        clock(approved_at + paid_after)
        services.funding_payout(funding_id=funding.pk, reference=f"tr_{app.pk}")
    funding.refresh_from_db()
    return funding


@pytest.fixture
def three_payouts(offline, member, campaign, clock, django_capture_on_commit_callbacks):
    campaign.slots = 10
    campaign.save()
    for hours in (5, 72, 120):  # 5 hours, 3 days, 5 days
        _paid(
            campaign,
            member,
            clock,
            approved_at=MONDAY,
            paid_after=dt.timedelta(hours=hours),
            capture=django_capture_on_commit_callbacks,
        )
    # Released but not paid out yet: not counted.
    waiting = _paid(
        campaign, member, clock, approved_at=MONDAY, paid_after=None, capture=django_capture_on_commit_callbacks
    )
    assert waiting.status == FundingStatus.RELEASED
    return member.brand


def test_the_median_of_approval_to_payout(three_payouts, django_assert_num_queries):
    other = BrandMemberFactory().brand
    with django_assert_num_queries(5):
        rep = brand_reputation([three_payouts.pk, other.pk])
    score = rep[three_payouts.pk].score("payout_time")
    assert (score.title, score.value, score.shown, score.detail) == (
        "Median time from approval to payout",
        3.0,
        "3.0 days",
        "median over 3 paid-out hires",
    )
    none = rep[other.pk].score("payout_time")
    assert (none.value, none.shown, none.detail) == (None, "—", "median over 0 paid-out hires")


def test_under_a_day_is_shown_in_hours(offline, member, campaign, clock, django_capture_on_commit_callbacks):
    _paid(
        campaign,
        member,
        clock,
        approved_at=MONDAY,
        paid_after=dt.timedelta(hours=5),
        capture=django_capture_on_commit_callbacks,
    )
    assert brand_reputation([member.brand_id])[member.brand_id].score("payout_time").shown == "5.0 hours"


def test_the_brand_page_and_the_api_show_it(three_payouts, member, creator, campaign, client):
    three_payouts.status = VettingStatus.APPROVED
    three_payouts.save()
    body = client.get(f"/brands/{three_payouts.pk}/").content.decode()
    assert (
        '<div data-score="payout_time"><dt>Median time from approval to payout</dt><dd><strong>3.0 days</strong> '
        '<span class="muted">median over 3 paid-out hires</span></dd></div>'
    ) in body
    api = APIClient()
    api.force_authenticate(creator.user)
    scores = api.get(f"/api/v1/campaigns/{campaign.pk}/").json()["brand_reputation"]["scores"]
    assert scores[-1] == {
        "title": "Median time from approval to payout",
        "shown": "3.0 days",
        "detail": "median over 3 paid-out hires",
    }
