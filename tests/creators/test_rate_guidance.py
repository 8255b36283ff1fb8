"""Issue 14, point 5: rate guidance from one tier source, only real (platform, format) pairs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from creators.models import RateCardEntry
from creators.services import CreatorError, creator_recompute_audience, rate_card_save
from tests.factories import CreatorFactory, RateCardEntryFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client):
    creator = CreatorFactory()
    SocialAccountFactory(creator=creator, platform="instagram", handle="mia.gram", followers=5_000)  # nano
    SocialAccountFactory(creator=creator, platform="tiktok", handle="mia.tok", followers=50_000)  # micro
    creator_recompute_audience(creator_ids=[creator.pk])
    creator.refresh_from_db()
    client.force_login(creator.user)
    return creator


def test_rows_and_panel_use_each_platforms_own_tier(client, me):
    assert me.tier == "micro"  # the largest account's tier
    RateCardEntryFactory(creator=me, platform="instagram", deliverable="post", price=Decimal(80))
    body = client.get(reverse("creators:rates")).content.decode()
    # The Instagram row is judged against the nano Instagram range, and the panel says the same.
    assert "within range" in body
    assert "$10–$100" in body and "from @mia.gram" in body
    assert "$25–$125" in body and "from @mia.tok" in body  # TikTok at micro
    assert "$100–$500" not in body  # the micro Instagram range the panel used to show
    assert "What Micro creators usually charge" not in body


def test_rate_form_refuses_a_format_the_platform_does_not_have(client, me):
    response = client.post(
        reverse("creators:rates"),
        {"platform": "youtube", "deliverable": "post", "price": "90", "currency": "USD", "note": "kept"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "YouTube has no “Feed post”. Pick one of: Video, Short, Live stream, UGC video (brand&#x27;s own ads)." in body
    )
    assert "kept" in body and not RateCardEntry.objects.exists()


def test_rate_service_refuses_the_pair_too(me):
    with pytest.raises(CreatorError, match="TikTok has no “Article / text post”"):
        rate_card_save(
            creator=me, actor=me.user, platform="tiktok", deliverable="article", price=Decimal(10), currency="USD"
        )
    entry = rate_card_save(
        creator=me, actor=me.user, platform="tiktok", deliverable="short", price=Decimal(10), currency="USD"
    )
    assert entry.pk


def test_rate_page_lists_the_formats_of_each_platform(client, me):
    body = client.get(reverse("creators:rates")).content.decode()
    assert "Formats per platform" in body
    assert "Post, Article / text post, Video, Live stream" not in body  # labels are the rate card's own
    assert "Feed post, Article / text post, Video, Live stream" in body  # LinkedIn
