"""Every persona's journey end to end in real Chromium, at desktop (1280 px) and phone (390 px) widths.

Each main page is checked with axe-core (no serious or critical violation) and every page is watched for console
errors and CSP violations (tests/e2e/conftest.py). With SCREENSHOTS=1 (`make screenshots`) the steps are saved to
the gallery docs/screenshots/. What another persona does in between (an admin vets, a brand accepts, a creator
applies) is done through the services, as those persons' own journeys prove the pages for it.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from campaigns import services as campaign_services
from campaigns.models import Application, Campaign
from core.vetting import VettingStatus
from creators.models import Creator, Niche
from tests.campaigns.world import make_creator, make_open_campaign
from tests.e2e.support import (
    DESKTOP,
    PHONE,
    assert_fits_width,
    assert_no_sideways_scroll,
    assert_select_shows_its_choice,
    axe_check,
    shot,
    use_width,
)
from tests.factories import BrandMemberFactory, UserFactory
from tests.factories.users import STAFF_TOTP_SECRET

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]

WIDTHS = pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
NEW_PASSWORD = "a-long-unusual-pass-42"


@pytest.fixture
def staff():
    return UserFactory(email="vetting@example.com", is_staff=True, is_superuser=True)


def check(page: Page, persona: str, step: str, *, full_page: bool = False) -> None:
    """A main page: no serious/critical axe violation, nothing wider than the window; into the gallery."""
    axe_check(page)
    assert_no_sideways_scroll(page)
    shot(page, persona, step, full_page=full_page)


def sign_up(page: Page, base: str, *, role: str, name: str, email: str, path: str = "/accounts/signup/") -> None:
    page.goto(base + path)
    page.get_by_label("Creator" if role == "creator" else "Brand", exact=True).check()
    page.get_by_label(re.compile(r"^Your name")).fill(name)
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()


def log_in(page: Page, base: str, email: str, password: str = NEW_PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name=re.compile("Sign In|Log in", re.IGNORECASE)).click()


def link_in_mail(to: str, pattern: str) -> str:
    """The path of the link matching ``pattern`` in the last mail to ``to`` (its host is the configured site's)."""
    for message in reversed(mail.outbox):
        if to in message.to and (found := re.search(r"https?://[^/\s]+(" + pattern + ")", message.body)):
            return found.group(1)
    raise AssertionError(f"no mail to {to} with {pattern!r}: {[m.subject for m in mail.outbox]}")


@WIDTHS
def test_creator_signs_up_verifies_builds_a_profile_applies_talks_and_delivers(page: Page, live_server, width, staff):
    Niche.objects.get_or_create(slug="photography", defaults={"name": "Photography"})
    brand = BrandMemberFactory(user__email="owner@trail.example", brand__name="Trail Co")
    campaign = make_open_campaign(brand, title="Trail mix reels")
    base = live_server.url
    use_width(page, width)

    page.goto(base + "/")
    check(page, "creator", "1-home")
    page.get_by_role("link", name="Join as a creator").first.click()
    expect(page.get_by_label("Creator", exact=True)).to_be_checked()
    check(page, "creator", "2-signup")
    sign_up(page, base, role="creator", name="Rae Lens", email="rae@example.com", path=page.url.removeprefix(base))
    expect(page).to_have_url(re.compile(r"/creator/start/$"))

    # Verify the address with the link the confirmation email carries.
    page.goto(base + link_in_mail("rae@example.com", r"/accounts/confirm-email/\S+/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("You have confirmed rae@example.com.")).to_be_visible()

    # Onboarding, then the profile.
    page.goto(base + "/creator/start/")
    check(page, "creator", "3-onboarding")
    page.get_by_label("Display name").fill("Rae Lens")
    page.get_by_label("Handle").fill("rae-lens")
    page.get_by_role("button", name="Create my profile").click()
    # The next onboarding step follows: linking accounts (issue 14).
    expect(page).to_have_url(re.compile(r"/creator/profile/accounts/$"))
    expect(page.get_by_text("Your creator profile is started.")).to_be_visible()
    page.goto(base + "/creator/profile/")
    page.get_by_label("Bio").fill("Trail runner and film photographer in Lisbon: long days outside, told on 35mm.")
    page.get_by_label("Country").fill("PT")
    page.get_by_label("Photography").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    check(page, "creator", "4-profile")

    # Link an account.
    page.goto(base + "/creator/profile/accounts/")
    page.get_by_label("Platform").select_option("instagram")
    page.get_by_label("Handle").fill("@rae.lens")
    page.get_by_role("button", name="Link account").click()
    expect(page.get_by_text("@rae.lens")).to_be_visible()
    axe_check(page)

    # The media kit, as its owner sees it while pending review.
    page.goto(base + "/c/rae-lens/")
    expect(page.get_by_role("heading", name="Rae Lens")).to_be_visible()
    check(page, "creator", "5-media-kit")

    # An admin approves the creator (the admin journey proves that page); the creator applies.
    creator = Creator.objects.get(handle="rae-lens")
    from creators.services import creator_set_status

    creator_set_status(creator=creator, status=VettingStatus.APPROVED, actor=staff)
    page.goto(base + "/campaigns/")
    card = page.locator("article", has_text="Trail mix reels")
    expect(card.get_by_text("Eligible")).to_be_visible()
    check(page, "creator", "6-browse")
    card.get_by_role("link", name="Trail mix reels").click()
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("Your pitch").fill("I run 40 km a week; a reel from a real trail day.")
    page.get_by_label("Your rate").fill("180")
    axe_check(page)
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("Application sent.")).to_be_visible()

    # A message to the brand on the application.
    application = Application.objects.get(campaign=campaign, creator=creator)
    page.goto(f"{base}/applications/{application.pk}/")
    thread = page.locator("#thread")
    thread.get_by_label(re.compile(r"^Message")).fill("Happy to shoot at sunrise if you like.")
    thread.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Happy to shoot at sunrise if you like.")).to_be_visible()

    # The brand accepts; the creator submits a draft.
    campaign_services.application_accept(application=application, actor=brand.user)
    page.goto(f"{base}/applications/{application.pk}/")
    expect(page.locator(".bell-count")).to_have_text("1")
    bell, count = page.locator(".bell svg").bounding_box(), page.locator(".bell-count").bounding_box()
    assert count["x"] >= bell["x"] + bell["width"], "the unread count covers the bell"
    reel = page.locator(".deliverable", has_text="Instagram Reel")
    reel.get_by_label("…or a link to it").fill("https://drive.example/reel-v1")
    reel.get_by_label("Note for the brand").fill("Cut 1: the hook is in the first second.")
    reel.get_by_role("button", name="Submit draft").click()
    expect(page.get_by_text("Draft submitted for review.")).to_be_visible()
    check(page, "creator", "7-application", full_page=True)


@WIDTHS
def test_brand_with_a_teammate_posts_ranks_shortlists_hires_and_approves(
    page: Page, live_server, width, staff, niche_taxonomy
):
    rae = make_creator(followers=15_000, user__email="rae@example.com", display_name="Rae Lens", handle="rae-lens")
    make_creator(followers=8_000, user__email="kit@example.com", display_name="Kit Moss", handle="kit-moss")
    base = live_server.url
    use_width(page, width)

    # The owner signs up, creates the brand and fills its profile.
    sign_up(page, base, role="brand", name="Ola Owner", email="ola@oat.example", path="/accounts/signup/?role=brand")
    expect(page).to_have_url(re.compile(r"/brand/new/$"))
    check(page, "brand", "1-create")
    page.get_by_label("Company name").fill("Oat & Co")
    page.get_by_role("button", name="Create brand").click()
    # The brand's first brief is the next onboarding step; publishing waits for review.
    expect(page).to_have_url(re.compile(r"/brand/campaigns/new/$"))
    expect(page.get_by_text("An admin will review it before you can publish")).to_be_visible()
    page.goto(base + "/brand/profile/")
    page.get_by_label("Website").fill("https://oat.example")
    page.get_by_label("Description").fill("Oat bars for long days outside.")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_text("Your brand profile is saved.")).to_be_visible()
    check(page, "brand", "2-profile")

    # The owner invites a teammate, who signs up from the emailed link and joins.
    page.goto(base + "/brand/team/")
    page.get_by_label("Email").fill("tam@oat.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to tam@oat.example.")).to_be_visible()
    check(page, "brand", "3-team")
    join = base + link_in_mail("tam@oat.example", r"/brand/join/\S+/")
    page.context.clear_cookies()
    page.goto(join)
    page.locator("main").get_by_role("link", name="Sign up").click()
    sign_up(page, base, role="brand", name="Tam Mate", email="tam@oat.example", path=page.url.removeprefix(base))
    page.goto(join)
    page.get_by_role("button", name="Join the team").click()
    expect(page.get_by_text("Welcome to Oat & Co's team.")).to_be_visible()

    # An admin approves the brand (the admin journey proves that page); the teammate posts a brief.
    from brands.models import Brand
    from brands.services import brand_set_status

    brand_set_status(brand=Brand.objects.get(name="Oat & Co"), actor=staff, status=VettingStatus.APPROVED)
    page.goto(base + "/brand/campaigns/new/")
    page.get_by_label("Title").fill("Trail mix reels")
    page.get_by_label("What the product is").fill("Salted maple oat bars for long runs.")
    page.locator("#id_platforms").get_by_label("Instagram").check()
    page.get_by_label("Fee per creator").fill("200")
    page.get_by_label("Creator slots").fill("2")
    page.get_by_label("Total budget").fill("400")
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    page.get_by_label("Application deadline").fill(str(today + dt.timedelta(days=7)))
    page.get_by_label("Content due date").fill(str(today + dt.timedelta(days=21)))
    page.locator("#id_specs-0-format").select_option("reel")
    check(page, "brand", "4-brief-form")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("Published: creators can apply now.")).to_be_visible()
    campaign = Campaign.objects.get(title="Trail mix reels")

    # Discover: the directory and the brief's ranked recommendations.
    page.goto(base + "/creators/")
    expect(page.get_by_role("link", name="Rae Lens")).to_be_visible()
    assert_select_shows_its_choice(page.get_by_label(re.compile("^Language")))
    check(page, "brand", "5-directory", full_page=width == DESKTOP)
    page.goto(f"{base}/brand/campaigns/{campaign.pk}/recommended/")
    expect(page.get_by_role("heading", name="Recommended creators")).to_be_visible()
    expect(page.get_by_role("link", name="Rae Lens")).to_be_visible()
    check(page, "brand", "6-recommended")

    # Rae applies; the owner shortlists (in place) and accepts.
    application = campaign_services.application_submit(
        campaign=campaign, creator=rae, actor=rae.user, pitch="A reel from a real trail day.", proposed_rate=180
    )
    log_in(page, base, "ola@oat.example")
    page.goto(f"{base}/brand/campaigns/{campaign.pk}/applicants/")
    row = page.locator("tr.applicant", has_text="Rae Lens")
    shortlist = row.get_by_role("button", name="Shortlist")
    assert_fits_width(page, shortlist)
    check(page, "brand", "7-applicants")
    shortlist.click()
    expect(row.get_by_text("Shortlisted")).to_be_visible()
    accept = row.get_by_role("button", name="Accept")
    assert_fits_width(page, accept)
    accept.click()
    expect(page.get_by_text("Accepted: the creator is hired.")).to_be_visible()

    # Rae submits a draft; the teammate reviews and approves it.
    campaign_services.deliverable_submit(
        deliverable=application.deliverables.get(), actor=rae.user, link="https://drive.example/reel-v1", note="Cut 1"
    )
    log_in(page, base, "tam@oat.example")
    page.goto(f"{base}/applications/{application.pk}/")
    reel = page.locator(".deliverable", has_text="Instagram Reel")
    expect(reel.get_by_text("In review")).to_be_visible()
    check(page, "brand", "8-review")
    reel.get_by_label("Comment").fill("Perfect, thank you!")
    reel.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved.")).to_be_visible()


@WIDTHS
def test_admin_signs_in_with_totp_and_vets_a_creator_and_a_brand(page: Page, live_server, width, staff):
    from allauth.mfa.totp.internal.auth import TOTP

    from core.demo_accounts import demo_totp_code

    TOTP.activate(staff, STAFF_TOTP_SECRET)
    waiting = make_creator(
        user__email="new@example.com", display_name="Nia New", handle="nia-new", status=VettingStatus.PENDING
    )
    brand = BrandMemberFactory(brand__name="Fresh Oats", brand__status=VettingStatus.PENDING).brand
    base = live_server.url
    use_width(page, width)

    page.goto(base + "/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label(re.compile(r"^Email")).fill(staff.email)
    page.get_by_label(re.compile(r"^Password")).fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("Sign In", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    check(page, "admin", "1-totp")
    page.get_by_label(re.compile("Code")).fill(demo_totp_code(STAFF_TOTP_SECRET))
    page.locator("main").get_by_role("button").first.click()
    # The code is accepted before the next page is asked for (an immediate goto could cut the form's POST off).
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto(base + "/admin/")
    expect(page.get_by_role("heading", name=re.compile("Site administration"))).to_be_visible()
    check(page, "admin", "2-home")

    # A creator: the pending ones, select, approve.
    page.goto(base + "/admin/creators/creator/?status__exact=pending")
    expect(page.get_by_role("link", name=re.compile("nia-new|Nia New"))).to_be_visible()
    check(page, "admin", "3-creators")
    page.locator("tr", has_text="nia-new").get_by_role("checkbox").check()
    page.get_by_label(re.compile("Action")).select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("approved|Approved"))
    waiting.refresh_from_db()
    assert waiting.status == VettingStatus.APPROVED

    # A brand: the same, from the brands list.
    page.goto(base + "/admin/brands/brand/?status__exact=pending")
    page.locator("tr", has_text="Fresh Oats").get_by_role("checkbox").check()
    page.get_by_label(re.compile("Action")).select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("approved|Approved"))
    check(page, "admin", "4-brands")
    brand.refresh_from_db()
    assert brand.status == VettingStatus.APPROVED
