"""Issue 14.6 in Chromium at 1280 px: a brand is warned before accepting a creator whose rate is above the brief's
fee, and before inviting from the directory a creator who misses the brief; each confirms and it goes through.
Console errors, CSP violations (conftest) and serious axe findings on the confirmation step fail the test."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from campaigns import services
from campaigns.models import Application, ApplicationStatus as A
from tests.campaigns.world import make_creator, make_open_campaign
from tests.e2e.support import axe_check, use_width
from tests.e2e.test_campaign_journey import log_in
from tests.factories import BrandMemberFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]


def test_a_brand_is_warned_before_accepting_above_the_fee_and_confirms(page: Page, live_server):
    member = BrandMemberFactory(user__email="owner@oats.example")
    campaign = make_open_campaign(
        member, title="Oat bars", fee_per_creator=Decimal(200), total_budget=Decimal(400), slots=2
    )
    rae = make_creator(display_name="Rae Lens")
    app = services.application_submit(
        campaign=campaign, creator=rae, actor=rae.user, pitch="Trail reels.", proposed_rate=Decimal(260)
    )
    use_width(page, 1280)
    log_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/brand/campaigns/{campaign.pk}/applicants/")
    page.locator("tr.applicant", has_text="Rae Lens").get_by_role("button", name="Accept").click()

    step = page.get_by_test_id("confirm-step")
    expect(step.get_by_role("heading", name="Please confirm")).to_be_visible()
    expect(step.get_by_role("alert")).to_contain_text(
        "Rae Lens asks $260, $60 above the brief's fee per creator ($200)."
    )
    axe_check(page)
    assert Application.objects.get(pk=app.pk).status == A.SUBMITTED

    # Cancel goes back to the list and changes nothing; a second try and "Accept anyway" hires.
    step.get_by_role("link", name="Cancel").click()
    row = page.locator("tr.applicant", has_text="Rae Lens")
    expect(row.get_by_text("Submitted")).to_be_visible()
    row.get_by_role("button", name="Accept").click()
    page.get_by_role("button", name="Accept anyway").click()
    expect(page.get_by_text("Accepted: the creator is hired.")).to_be_visible()
    assert page.url == f"{live_server.url}/brand/campaigns/{campaign.pk}/applicants/"
    assert Application.objects.get(pk=app.pk).status == A.ACCEPTED


def test_a_brand_inviting_from_the_directory_sees_what_the_creator_misses(page: Page, live_server):
    member = BrandMemberFactory(user__email="owner@alps.example")
    campaign = make_open_campaign(
        member, title="Alpine kit", countries=["DE", "AT", "CH"], target_tiers=["nano", "micro"]
    )
    make_creator(followers=2_000_000, country="PL", display_name="Mega Marta", handle="mega-marta")
    use_width(page, 1280)
    log_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/creators/")
    card = page.locator("article", has_text="Mega Marta")
    card.get_by_label("Campaign").select_option(label="Alpine kit")
    card.get_by_role("button", name="Invite").click()

    step = page.get_by_test_id("confirm-step")
    expect(step).to_contain_text("Mega Marta does not fit everything “Alpine kit” asks for. Invite anyway?")
    expect(step.get_by_role("listitem")).to_have_text(
        ["Tier: this campaign wants Nano, Micro creators.", "Country: open to creators in DE, AT, CH."]
    )
    axe_check(page)
    assert not Application.objects.exists()
    step.get_by_role("button", name="Invite anyway").click()
    expect(page.get_by_text("Mega Marta is invited to “Alpine kit”.")).to_be_visible()
    assert page.url == f"{live_server.url}/creators/"
    assert Application.objects.get(campaign=campaign).status == A.INVITED
