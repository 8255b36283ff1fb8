"""Issue 14, points 3 and 7 on the campaign pages: refused drafts, names, numbers, times, the completion button."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Notification, Submission
from creators.models import Platform
from tests.factories import SocialAccountFactory

from .world import make_creator

pytestmark = pytest.mark.django_db


@pytest.fixture
def hired(member, campaign, creator):
    app = services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Me", proposed_rate=120
    )
    return services.application_accept(application=app, actor=member.user)


def test_a_refused_draft_shows_its_error_beside_the_field_and_keeps_the_note(client, hired, creator):
    deliverable = hired.deliverables.get()
    client.force_login(creator.user)
    fake_video = SimpleUploadedFile("draft.mp4", b"<!doctype html><p>not a video</p>", content_type="video/mp4")
    response = client.post(
        reverse("campaigns:deliverable_action", args=[deliverable.pk, "submit"]),
        {f"d{deliverable.pk}-file": fake_video, f"d{deliverable.pk}-note": "Cut 1, see the hook"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    card = html[html.index(f'id="deliverable-{deliverable.pk}"') :]
    form = card[card.index("<form") : card.index("</form>")]
    # The reason sits in the deliverable's own form, right before the file input, which takes the focus ...
    error_at = form.index("This file is not an image")
    file_input = re.search(rf'<input[^>]*name="d{deliverable.pk}-file"[^>]*>', form).group(0)
    assert error_at < form.index(file_input) and "autofocus" in file_input
    # ... not in a banner at the top of the page, scrolled out of view.
    assert "This file is not an image" not in html[: html.index(f'id="deliverable-{deliverable.pk}"')]
    assert 'class="alert alert-error"' not in html
    assert "Cut 1, see the hook</textarea>" in form
    assert not Submission.objects.exists()


def test_mark_completed_is_not_the_main_button_while_deliverables_are_open(client, member, hired, creator):
    client.force_login(member.user)
    html = client.get(reverse("campaigns:application", args=[hired.pk])).content.decode()
    button = re.search(r"<button[^>]*>Mark completed</button>", html).group(0)
    assert "btn-secondary" in button and "disabled" in button
    assert "1 deliverable still open" in html
    deliverable = hired.deliverables.get()
    services.deliverable_submit(
        deliverable=deliverable, actor=creator.user, file=None, link="https://www.instagram.com/p/draft/", note=""
    )
    services.deliverable_approve(deliverable=deliverable, actor=member.user, comment="")
    html = client.get(reverse("campaigns:application", args=[hired.pk])).content.decode()
    button = re.search(r"<button[^>]*>Mark completed</button>", html).group(0)
    assert 'class="btn"' in button and "disabled" not in button


def test_messages_and_history_show_the_creators_display_name_not_the_sign_up_name(client, member, hired, creator):
    creator.user.full_name = "Rachel Sign-Up Name"
    creator.user.save(update_fields=["full_name"])
    creator.display_name = "Rae Lens"
    creator.save(update_fields=["display_name"])
    services.message_post(application=hired, actor=creator.user, body="Draft coming Friday")
    client.force_login(member.user)
    html = client.get(reverse("campaigns:application", args=[hired.pk])).content.decode()
    thread = html[html.index('id="thread"') :]
    assert "<strong>Rae Lens</strong>" in thread
    assert "Rachel Sign-Up Name" not in html


def test_application_page_query_count_does_not_grow_with_messages(
    client, member, hired, creator, django_assert_max_num_queries
):
    for k in range(20):
        services.message_post(application=hired, actor=creator.user if k % 2 else member.user, body=f"m{k}")
    client.force_login(member.user)
    url = reverse("campaigns:application", args=[hired.pk])
    client.get(url)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_numbers_read_the_same_on_every_page(client, member, campaign):
    creator = make_creator(followers=26_009, status="approved")
    SocialAccountFactory(creator=creator, platform=Platform.TIKTOK, followers=10_462, engagement_rate="4.040")
    creator.accounts.filter(platform=Platform.INSTAGRAM).update(engagement_rate="4.040")
    from creators.services import creator_recompute_audience

    creator_recompute_audience(creator_ids=[creator.pk])
    app = services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Me", proposed_rate=100
    )
    services.application_shortlist(application=app, actor=member.user)
    client.force_login(member.user)
    pages = {
        "applicants": client.get(reverse("campaigns:applicants", args=[campaign.pk])).content.decode(),
        "compare": client.get(reverse("campaigns:compare", args=[campaign.pk])).content.decode(),
        "application": client.get(reverse("campaigns:application", args=[app.pk])).content.decode(),
    }
    client.force_login(creator.user)
    pages["dashboard"] = client.get(reverse("dashboard")).content.decode()
    for name, html in pages.items():
        assert "26,009" in html, name
        assert "4.04 %" in html, name
        assert "4.040" not in html and "4.0%" not in html, name
    assert "TikTok (10,462)" in pages["compare"] and "(10462)" not in pages["compare"]


def test_a_fresh_notification_says_just_now(client, member):
    Notification.objects.create(user=member.user, verb="You have a new applicant", target_url="/")
    older = Notification.objects.create(user=member.user, verb="Older news", target_url="/")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    client.force_login(member.user)
    html = client.get(reverse("campaigns:notifications")).content.decode()
    assert "just now" in html and "0 minutes" not in html
    assert "5\xa0minutes ago" in html  # naturaltime keeps the number and unit together
