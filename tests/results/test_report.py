"""The campaign report (issue 11): every formula against hand-computed numbers, "—" for a division by zero, charts,
CSV, PDF and API, a query count that does not grow with the creators, and nobody but the brand sees it.

The world, worked out by hand:

Rae (proposed rate 150.00, funded: 150.00 + 10 % platform fee = 165.00 paid), one Instagram post:
    views 12,000, reach 9,000, likes 800 + comments 100 + shares 50 + saves 50 = 1,000 engagements;
    clicks 100 + 140 = 240 (unique 80 + 100 = 180); orders 300.00 + 112.50 = 412.50 (2 conversions).
    ER = 1,000 ÷ 12,000 × 100 = 8.33 %      CTR = 240 ÷ 12,000 × 100 = 2.00 %
    CPM = 165 ÷ 12,000 × 1000 = 13.75       CPE = 165 ÷ 1,000 = 0.165 → 0.17
    CPC = 165 ÷ 240 = 0.6875 → 0.69         CPA = 165 ÷ 2 = 82.50
    ROAS = 412.50 ÷ 165 = 2.50              EMV = 12,000 ÷ 1000 × 10.00 = 120.00
Sam (no proposed rate: the brief's fee 200.00; asked to fund, not paid yet: the accepted fee counts), nothing live:
    views —, engagements —, every ratio — except ROAS = 0 ÷ 200 = 0.00; EMV 0.00.
Total: spend 365.00; revenue 412.50; views 12,000; engagements 1,000; clicks 240; 2 conversions.
    CPM = 365 ÷ 12,000 × 1000 = 30.4167 → 30.42      CPE = 365 ÷ 1,000 = 0.365 → 0.37
    CPC = 365 ÷ 240 = 1.5208 → 1.52                   CPA = 365 ÷ 2 = 182.50
    ROAS = 412.50 ÷ 365 = 1.1301 → 1.13               EMV = 120.00
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from payments import services as payment_services
from payments.models import Funding
from results import report
from results.models import ClickDay, Conversion
from stats.models import Post, PostSnapshot
from tests.factories import BrandMemberFactory
from tests.results.conftest import hire

pytestmark = pytest.mark.django_db


def live_post(application, *, platform_post_id: str, **numbers) -> Post:
    account = application.creator.accounts.first()
    post = Post.objects.create(
        account=account,
        platform_post_id=platform_post_id,
        url=f"https://www.instagram.com/p/{platform_post_id}/",
        first_seen_at=timezone.now(),
        **numbers,
    )
    application.deliverables.update(post=post, live_url=post.url)
    return post


@pytest.fixture
def world(trail, oat):
    rae = hire(trail, oat, handle="rae-lens", name="Rae Lens", rate=150)
    sam = hire(trail, oat, handle="sam-trails", name="Sam Trails")
    funding = Funding.objects.get(application=rae)
    payment_services.funding_mark_held(funding=funding, amount=16500, currency="USD")
    post = live_post(
        rae, platform_post_id="C1", views=12_000, reach=9_000, likes=800, comments=100, shares=50, saves=50
    )
    PostSnapshot.objects.create(post=post, period=dt.date(2026, 3, 2), taken_at=timezone.now(), views=5_000)
    PostSnapshot.objects.create(post=post, period=dt.date(2026, 3, 3), taken_at=timezone.now(), views=12_000)
    link = rae.tracked_link
    ClickDay.objects.create(link=link, day=dt.date(2026, 3, 2), clicks=100, unique_clicks=80)
    ClickDay.objects.create(link=link, day=dt.date(2026, 3, 3), clicks=140, unique_clicks=100)
    for order, amount in (("O-1", 30_000), ("O-2", 11_250)):
        Conversion.objects.create(
            brand=oat.brand,
            link=link,
            order_id=order,
            amount=amount,
            currency="USD",
            source="api",
            occurred_at=timezone.now(),
        )
    return {"rae": rae, "sam": sam, "campaign": trail}


def displays(metrics) -> dict[str, str]:
    return {m.key: m.display for m in metrics}


def test_every_number_per_creator_and_in_total(world):
    built = report.build(world["campaign"])
    rae, sam = built.rows
    assert (rae.handle, sam.handle) == ("rae-lens", "sam-trails")
    assert (rae.spend_source, sam.spend_source) == ("funded", "accepted fee")
    assert displays(rae.metrics) == {
        "reach": "9,000",
        "views": "12,000",
        "engagements": "1,000",
        "engagement_rate": "8.33%",
        "clicks": "240",
        "ctr": "2.00%",
        "conversions": "2",
        "revenue": "412.50 USD",
        "spend": "165.00 USD",
        "cpm": "13.75 USD",
        "cpe": "0.17 USD",
        "cpc": "0.69 USD",
        "cpa": "82.50 USD",
        "roas": "2.50",
        "emv": "120.00 USD",
    }
    assert rae.numbers.unique_clicks == 180
    assert displays(sam.metrics) == {
        "reach": "—",
        "views": "—",
        "engagements": "—",
        "engagement_rate": "—",
        "clicks": "0",
        "ctr": "—",
        "conversions": "0",
        "revenue": "0.00 USD",
        "spend": "200.00 USD",
        "cpm": "—",
        "cpe": "—",
        "cpc": "—",
        "cpa": "—",
        "roas": "0.00",
        "emv": "0.00 USD",
    }
    assert displays(built.total_metrics) == {
        "reach": "9,000",
        "views": "12,000",
        "engagements": "1,000",
        "engagement_rate": "8.33%",
        "clicks": "240",
        "ctr": "2.00%",
        "conversions": "2",
        "revenue": "412.50 USD",
        "spend": "365.00 USD",
        "cpm": "30.42 USD",
        "cpe": "0.37 USD",
        "cpc": "1.52 USD",
        "cpa": "182.50 USD",
        "roas": "1.13",
        "emv": "120.00 USD",
    }
    formulas = {m.key: f"{m.definition} = {m.formula}" for m in built.total_metrics}
    assert formulas["cpm"] == "spend ÷ views × 1000 = 365.00 ÷ 12,000 × 1000"
    assert formulas["roas"] == "revenue ÷ spend (revenue per 1 of spend) = 412.50 ÷ 365.00"
    assert formulas["engagement_rate"] == "engagements ÷ views × 100 = 1,000 ÷ 12,000 × 100"
    assert formulas["cpc"] == "spend ÷ clicks = 365.00 ÷ 240"
    assert formulas["emv"] == "views ÷ 1000 × the platform's CPM rate = 12,000 ÷ 1000 × 10.00"


def test_emv_uses_each_platforms_rate():
    youtube = report.Numbers(views=4_000, emv=Decimal(4_000) * report.emv_rate("youtube") * 100 / 1000)
    linkedin = report.Numbers(views=2_000, emv=Decimal(2_000) * report.emv_rate("linkedin") * 100 / 1000)
    youtube.views_by_platform = {"youtube": 4_000}
    assert displays(report.metrics(youtube, "USD"))["emv"] == "90.00 USD"  # 4,000 ÷ 1000 × 22.50
    both = report.Numbers()
    both.add(youtube)
    both.add(report.Numbers(views=1_000, emv=Decimal(1_000), views_by_platform={"instagram": 1_000}))
    emv = {m.key: m for m in report.metrics(both, "USD")}["emv"]
    assert (emv.display, emv.formula) == ("100.00 USD", "1,000 ÷ 1000 × 10.00 + 4,000 ÷ 1000 × 22.50")
    assert displays(report.metrics(linkedin, "USD"))["emv"] == "13.00 USD"  # 2,000 ÷ 1000 × 6.50


def test_nothing_at_all_is_dashes_not_errors():
    shown = displays(report.metrics(report.Numbers(), "USD"))
    assert [shown[k] for k in ("engagement_rate", "ctr", "cpm", "cpe", "cpc", "cpa", "roas")] == ["—"] * 7


def test_the_charts_show_views_and_clicks_over_time(world, client, oat):
    built = report.build(world["campaign"])
    assert built.views_series == [(dt.date(2026, 3, 2), 5_000), (dt.date(2026, 3, 3), 12_000)]
    assert built.clicks_series == [(dt.date(2026, 3, 2), 100), (dt.date(2026, 3, 3), 240)]
    client.force_login(oat.user)
    page = client.get(f"/brand/campaigns/{world['campaign'].pk}/report/").content.decode()
    assert 'aria-label="Views: 5K on 02 Mar → 12K on 03 Mar"' in page
    assert 'aria-label="Clicks: 100 on 02 Mar → 240 on 03 Mar"' in page


def test_views_over_time_carry_each_posts_last_number_forward(trail, oat):
    rae = hire(trail, oat, handle="rae-lens")
    sam = hire(trail, oat, handle="sam-trails")
    a = live_post(rae, platform_post_id="A", views=300)
    b = live_post(sam, platform_post_id="B", views=50)
    for post, day, views in ((a, 1, 100), (b, 2, 50), (a, 3, 300)):
        PostSnapshot.objects.create(post=post, period=dt.date(2026, 3, day), taken_at=timezone.now(), views=views)
    built = report.build(trail)
    assert built.views_series == [
        (dt.date(2026, 3, 1), 100),
        (dt.date(2026, 3, 2), 150),
        (dt.date(2026, 3, 3), 350),
    ]


def test_the_page_shows_each_formula_beside_its_number(world, client, oat):
    client.force_login(oat.user)
    page = client.get(f"/brand/campaigns/{world['campaign'].pk}/report/").content.decode()
    assert (
        '<tr data-metric="roas"><th scope="row">ROAS</th><td class="num">1.13</td>'
        '<td class="formula">revenue ÷ spend (revenue per 1 of spend) = 412.50 ÷ 365.00</td></tr>'
    ) in page
    assert '<td class="num" data-metric="cpc">0.69 USD<span class="formula">165.00 ÷ 240</span></td>' in page
    assert '<td class="num" data-metric="cpc">—<span class="formula">200.00 ÷ 0</span></td>' in page
    assert "Instagram 10.00, TikTok 10.00, YouTube 22.50, other platforms 6.50." in page


def test_the_csv_has_a_line_per_creator_and_the_total(world, client, oat):
    client.force_login(oat.user)
    response = client.get(f"/brand/campaigns/{world['campaign'].pk}/report.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    code = world["rae"].tracked_link.code
    assert rows == [
        ["creator", "link", "promo_code", "unique_clicks", "reach", "views", "engagements", "engagement_rate",
         "clicks", "ctr", "conversions", "revenue", "spend", "cpm", "cpe", "cpc", "cpa", "roas", "emv", "currency"],
        ["rae-lens", f"/r/{code}", "", "180", "9000", "12000", "1000", "8.33", "240", "2.00", "2", "412.50",
         "165.00", "13.75", "0.17", "0.69", "82.50", "2.50", "120.00", "USD"],
        ["sam-trails", f"/r/{world['sam'].tracked_link.code}", "", "0", "", "", "", "", "0", "", "0", "0.00",
         "200.00", "", "", "", "", "0.00", "0.00", "USD"],
        ["TOTAL", "", "", "180", "9000", "12000", "1000", "8.33", "240", "2.00", "2", "412.50", "365.00", "30.42",
         "0.37", "1.52", "182.50", "1.13", "120.00", "USD"],
    ]  # fmt: skip


def test_the_pdf_is_made_by_the_media_kits_mechanism(world, client, oat):
    client.force_login(oat.user)
    response = client.get(f"/brand/campaigns/{world['campaign'].pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_api_gives_the_same_numbers(world, oat):
    api = APIClient()
    api.force_authenticate(oat.user)
    data = api.get(f"/api/v1/campaigns/{world['campaign'].pk}/report/").json()
    assert data["currency"] == "USD"
    assert data["total"]["roas"] == {
        "value": "1.13",
        "display": "1.13",
        "formula": "revenue ÷ spend (revenue per 1 of spend) = 412.50 ÷ 365.00",
    }
    assert data["total"]["views"]["value"] == 12000
    sam = data["creators"][1]
    assert sam["creator"] == "sam-trails"
    assert sam["metrics"]["cpc"]["value"] is None
    assert data["emv_cpm_usd"] == {"instagram": "10.00", "tiktok": "10.00", "youtube": "22.50", "other": "6.50"}
    assert data["clicks_over_time"] == [{"day": "2026-03-02", "clicks": 100}, {"day": "2026-03-03", "clicks": 240}]


def test_only_the_campaigns_brand_sees_the_report(world, client):
    pk = world["campaign"].pk
    outsiders = [BrandMemberFactory().user, world["rae"].creator.user]
    for user in outsiders:
        client.force_login(user)
        for path in (f"/brand/campaigns/{pk}/report/", f"/brand/campaigns/{pk}/report.csv",
                     f"/brand/campaigns/{pk}/report.pdf", f"/brand/campaigns/{pk}/conversions/"):  # fmt: skip
            assert client.get(path).status_code == 404, (user, path)
        api = APIClient()
        api.force_authenticate(user)
        assert api.get(f"/api/v1/campaigns/{pk}/report/").status_code == 404
    client.logout()
    assert client.get(f"/brand/campaigns/{pk}/report/").status_code == 302  # to the login page


def _report_queries(client, campaign) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/brand/campaigns/{campaign.pk}/report/").status_code == 200
    return len(queries)


def test_the_report_page_costs_the_same_queries_for_two_or_six_creators(world, client, oat):
    client.force_login(oat.user)
    campaign = world["campaign"]
    _report_queries(client, campaign)  # the header's unread counts are then kept in the cache (issue 13)
    two = _report_queries(client, campaign)
    for i in range(3):
        other = hire(campaign, oat, handle=f"more-{i}", rate=100)
        live_post(other, platform_post_id=f"M{i}", views=1_000, likes=10)
        ClickDay.objects.create(link=other.tracked_link, day=dt.date(2026, 3, 2), clicks=5, unique_clicks=5)
    five = _report_queries(client, campaign)
    assert two == five == 12  # 13 before the session came from the cache
