"""Issue 14 point 9: approved creators' media kits and the directory are public pages, with a title, a
description, Open Graph tags and a canonical URL; private data never appears on them."""

import pytest
from django.test import override_settings

from core.vetting import VettingStatus
from creators.models import Niche
from tests.factories import RateCardEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_site_url")]


@pytest.fixture
def _site_url():
    with override_settings(SITE_URL="https://cm.example"):
        yield


@pytest.fixture
def rae(make_creator):
    creator = make_creator(
        {"instagram": 14_000},
        display_name="Rae Lens",
        handle="raelens",
        bio="Trail runner and home cook.",
        user__email="rae.private@mail.example",
        niches=[Niche.objects.get(slug="food")],
    )
    RateCardEntryFactory(creator=creator, note="Includes 30 days of organic usage")
    return creator


def test_an_approved_media_kit_is_public_with_its_meta_tags(client, rae):
    response = client.get("/c/raelens/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Rae Lens (@raelens) · media kit · Creator Marketplace</title>" in body
    assert '<meta name="description" content="Micro creator · Food &amp; drink. Trail runner and home cook.">' in body
    assert '<link rel="canonical" href="https://cm.example/c/raelens/">' in body
    assert '<meta property="og:title" content="Rae Lens (@raelens) · media kit">' in body
    assert '<meta property="og:type" content="profile">' in body
    assert '<meta property="og:url" content="https://cm.example/c/raelens/">' in body
    # no avatar: the site's default picture, on the public origin
    assert '<meta property="og:image" content="https://cm.example/static/img/og-default.png">' in body
    # contact needs an account: a call to action that brings the visitor back here after signing up
    assert "Sign up to contact" in body
    assert 'href="/accounts/signup/?role=brand&amp;next=%2Fc%2Fraelens%2F"' in body


def test_the_media_kit_shows_no_private_data(client, rae):
    body = client.get("/c/raelens/").content.decode()
    assert "rae.private@mail.example" not in body
    assert "Edit profile" not in body
    assert "Approved" not in body  # no vetting state on a public page


def test_the_og_image_is_the_creators_avatar(client, rae):
    rae.avatar.name = f"creators/{rae.pk}/avatar/face.png"
    rae.save(update_fields=["avatar"])
    body = client.get("/c/raelens/").content.decode()
    assert f'<meta property="og:image" content="https://cm.example/media/creators/{rae.pk}/avatar/face.png">' in body


@pytest.mark.parametrize("status", [VettingStatus.PENDING, VettingStatus.REJECTED, VettingStatus.SUSPENDED])
def test_unapproved_creators_are_404_to_visitors(client, make_creator, status):
    make_creator({"instagram": 5_000}, handle="hidden-one", status=status)
    assert client.get("/c/hidden-one/").status_code == 404
    assert client.get("/c/hidden-one/media-kit.pdf").status_code == 404


def test_the_directory_is_public_and_lists_approved_creators_only(client, rae, make_creator):
    make_creator({"instagram": 5_000}, handle="pending-pat", status=VettingStatus.PENDING)
    make_creator(
        {"instagram": 5_000}, handle="rejected-rob", status=VettingStatus.REJECTED, status_reason="Bought followers"
    )
    make_creator({"instagram": 5_000}, handle="suspended-sue", status=VettingStatus.SUSPENDED)
    response = client.get("/creators/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "@raelens" in body
    for hidden in ("pending-pat", "rejected-rob", "suspended-sue", "Bought followers", "rae.private@mail.example"):
        assert hidden not in body
    assert "<title>Find nano and micro creators · Creator Marketplace</title>" in body
    assert '<link rel="canonical" href="https://cm.example/creators/">' in body
    assert '<meta property="og:image" content="https://cm.example/static/img/og-default.png">' in body
    assert 'href="/accounts/signup/?role=brand&amp;next=%2Fcreators%2F"' in body
    assert "Invite to" not in body  # inviting needs a brand account
    # the header offers the public pages
    assert (
        '<a href="/creators/" aria-current="page">Creators</a>' in body
        and '<a href="/campaigns/">Campaigns</a>' in body
    )


def test_a_signed_in_brand_gets_no_sign_up_call_to_action(client, rae, brand_user):
    client.force_login(brand_user)
    body = client.get("/c/raelens/").content.decode()
    assert "Sign up to contact" not in body


@pytest.mark.parametrize("rows", [1, 20])
def test_public_directory_query_count_does_not_grow(client, make_creator, django_assert_num_queries, rows):
    food = Niche.objects.get(slug="food")
    for i in range(rows):
        c = make_creator({"instagram": 5_000 + i, "tiktok": 1_000 + i}, niches=[food])
        RateCardEntryFactory(creator=c)
    # No session, no user, no notification count, no invite control for a visitor: the page (one statement:
    # the capped count, the ids, the cards with niches, accounts and rates; 5 before issue 13) and the niche
    # choices of the filter form.
    with django_assert_num_queries(2):
        response = client.get("/creators/")
    assert len(response.context["page"].creators) == rows
    # with a niche filter: one more, the picked niche
    with django_assert_num_queries(3):
        response = client.get("/creators/", {"niche": "food"})
    assert len(response.context["page"].creators) == rows
