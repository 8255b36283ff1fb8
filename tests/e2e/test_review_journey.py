"""Reviews both ways in real Chromium (issue 12), at desktop (1280 px) and phone (390 px) widths.

After a completed campaign the creator reviews the brand and the brand reviews the creator, each through the
review page. Neither review shows anywhere (application page, brand page, media kit) until both are in
(double-blind); then both show, and the ratings and scores appear on the media kit and the brand page. The
work before (apply, hire, deliver, complete) goes through the services: test_campaign_journey.py and
test_persona_journeys.py prove those pages.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from campaigns import services
from campaigns.models import CampaignStatus
from tests.campaigns.test_transitions import reach
from tests.campaigns.world import make_creator, make_open_campaign
from tests.e2e.support import DESKTOP, PHONE, assert_no_sideways_scroll, axe_check, log_in, shot, use_width
from tests.factories import BrandMemberFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]

WIDTHS = pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])

CREATOR_SAYS = "Clear brief, quick answers, paid on the day."
BRAND_SAYS = "Rae delivered a reel our customers loved, a day early."


def check(page: Page, step: str) -> None:
    axe_check(page)
    assert_no_sideways_scroll(page)
    shot(page, "reviews", step)


def write_review(
    page: Page, *, overall: str, communication: str, quality_label: str, quality: str, timeliness: str, text: str
) -> None:
    page.get_by_label("Overall").select_option(overall)
    page.get_by_label("Communication").select_option(communication)
    page.get_by_label(quality_label).select_option(quality)
    page.get_by_label("Timeliness").select_option(timeliness)
    page.get_by_label("Your review").fill(text)
    page.get_by_role("button", name="Publish review").click()


@WIDTHS
def test_both_sides_review_and_the_scores_appear_once_both_are_in(page: Page, live_server, width):
    member = BrandMemberFactory(user__email="ola@oat.example", brand__name="Oat Co")
    rae = make_creator(followers=15_000, user__email="rae@example.com", display_name="Rae Lens", handle="rae-lens")
    campaign = make_open_campaign(member, title="Trail mix reels")
    done = reach("completed", campaign, rae, member)  # the draft came in and was approved the same day: on time
    campaign.refresh_from_db()
    if campaign.status == CampaignStatus.OPEN:
        campaign = services.campaign_close(campaign=campaign, actor=member.user)
    services.campaign_complete(campaign=campaign, actor=member.user)
    base = live_server.url
    use_width(page, width)

    # The creator reviews the brand from the application page.
    log_in(page, base, "rae@example.com")
    page.goto(f"{base}/applications/{done.pk}/")
    reviews = page.locator("#reviews")
    reviews.get_by_role("link", name="Write your review").click()
    expect(page.get_by_role("heading", name="Review Oat Co")).to_be_visible()
    expect(page.get_by_text("Neither review is shown until both sides have reviewed")).to_be_visible()
    check(page, "1-creator-form")
    write_review(
        page,
        overall="4",
        communication="5",
        quality_label="Clarity of the brief",
        quality="4",
        timeliness="5",
        text=CREATOR_SAYS,
    )
    expect(page.get_by_text("Thank you: your review is saved.")).to_be_visible()
    expect(reviews.get_by_role("heading", name="Your review")).to_be_visible()
    expect(reviews.get_by_text("Shown once the other side reviews too")).to_be_visible()
    expect(reviews.get_by_role("link", name="Write your review")).to_have_count(0)
    check(page, "2-creator-waiting")

    # Double-blind: nobody else sees it yet, not on the brand page, not to the brand.
    page.goto(f"{base}/brands/{member.brand_id}/")
    expect(page.locator("#reviews").get_by_text("No reviews yet.")).to_be_visible()
    expect(page.get_by_text(CREATOR_SAYS)).to_have_count(0)
    log_in(page, base, "ola@oat.example")
    page.goto(f"{base}/applications/{done.pk}/")
    expect(reviews.get_by_role("heading", name="Their review")).to_have_count(0)
    expect(page.get_by_text(CREATOR_SAYS)).to_have_count(0)

    # The brand reviews the creator: both reviews are in, both show.
    reviews.get_by_role("link", name="Write your review").click()
    expect(page.get_by_role("heading", name="Review Rae Lens")).to_be_visible()
    check(page, "3-brand-form")
    write_review(
        page,
        overall="5",
        communication="5",
        quality_label="Quality of the work",
        quality="5",
        timeliness="4",
        text=BRAND_SAYS,
    )
    expect(page.get_by_text("Thank you: your review is saved.")).to_be_visible()
    expect(reviews.get_by_role("heading", name="Their review")).to_be_visible()
    expect(reviews.get_by_text(CREATOR_SAYS)).to_be_visible()
    expect(reviews.get_by_text(BRAND_SAYS)).to_be_visible()
    expect(reviews.get_by_text("Shown once the other side reviews too")).to_have_count(0)
    check(page, "4-both-in")

    # The creator now sees the brand's review of them.
    log_in(page, base, "rae@example.com")
    page.goto(f"{base}/applications/{done.pk}/")
    expect(reviews.get_by_text(BRAND_SAYS)).to_be_visible()

    # The brand page (public): its rating, the creator's review, and its scores with their numbers.
    page.context.clear_cookies()
    page.goto(f"{base}/brands/{member.brand_id}/")
    scores = page.locator("#scores")
    expect(scores.get_by_text("4.0 / 5")).to_be_visible()
    expect(scores.get_by_text("1 review", exact=True)).to_be_visible()
    expect(scores.locator("[data-score=undecided]")).to_contain_text("0 of 1 applicants left undecided at close")
    expect(page.locator("#reviews").get_by_text(CREATOR_SAYS)).to_be_visible()
    check(page, "5-brand-page")

    # The media kit (public): the creator's rating, the brand's review and the service-time scores.
    page.goto(f"{base}/c/rae-lens/")
    kit = page.locator("#reputation")
    expect(kit.get_by_text("5.0 / 5")).to_be_visible()
    expect(kit.get_by_text("1 review", exact=True)).to_be_visible()
    expect(kit.get_by_text(BRAND_SAYS)).to_be_visible()
    expect(kit.get_by_text("Oat Co")).to_be_visible()
    expect(kit.get_by_text("1 of 1 drafts by the due date")).to_be_visible()
    expect(kit.get_by_text("1 of 1 hires completed")).to_be_visible()
    check(page, "6-media-kit")
