"""Proven results on the media kit (issue 11): medians of the creator's tracked sponsored posts and campaigns
completed, from tracked data only, on the page and in the PDF."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from campaigns.models import Application, ApplicationStatus as A, Deliverable, DeliverableStatus as D
from campaigns.track_record import media_kit_track_record
from creators.track_record import TrackRecord
from stats.models import Post
from tests.factories import CampaignFactory, CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

SEEN = datetime(2026, 6, 1, tzinfo=UTC)


def sponsored(creator, account, status, n, **numbers) -> Deliverable:
    """A deliverable in ``status`` whose followed post has ``numbers`` (set directly: the pipeline's job)."""
    campaign = CampaignFactory()
    app = Application.objects.create(campaign=campaign, creator=creator, status=A.ACCEPTED)
    post = Post.objects.create(
        account=account, platform_post_id=f"p{n}", url=f"https://example.com/{n}", first_seen_at=SEEN, **numbers
    )
    return Deliverable.objects.create(
        application=app, platform=account.platform, format="reel", status=status, post=post
    )


def test_medians_from_tracked_sponsored_posts_only():
    creator = CreatorFactory(handle="dana")
    tiktok = SocialAccountFactory(creator=creator, platform="tiktok", followers=20_000)
    insta = SocialAccountFactory(creator=creator, platform="instagram", followers=8_000)
    # views, engagements → rate
    sponsored(creator, tiktok, D.LIVE, 1, views=10_000, likes=400, comments=50, shares=50)  # 500 / 10,000 = 5.0 %
    sponsored(creator, tiktok, D.LIVE, 2, views=30_000, likes=600, comments=0, shares=0)  # 600 / 30,000 = 2.0 %
    sponsored(creator, tiktok, D.APPROVED, 3, views=20_000, likes=700, comments=100)  # 800 / 20,000 = 4.0 %
    # Instagram without views: ÷ reach (300 / 5,000 = 6.0 %), then ÷ followers (160 / 8,000 = 2.0 %)
    sponsored(creator, insta, D.LIVE, 4, reach=5_000, likes=250, comments=30, saves=20)
    sponsored(creator, insta, D.LIVE, 5, likes=150, comments=10)
    # Not counted: a post of a deliverable in review, and a post with no numbers yet (no views, no engagement).
    sponsored(creator, tiktok, D.SUBMITTED, 6, views=1_000_000, likes=1)
    sponsored(creator, tiktok, D.LIVE, 7)
    Application.objects.create(campaign=CampaignFactory(), creator=creator, status=A.COMPLETED)
    Application.objects.create(campaign=CampaignFactory(), creator=creator, status=A.COMPLETED)
    Application.objects.create(campaign=CampaignFactory(), creator=creator, status=A.DECLINED)
    # Another creator's numbers never leak in.
    other = CreatorFactory()
    sponsored(other, SocialAccountFactory(creator=other, platform="tiktok"), D.LIVE, 8, views=9, likes=9)

    record = media_kit_track_record(creator)
    # views: 10,000 / 20,000 / 30,000 → 20,000; rates 2.0, 2.0, 4.0, 5.0, 6.0 → 4.0
    assert record == TrackRecord(
        sponsored_posts=6, median_views=20_000, median_engagement_rate=Decimal("4.0"), campaigns_completed=2
    )


def test_nothing_tracked_means_no_section(client):
    creator = CreatorFactory(handle="fresh")
    assert media_kit_track_record(creator) is None
    assert "Proven results" not in client.get("/c/fresh/").content.decode()


def test_media_kit_page_and_pdf_show_the_proven_results(client, monkeypatch):
    creator = CreatorFactory(handle="dana")
    tiktok = SocialAccountFactory(creator=creator, platform="tiktok", followers=20_000)
    sponsored(creator, tiktok, D.LIVE, 1, views=12_400, likes=400, comments=50, shares=50)  # 500 / 12,400 = 4.03 %
    Application.objects.create(campaign=CampaignFactory(), creator=creator, status=A.COMPLETED)
    page = client.get("/c/dana/").content.decode()
    assert "Proven results" in page
    assert '<span class="value">12.4K</span><span class="label">median views per sponsored post</span>' in page
    assert (
        '<span class="value">4.00 %</span><span class="label">median engagement rate of sponsored posts</span>' in page
    )
    assert '<span class="value">1</span><span class="label">campaigns completed</span>' in page
    assert "From 1 sponsored post tracked on this marketplace" in page

    seen = {}

    def fake_render(html):
        seen["html"] = html
        return b"%PDF-1.7 fake"

    import creators.pdf

    monkeypatch.setattr(creators.pdf, "render_pdf", fake_render)
    response = client.get("/c/dana/media-kit.pdf")
    assert response.status_code == 200
    assert "median views per sponsored post" in seen["html"] and "12.4K" in seen["html"]
