"""A new creator completes onboarding in real Chromium and opens their media kit."""

import re

import pytest
from playwright.sync_api import Page, expect

from creators.models import Niche
from tests.core.test_images import jpeg_with_gps

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_new_creator_completes_onboarding_and_opens_media_kit(page: Page, live_server, tmp_path):
    # transaction=True flushes the tables, the seeded taxonomy included: put back what this journey uses.
    Niche.objects.get_or_create(slug="photography", defaults={"name": "Photography"})
    Niche.objects.get_or_create(slug="travel", defaults={"name": "Travel"})
    photo = tmp_path / "me.jpg"
    photo.write_bytes(jpeg_with_gps((800, 600)))
    not_a_photo = tmp_path / "holiday.jpg"
    not_a_photo.write_text("definitely not an image")

    page.goto(live_server.url + "/accounts/signup/?role=creator")
    page.get_by_label(re.compile(r"^Your name")).fill("Rae Lens")
    page.get_by_label(re.compile(r"^Email")).fill("rae@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-unusual-pass-42")
    page.get_by_label(re.compile(r"^Password \(again\)")).fill("a-long-unusual-pass-42")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_label("Display name").fill("Rae Lens")
    page.get_by_label("Handle").fill("rae-lens")
    page.get_by_role("button", name="Create my profile").click()

    # Profile: a refused photo keeps everything typed; a real one is accepted.
    page.get_by_role("link", name="My profile").click()
    expect(page.get_by_test_id("completeness")).to_have_text("0 %")
    page.get_by_label("Bio").fill(
        "Film photographer in Lisbon shooting street portraits and travel stories on 35mm "
        "for a community of analogue lovers."
    )
    page.get_by_label("Country").fill("PT")
    page.get_by_label("Portuguese").check()
    page.get_by_label("Photography").check()
    page.get_by_label("Photo posts").check()
    page.get_by_label("Profile photo").set_input_files(str(not_a_photo))
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("This is not a JPEG, PNG or WebP image")).to_be_visible()
    expect(page.get_by_label("Country")).to_have_value("PT")
    expect(page.get_by_label("Photography")).to_be_checked()
    page.get_by_label("Profile photo").set_input_files(str(photo))
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()

    # Accounts: linked by handle, numbers pending until the stats pipeline runs.
    page.get_by_role("link", name="Social accounts", exact=True).click()
    page.get_by_label("Platform").select_option("instagram")
    page.get_by_label("Handle").fill("@rae.lens")
    page.get_by_role("button", name="Link account").click()
    expect(page.get_by_text("Pending: numbers arrive after the first refresh")).to_be_visible()

    # Rate card, with the usual range beside it.
    page.get_by_role("link", name="Rate card", exact=True).click()
    page.get_by_label("Deliverable").select_option("reel")
    page.get_by_label("Price").fill("80")
    page.get_by_role("button", name="Save price").click()
    expect(page.get_by_role("cell", name="80 USD")).to_be_visible()
    expect(page.locator(".price-hint")).to_have_text("$10–$100")

    # Portfolio: a link with a caption.
    page.get_by_role("link", name="Portfolio", exact=True).click()
    page.get_by_label("Caption").fill("Alfama at dawn")
    page.get_by_label("Link").fill("https://www.instagram.com/p/alfama/")
    page.get_by_role("button", name="Add to portfolio").click()
    expect(page.get_by_test_id("completeness")).to_have_text("100 %")

    # The media kit: visible to its owner while pending review.
    page.get_by_role("link", name="View media kit").click()
    expect(page).to_have_url(re.compile(r"/c/rae-lens/$"))
    expect(page.get_by_role("heading", name="Rae Lens")).to_be_visible()
    expect(page.get_by_text("Pending review")).to_be_visible()
    expect(page.get_by_text("Numbers pending")).to_be_visible()
    expect(page.get_by_role("link", name="Alfama at dawn")).to_be_visible()
    expect(page.locator("img.kit-avatar")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == "media-kit-rae-lens.pdf"
