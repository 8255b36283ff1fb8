"""Issue 14 in real Chromium: a refused draft's error in view, the bell's count beside it, filters readable."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from campaigns import services
from campaigns.models import Notification
from tests.campaigns.world import make_creator, make_open_campaign
from tests.e2e.test_campaign_journey import log_in
from tests.factories import BrandMemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/ux14-e2e"


@pytest.fixture(autouse=True)
def _in_process(settings, tmp_path):
    from marketplace.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_a_refused_draft_on_a_phone_shows_its_error_in_view_and_keeps_the_note(page: Page, live_server):
    member = BrandMemberFactory(user__email="owner@trail.example")
    creator = make_creator(user__email="rae@example.com")
    campaign = make_open_campaign(member, specs=3)
    app = services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="A long pitch " * 40
    )
    app = services.application_accept(application=app, actor=member.user)
    last = app.deliverables.order_by("pk").last()
    page.set_viewport_size({"width": 390, "height": 740})
    log_in(page, live_server.url, creator.user.email)
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    card = page.locator(f"#deliverable-{last.pk}")
    card.locator("summary").click()
    card.locator(f"#id_d{last.pk}-file").set_input_files(
        {"name": "draft.mp4", "mimeType": "video/mp4", "buffer": b"<!doctype html><p>not a video</p>"}
    )
    card.locator(f"#id_d{last.pk}-note").fill("Cut 1, see the hook")
    card.get_by_role("button", name="Submit draft").click()
    error = card.get_by_text("This file is not an image (JPEG, PNG, WebP), a video (MP4, MOV, WebM) or a PDF.")
    expect(error).to_be_in_viewport()
    expect(card.locator(f"#id_d{last.pk}-note")).to_have_value("Cut 1, see the hook")
    expect(card.locator(f"#id_d{last.pk}-file")).to_be_focused()
    expect(page.locator(".messages .alert-error")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}-draft-refused-390.png")


def test_the_unread_badge_sits_beside_the_bell_and_the_language_filter_is_readable(page: Page, live_server):
    member = BrandMemberFactory(user__email="owner@trail.example")
    Notification.objects.bulk_create(Notification(user=member.user, verb=f"n{k}", target_url="/") for k in range(29))
    log_in(page, live_server.url, member.user.email)
    page.goto(live_server.url + "/creators/")
    bell = page.locator(".bell svg").bounding_box()
    badge = page.locator(".bell-count").bounding_box()
    assert badge["x"] >= bell["x"] + bell["width"], (bell, badge)  # beside, not over, the icon
    expect(page.locator(".bell-count")).to_have_text("29")
    # The selected option's text fits in the select (it read "Any lan").
    fits = page.locator("#id_language").evaluate("""select => {
        const style = getComputedStyle(select);
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const text = ctx.measureText(select.options[select.selectedIndex].text).width;
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
        return [text, room];
    }""")
    assert fits[0] <= fits[1], fits
    page.locator("#directory-filters").screenshot(path=f"{SHOTS}-filters.png")
