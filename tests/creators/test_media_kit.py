"""The public media kit at /c/<handle>/ and its PDF."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from creators.models import PortfolioItem
from tests.factories import CreatorFactory, RateCardEntryFactory, StatsSnapshotFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit_creator(make_creator):
    creator = make_creator(
        {
            "instagram": (18_400, {"engagement_rate": Decimal("4.120")}),
            "tiktok": (6_200, {"engagement_rate": Decimal("7.8")}),
        },
        handle="casey",
        display_name="Casey Creator",
        bio="Trail runner.",
    )
    account = creator.accounts.get(platform="instagram")
    start = date.today() - timedelta(days=10)
    for i in range(10):
        StatsSnapshotFactory(account=account, period=start + timedelta(days=i), followers=17_000 + 140 * i)
    RateCardEntryFactory(creator=creator, platform="instagram", deliverable="reel", price=Decimal(350))
    PortfolioItem.objects.create(creator=creator, caption="Trail shoe review", url="https://example.com/p/1")
    return creator


def test_media_kit_shows_audience_benchmark_chart_rates_portfolio(client, kit_creator):
    response = client.get("/c/casey/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Casey Creator" in body and "18.4K" in body and "6.2K" in body
    assert 'class="badge tier-micro"' in body and 'class="badge tier-nano"' in body
    assert "above benchmark" in body and "Typical for Micro on Instagram: 2.0–3.5 %" in body
    assert '<svg class="growth-chart"' in body and "<polyline" in body and "Instagram 17K → 18.2K" in body
    assert "350 USD" in body and "$100–$500" in body
    assert "Trail shoe review" in body
    assert "<script" not in body.split("</footer>")[0]  # no chart library, nothing inline


def test_pending_account_says_numbers_pending(client, make_creator):
    creator = make_creator(handle="fresh")
    creator.accounts.create(platform="youtube", handle="fresh-yt")
    assert "Numbers pending" in client.get("/c/fresh/").content.decode()


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_unapproved_kits_are_404_to_others_visible_to_self_and_staff(client, status):
    creator = CreatorFactory(handle="hidden", status=status)
    assert client.get("/c/hidden/").status_code == 404
    client.force_login(UserFactory(role="brand"))
    assert client.get("/c/hidden/").status_code == 404
    assert client.get("/c/hidden/media-kit.pdf").status_code == 404
    client.force_login(creator.user)
    assert client.get("/c/hidden/").status_code == 200
    client.force_login(UserFactory(is_staff=True, role=""))
    assert client.get("/c/hidden/").status_code == 200


def test_unknown_handle_is_404(client):
    assert client.get("/c/nobody/").status_code == 404


def test_pdf_download(client, kit_creator):
    response = client.get("/c/casey/media-kit.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'filename="media-kit-casey.pdf"' in response["Content-Disposition"]


def test_pdf_fetcher_refuses_anything_but_local_files():
    from creators.pdf import LocalFilesFetcher

    fetcher = LocalFilesFetcher()
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "http://mediakit.local/media/../../etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("http://mediakit.local/static/css/app.css").read().startswith(b"/*")


@pytest.mark.parametrize("rows", [1, 20])
def test_media_kit_query_count_does_not_grow(client, make_creator, django_assert_num_queries, rows):
    creator = make_creator({"instagram": 50_000, "tiktok": 9_000, "youtube": 2_000}, handle="busy")
    accounts = list(creator.accounts.all())
    for i in range(rows):
        for account in accounts:
            StatsSnapshotFactory(account=account, period=date.today() - timedelta(days=i), followers=1_000 + i)
        RateCardEntryFactory(
            creator=creator, platform=accounts[i % 3].platform, deliverable=f"d{i}"[:16], price=Decimal(10 + i)
        )
        PortfolioItem.objects.create(creator=creator, caption=f"work {i}", url=f"https://example.com/{i}")
    # creator, niches, accounts, rates, portfolio, snapshots, past collaborations (campaigns' provider),
    # reputation (campaigns' provider): ratings, deliverables, hires, reviews;
    # proven results (campaigns' provider): tracked posts, completed campaigns
    with django_assert_num_queries(13):
        response = client.get("/c/busy/")
    assert response.status_code == 200
    assert response.content.decode().count("work ") >= rows


@pytest.mark.parametrize(
    "value,text",
    [
        (None, "–"),
        (999, "999"),
        (9_999, "9.9K"),
        (10_000, "10K"),
        (18_449, "18.4K"),
        (999_999, "999.9K"),
        (1_000_000, "1M"),
        (3_850_000, "3.8M"),
    ],
)
def test_compact_numbers_never_round_up_into_the_next_tier(value, text):
    from creators.templatetags.creators_tags import compact

    assert compact(value) == text


def test_pdf_without_system_libraries_explains_instead_of_failing(client, monkeypatch):
    """Where Pango is missing, WeasyPrint's import raises OSError: the kit page says so, no 500."""
    import builtins
    import sys

    from tests.factories import CreatorFactory

    creator = CreatorFactory()
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name in ("pdf", "creators.pdf", "weasyprint"):  # `from .pdf import render_pdf` asks for "pdf"
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "creators.pdf", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    response = client.get(f"/c/{creator.handle}/media-kit.pdf", follow=True)
    monkeypatch.setattr(builtins, "__import__", real_import)
    assert response.status_code == 200
    assert "PDF export is not available" in response.content.decode()
