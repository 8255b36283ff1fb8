"""A dispute in real Chromium (issue 10): the creator opens one from the hire's payment page (details → reason →
confirmation), at 1280 and 390 px; the page passes axe, does not scroll sideways, and the badge says disputed."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from campaigns import services as campaign_services
from payments import services
from payments.models import Dispute, Funding
from tests.campaigns.world import make_creator, make_open_campaign
from tests.e2e.support import DESKTOP, PHONE, assert_no_sideways_scroll, axe_check, log_in, shot, use_width
from tests.factories import BrandMemberFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_creator_opens_a_dispute_from_the_payment_page(page: Page, live_server, settings, width):
    settings.PAYMENTS_PROVIDER = "offline"
    member = BrandMemberFactory(brand__name="Oat Co")
    campaign = make_open_campaign(member, title="Trail mix reels")
    creator = make_creator(user__email="casey@creator.example")
    app = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=150
    )
    campaign_services.application_accept(application=app, actor=member.user)
    funding = Funding.objects.get(application=app)
    services.funding_mark_held(funding=funding, amount=16500, currency="USD", reference="e2e")

    use_width(page, width)
    log_in(page, live_server.url, "casey@creator.example")
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    page.get_by_test_id("money-status").click()
    expect(page.get_by_test_id("funding-status")).to_have_text("Funded")
    page.get_by_text("Open a dispute", exact=True).first.click()  # the <summary>
    page.get_by_label("What is wrong?").fill("The brand asked for two extra reels after the hire.")
    axe_check(page)
    assert_no_sideways_scroll(page)
    shot(page, "creator", "dispute-form", full_page=True)
    if os.environ.get("DISPUTE_SHOT_DIR"):
        page.screenshot(path=f"{os.environ['DISPUTE_SHOT_DIR']}/form-{width}.png", full_page=True)
    page.get_by_role("button", name="Open a dispute").click()

    expect(page.get_by_test_id("confirm-step")).to_contain_text("Open a dispute on this hire?")
    page.get_by_role("button", name="Open the dispute").click()

    expect(page.get_by_text("Dispute opened. The money stays held until the platform resolves it.")).to_be_visible()
    expect(page.get_by_test_id("dispute-open")).to_contain_text("The brand asked for two extra reels after the hire.")
    expect(page.get_by_text("start the work")).to_have_count(0)  # not while the money is disputed
    axe_check(page)
    assert_no_sideways_scroll(page)
    if os.environ.get("DISPUTE_SHOT_DIR"):  # to look at it by hand
        page.screenshot(path=f"{os.environ['DISPUTE_SHOT_DIR']}/dispute-{width}.png", full_page=True)
    shot(page, "creator", "dispute-open", full_page=True)
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    expect(page.get_by_test_id("money-status")).to_have_text("Funded · disputed")
    assert Dispute.objects.get().side == "creator"
