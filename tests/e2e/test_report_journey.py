"""The campaign report in real Chromium (issue 11), at desktop (1280 px) and phone (390 px) widths, with axe.

A campaign with a live post (seeded stats.Post and PostSnapshot rows: the live-post pipeline fills them in
production) → a visitor follows the creator's tracked link and lands on the brand's landing page with UTM
parameters (the campaign's public brief on this site: no request leaves this machine) → the click is flushed from
Redis →
the brand opens its campaign, follows "Results", records an order by CSV, sees the ROI and downloads the CSV.

By hand: spend 165.00 (150.00 fee + 10 % platform fee, funded); 12,000 views; 1,000 engagements; 1 click;
one order of 412.50. ROAS = 412.50 ÷ 165.00 = 2.50; CTR = 1 ÷ 12,000 × 100 = 0.01 %; CPC = CPA = 165.00;
CPM = 165 ÷ 12,000 × 1000 = 13.75; CPE = 165 ÷ 1,000 = 0.165 → 0.17; EMV = 12,000 ÷ 1000 × 10.00 = 120.00.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from campaigns import services as campaign_services
from payments import services as payment_services
from payments.models import Funding
from results import clicks
from results.models import ClickDay
from stats.models import Post, PostSnapshot
from tests.campaigns.world import make_creator, make_open_campaign
from tests.e2e.support import DESKTOP, PHONE, assert_no_sideways_scroll, axe_check, log_in, shot, use_width
from tests.factories import BrandMemberFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]

WIDTHS = pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
# Headless Chromium says "HeadlessChrome", which the bot list rightly leaves out: the visitor is a phone browser.
PHONE_BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile "
    "Safari/537.36"
)


def check(page: Page, step: str) -> None:
    axe_check(page)
    assert_no_sideways_scroll(page)
    shot(page, "results", step, full_page=True)


def seed(settings, base: str):
    settings.PAYMENTS_PROVIDER = "offline"
    member = BrandMemberFactory(user__email="ola@oat.example", brand__name="Oat Co")
    campaign = make_open_campaign(
        member,
        title="Trail mix reels",
        fee_per_creator=Decimal(200),
        slots=3,
    )
    # The brand's landing page: here its public brief on this site, so no request leaves this machine.
    campaign.landing_url = f"{base}/campaigns/{campaign.pk}/?from=bio"
    campaign.save(update_fields=["landing_url"])
    rae = make_creator(followers=15_000, display_name="Rae Lens", handle="rae-lens")
    application = campaign_services.application_submit(
        campaign=campaign, creator=rae, actor=rae.user, pitch="Trail snacks are my thing", proposed_rate=150
    )
    application = campaign_services.application_accept(application=application, actor=member.user)
    funding = Funding.objects.get(application=application)
    payment_services.funding_mark_held(funding=funding, amount=funding.total, currency="USD", reference="e2e")
    post = Post.objects.create(
        account=rae.accounts.first(),
        platform_post_id="C0ffee",
        url="https://www.instagram.com/reel/C0ffee/",
        first_seen_at=timezone.now() - dt.timedelta(days=3),
        views=12_000,
        reach=9_000,
        likes=800,
        comments=100,
        shares=50,
        saves=50,
    )
    application.deliverables.update(post=post, live_url=post.url)
    today = timezone.localdate()
    for days_ago, views in ((2, 4_000), (1, 9_000), (0, 12_000)):
        PostSnapshot.objects.create(
            post=post, period=today - dt.timedelta(days=days_ago), taken_at=timezone.now(), views=views
        )
    return campaign, application.tracked_link


@WIDTHS
def test_a_click_through_a_tracked_link_and_the_brand_reads_its_roi(page: Page, live_server, settings, width):
    base = live_server.url
    campaign, link = seed(settings, base)
    use_width(page, width)

    # A visitor follows the creator's link and lands on the brand's page with the UTM parameters.
    page.set_extra_http_headers({"User-Agent": PHONE_BROWSER})
    page.goto(f"{base}/r/{link.code}")
    expect(page.get_by_role("heading", name="Trail mix reels")).to_be_visible()
    assert page.url == (
        f"{base}/campaigns/{campaign.pk}/?from=bio&utm_source=instagram&utm_medium=influencer"
        f"&utm_campaign=trail-mix-reels-{campaign.pk}&utm_content=rae-lens"
    )
    page.set_extra_http_headers({})
    assert clicks.flush() == 1  # what the beat task does every minute
    assert ClickDay.objects.get(link=link).clicks == 1

    # The brand opens its campaign and follows "Results".
    log_in(page, base, "ola@oat.example")
    page.goto(f"{base}/campaigns/{campaign.pk}/")
    page.get_by_role("link", name="Results", exact=True).click()
    expect(page.get_by_role("heading", name="Results: Trail mix reels")).to_be_visible()
    totals = page.locator("table.report-totals")
    expect(totals.locator('tr[data-metric="clicks"] td.num')).to_have_text("1")
    expect(totals.locator('tr[data-metric="roas"] td.num')).to_have_text("0.00")

    # An order comes in by CSV.
    page.get_by_role("link", name="Record conversions").click()
    page.get_by_label("CSV file").set_input_files(
        files=[
            {
                "name": "orders.csv",
                "mimeType": "text/csv",
                "buffer": f"order_id,amount,currency,code\nSHOP-1,412.50,USD,{link.code}\n".encode(),
            }
        ]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("1 order recorded.")
    check(page, "1-upload")
    page.get_by_role("link", name="Results").click()

    # The ROI, with its formula beside it.
    headline = page.locator(".report-headline")
    expect(headline).to_contain_text("ROAS")
    expect(headline).to_contain_text("2.50")
    expect(headline).to_contain_text("revenue ÷ spend (revenue per 1 of spend) = 412.50 ÷ 165.00")
    expect(totals.locator('tr[data-metric="cpc"] td.num')).to_have_text("165.00 USD")
    expect(totals.locator('tr[data-metric="ctr"] td.num')).to_have_text("0.01%")
    expect(page.locator("svg.growth-chart").first).to_be_visible()
    check(page, "2-report")

    # The CSV, as downloaded.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"campaign-{campaign.pk}-report.csv"
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0][:6] == ["creator", "link", "promo_code", "unique_clicks", "reach", "views"]
    assert rows[1:] == [
        ["rae-lens", f"/r/{link.code}", "", "1", "9000", "12000", "1000", "8.33", "1", "0.01", "1", "412.50",
         "165.00", "13.75", "0.17", "165.00", "165.00", "2.50", "120.00", "USD"],
        ["TOTAL", "", "", "1", "9000", "12000", "1000", "8.33", "1", "0.01", "1", "412.50",
         "165.00", "13.75", "0.17", "165.00", "165.00", "2.50", "120.00", "USD"],
    ]  # fmt: skip

    # The links page, where promo codes are set.
    page.get_by_role("link", name="Tracked links").click()
    expect(page.get_by_label("Tracked link")).to_have_value(re.compile(rf"/r/{link.code}$"))
    check(page, "3-links")

    # The conversion webhook's address and signing secret, on the brand's profile page.
    page.goto(f"{base}/brand/profile/")
    expect(page.get_by_role("heading", name="Conversion tracking")).to_be_visible()
    expect(page.get_by_label("Signing secret")).to_have_value(re.compile(r"^whsec_[0-9a-f]{48}$"))
    check(page, "4-webhook")
