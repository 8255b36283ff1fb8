"""The budget tracker on the brand's campaign page in real Chromium (issue 10), at 1280 and 390 px: the figures
show, the page passes axe and does not scroll sideways. The money states come from the offline provider."""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from campaigns import services as campaign_services
from payments import services
from payments.models import Funding
from tests.campaigns.world import make_creator, make_open_campaign
from tests.e2e.support import DESKTOP, PHONE, assert_no_sideways_scroll, axe_check, shot, use_width
from tests.e2e.test_review_journey import log_in
from tests.factories import BrandMemberFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]


def _hire(campaign, member, rate, *, paid=False, approved=False):
    creator = make_creator()
    app = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=rate
    )
    app = campaign_services.application_accept(application=app, actor=member.user)
    if paid:
        funding = Funding.objects.get(application=app)
        services.funding_mark_held(funding=funding, amount=funding.total, currency="USD", reference="e2e")
    if approved:
        for d in app.deliverables.all():
            campaign_services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/d")
            # the release is queued after this commit and runs in-process (task_always_eager)
            campaign_services.deliverable_approve(deliverable=d, actor=member.user)
    return app


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_brand_reads_its_budget_on_the_campaign_page(page: Page, live_server, settings, width):
    settings.PAYMENTS_PROVIDER = "offline"
    member = BrandMemberFactory(user__email="ola@oat.example", brand__name="Oat Co")
    campaign = make_open_campaign(
        member, title="Trail mix reels", fee_per_creator=Decimal(200), slots=5, total_budget=Decimal(1000)
    )
    paid_out = _hire(campaign, member, 150, paid=True, approved=True)
    services.funding_payout(funding_id=Funding.objects.get(application=paid_out).pk, reference="e2e")
    _hire(campaign, member, 180, paid=True, approved=True)
    _hire(campaign, member, 250, paid=True)
    _hire(campaign, member, None)

    use_width(page, width)
    log_in(page, live_server.url, "ola@oat.example")
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    tracker = page.locator(".budget-tracker")
    expect(tracker).to_be_visible()
    for label, amount in [
        ("Committed", "$780 (4 hires)"),
        ("Funded, held", "$250"),
        ("Released", "$180"),
        ("Paid out", "$150"),
        ("Remaining", "$220"),
    ]:
        expect(
            tracker.locator("dt", has_text=re.compile(f"^{re.escape(label)}$")).locator(
                "xpath=following-sibling::dd[1]"
            )
        ).to_have_text(amount)
    axe_check(page)
    assert_no_sideways_scroll(page)
    shot(page, "brand", "budget-tracker", full_page=True)
    if os.environ.get("TRACKER_SHOT_DIR"):  # to look at it by hand
        tracker.scroll_into_view_if_needed()
        page.screenshot(path=f"{os.environ['TRACKER_SHOT_DIR']}/tracker-{width}.png", full_page=True)
