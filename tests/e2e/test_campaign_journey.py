"""One journey in real Chromium: a brand posts a campaign, a creator applies, the brand shortlists and accepts,
the creator submits a draft, the brand approves it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.campaigns.world import make_creator
from tests.e2e.support import log_in
from tests.factories import BrandMemberFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]


def test_brand_posts_creator_applies_brand_hires_and_approves_the_draft(page: Page, live_server):
    member = BrandMemberFactory(user__email="owner@trail.example", brand__name="Trail Co")
    creator = make_creator(followers=15_000, user__email="rae@example.com", display_name="Rae Lens")
    base = live_server.url
    today = timezone.localdate()

    # The brand writes a brief with two deliverables (the second row added with htmx) and publishes it.
    log_in(page, base, member.user.email)
    page.goto(base + "/brand/campaigns/new/")
    page.get_by_label("Title").fill("Trail mix reels")
    page.get_by_label("What the product is").fill("Salted maple oat bars for long runs.")
    page.locator("#id_platforms").get_by_label("Instagram").check()
    page.get_by_label("Fee per creator").fill("200")
    page.get_by_label("Creator slots").fill("2")
    page.get_by_label("Total budget").fill("300")  # too little: the form explains and keeps the rest
    page.get_by_label("Application deadline").fill(str(today + dt.timedelta(days=7)))
    page.get_by_label("Content due date").fill(str(today + dt.timedelta(days=21)))
    page.locator("#id_specs-0-format").select_option("reel")
    page.get_by_role("button", name="+ Add a deliverable").click()
    expect(page.locator("#id_specs-1-format")).to_be_visible()
    page.locator("#id_specs-1-format").select_option("story")
    page.locator("#id_specs-1-quantity").fill("3")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("does not cover 2 slots × 200.00 = 400.00")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Trail mix reels")
    page.get_by_label("Total budget").fill("400")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("Published: creators can apply now.")).to_be_visible()
    expect(page.get_by_text("3 × Instagram Story")).to_be_visible()

    # The creator finds it, sees they are eligible and applies.
    log_in(page, base, creator.user.email)
    page.goto(base + "/campaigns/")
    card = page.locator("article", has_text="Trail mix reels")
    expect(card.get_by_text("Eligible")).to_be_visible()
    card.get_by_role("link", name="Trail mix reels").click()
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("Your pitch").fill("I run 40 km a week; a reel from a real trail day.")
    page.get_by_label("Your rate").fill("180")
    page.get_by_label("Sample links").fill("https://instagram.com/p/rae1")
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("Application sent.")).to_be_visible()

    # The brand shortlists with one click (no reload), then accepts.
    log_in(page, base, member.user.email)
    page.goto(base + "/brand/campaigns/")
    page.get_by_role("link", name="Review").first.click()
    row = page.locator("tr.applicant", has_text="Rae Lens")
    expect(row.get_by_text("Submitted")).to_be_visible()
    url_before = page.url
    row.get_by_role("button", name="Shortlist").click()
    expect(row.get_by_text("Shortlisted")).to_be_visible()
    assert page.url == url_before
    row.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted: the creator is hired.")).to_be_visible()

    # The creator sees the bell, opens the job and submits a draft for the reel.
    log_in(page, base, creator.user.email)
    expect(page.locator(".bell-count")).to_be_visible()
    page.goto(base + "/applications/")
    page.get_by_role("link", name="Trail mix reels").click()
    reel = page.locator(".deliverable", has_text="Instagram Reel")
    reel.get_by_label("…or a link to it").fill("https://drive.example/reel-v1")
    reel.get_by_role("button", name="Submit draft").click()
    expect(page.get_by_text("Draft submitted for review.")).to_be_visible()

    # The brand approves the draft.
    log_in(page, base, member.user.email)
    page.goto(base + "/brand/campaigns/")
    page.get_by_role("link", name="Review").first.click()
    page.get_by_role("link", name="Rae Lens").click()
    reel = page.locator(".deliverable", has_text="Instagram Reel")
    expect(reel.get_by_text("In review")).to_be_visible()
    reel.get_by_label("Comment").fill("Perfect, thank you!")
    reel.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved.")).to_be_visible()
    expect(page.locator(".deliverable", has_text="Instagram Reel").get_by_text("Approved", exact=True)).to_be_visible()
    from django.core import mail

    assert any(
        "Your draft for “Trail mix reels” is approved." in m.body and m.to == ["rae@example.com"] for m in mail.outbox
    )
