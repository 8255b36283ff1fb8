"""What /campaigns/ and the header keep in the cache (issue 13: throughput) never shows anything stale or another
reader's: every change shows on the next request with the cache warm, and the warm page costs fewer statements."""

from __future__ import annotations

import re

import pytest

from brands.models import BrandMember
from campaigns import services
from campaigns.models import Notification
from creators.models import Niche
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import SocialAccountFactory, UserFactory

pytestmark = pytest.mark.django_db

BROWSE = "/campaigns/"


def _for_you(html: str) -> str:
    """The "Campaigns for you" section of the page ("" when it is not shown)."""
    found = re.search(r'<section class="card campaigns-for-you".*?</section>', html, re.S)
    return found.group(0) if found else ""


def _cards(html: str) -> str:
    found = re.search(r'<div class="stack">.*', html, re.S)
    return found.group(0)


def _bell(html: str) -> str:
    found = re.search(r'<span class="bell-count">(\d+)</span>', html)
    return found.group(1) if found else "none"


def _messages_badge(html: str) -> str:
    found = re.search(r'<span id="nav-messages-count" class="nav-count"( hidden)?>(\d+)<', html)
    return "hidden" if found.group(1) else found.group(2)


@pytest.mark.parametrize("rows", [1, 20])
def test_browse_as_a_creator_with_the_cache_warm(rows, member, creator, client, django_assert_num_queries):
    for i in range(rows):
        make_open_campaign(member, specs=2, title=f"Brief {i}")
    client.force_login(creator.user)
    client.get(BROWSE)
    # user (session: cached), creator, their accounts, the campaigns (specs and niche names as arrays), the creator's
    # applications to them; the niche choices, "Campaigns for you" and the header's counts come from the cache
    with django_assert_num_queries(5):
        response = client.get(BROWSE)
    assert len(response.context["rows"]) == rows
    assert _cards(response.content.decode()).count('class="card campaign-card"') == rows


def test_public_list_with_the_cache_warm(member, client, django_assert_num_queries):
    for _ in range(6):
        make_open_campaign(member, specs=2)
    client.get(BROWSE)
    with django_assert_num_queries(1):  # the campaigns; niche choices and the cards' HTML from the cache
        response = client.get(BROWSE)
    assert len(response.context["rows"]) == 6


def test_a_changed_brief_brand_or_niche_shows_at_once(member, creator, client):
    campaign = make_open_campaign(member, title="Oat milk launch", product_description="Creamy oats.")
    fitness = Niche.objects.get(slug="fitness")
    campaign.niches.set([fitness])
    client.force_login(creator.user)
    html = _cards(client.get(BROWSE).content.decode())
    assert "Oat milk launch" in html and "Creamy oats." in html and ">Fitness<" in html

    services.campaign_update(
        campaign=campaign, actor=member.user, data={"title": "Oat milk relaunch", "product_description": "Now vegan."}
    )
    member.brand.name = "Oatly Renamed"
    member.brand.save()
    fitness.name = "Fitness & sport"
    fitness.save()
    html = _cards(client.get(BROWSE).content.decode())
    assert "Oat milk relaunch" in html and "Now vegan." in html and "Oat milk launch" not in html
    assert "Oatly Renamed" in html and ">Fitness &amp; sport<" in html


def test_a_new_niche_is_a_filter_choice_at_once(client):
    client.get(BROWSE)
    Niche.objects.create(slug="falconry", name="Falconry")
    assert '<option value="falconry">Falconry</option>' in client.get(BROWSE).content.decode()


def test_campaigns_for_you_follow_applications_and_new_briefs(member, client):
    creator = make_creator()
    first = make_open_campaign(member, title="First brief")
    client.force_login(creator.user)
    assert "First brief" in _for_you(client.get(BROWSE).content.decode())

    services.application_submit(campaign=first, creator=creator, actor=creator.user, pitch="Hi")
    second = make_open_campaign(member, title="Second brief")
    html = client.get(BROWSE).content.decode()
    assert "First brief" not in _for_you(html) and "Second brief" in _for_you(html)
    assert "First brief" in _cards(html)  # still listed, now with the application's status

    services.campaign_close(campaign=second, actor=member.user)
    assert "Second brief" not in client.get(BROWSE).content.decode()


def test_campaigns_for_you_are_each_creators_own(member, client):
    tiktoker, youtuber = make_creator(platform="tiktok"), make_creator(platform="youtube")
    make_open_campaign(member, title="TikTok only", platforms=["tiktok"])
    make_open_campaign(member, title="YouTube only", platforms=["youtube"])
    client.force_login(tiktoker.user)
    mine = _for_you(client.get(BROWSE).content.decode())
    client.force_login(youtuber.user)
    theirs = _for_you(client.get(BROWSE).content.decode())
    assert "TikTok only" in mine and "YouTube only" not in mine
    assert "YouTube only" in theirs and "TikTok only" not in theirs


def test_a_new_account_changes_campaigns_for_you_at_once(member, client):
    creator = make_creator(platform="instagram")
    make_open_campaign(member, title="TikTok only", platforms=["tiktok"])
    client.force_login(creator.user)
    assert "TikTok only" not in _for_you(client.get(BROWSE).content.decode())
    SocialAccountFactory(creator=creator, platform="tiktok", followers=12_000)
    assert "TikTok only" in _for_you(client.get(BROWSE).content.decode())


def test_the_bell_counts_new_and_read_notifications_at_once(creator, client):
    client.force_login(creator.user)
    assert _bell(client.get(BROWSE).content.decode()) == "none"
    services.notify(user_ids=[creator.user.pk], verb="Your brief was approved")
    Notification.objects.create(user=creator.user, verb="Another")
    assert _bell(client.get(BROWSE).content.decode()) == "2"
    services.notifications_mark_read(user=creator.user)
    assert _bell(client.get(BROWSE).content.decode()) == "none"


def test_the_messages_badge_follows_messages_reads_and_team_changes(member, application, creator, client):
    client.force_login(creator.user)
    assert _messages_badge(client.get(BROWSE).content.decode()) == "hidden"
    services.message_post(application=application, actor=member.user, body="Welcome")
    services.message_post(application=application, actor=member.user, body="Brief attached")
    assert _messages_badge(client.get(BROWSE).content.decode()) == "2"
    services.thread_mark_read(application=application, actor=creator.user, up_to=application.messages.last().pk)
    assert _messages_badge(client.get(BROWSE).content.decode()) == "hidden"

    teammate = UserFactory(role="brand")  # joins the brand's team: its threads become theirs
    client.force_login(teammate)
    assert _messages_badge(client.get(BROWSE).content.decode()) == "hidden"
    BrandMember.objects.create(brand=member.brand, user=teammate)
    assert _messages_badge(client.get(BROWSE).content.decode()) == "2"
