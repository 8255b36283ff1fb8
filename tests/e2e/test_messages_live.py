"""Issue 14: the messages inbox and live threads in real Chromium, at 1280 and 390 px.

A creator and a brand owner, each in their own browser context, have their pages open; what one sends shows on
the other's open page without a reload (htmx polls every 5 s). A reload would drop the marker the test leaves
on ``window``, so the test proves there was none. Console errors and CSP violations fail the test in both
contexts (tests/e2e/conftest.py); the inbox and the thread pass axe-core.

The pages run on Playwright's clock (``clock.install()`` before the first page loads): their timers are the
browser's own API, time flows as usual, and the test moves it on by the poll's 5 s instead of waiting for them
(the hidden-tab test let ~40 s go by on the wall clock before).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from campaigns import services
from tests.campaigns.world import make_creator, make_open_campaign
from tests.e2e.support import DESKTOP, HEIGHTS, PHONE, assert_no_sideways_scroll, axe_check, log_in, shot, use_width
from tests.factories import BrandMemberFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]

LIVE = 12_000  # ms: one 5 s poll interval, twice, and the request
POLL = 5_000  # ms: the interval the templates ask htmx for


def let_time_pass(page: Page, ms: int) -> None:
    """Move the page's clock on by ``ms``, a second at a time, each poll a tick sends answered before the next
    second: the page sees what ``ms`` of waiting would show it (no tick skipped, none bunched)."""
    for _ in range(ms // 1000):
        page.clock.run_for(1000)
        page.wait_for_function("() => !document.querySelector('[data-poll].htmx-request')", polling=50)


def stay_marker(page: Page) -> None:
    page.evaluate("() => { window.__noReload = true; }")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("() => window.__noReload === true"), f"{page.url} was reloaded"


def send(page: Page, text: str) -> None:
    thread = page.locator("#thread")
    thread.get_by_label("Message").fill(text)
    thread.get_by_role("button", name="Send").click()
    expect(page.locator("#thread-list")).to_contain_text(text)


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_each_side_sees_the_others_message_on_the_open_page_without_a_reload(
    page: Page, browser: Browser, browser_problems, live_server, width
):
    member = BrandMemberFactory(user__email="owner@oats.example", brand__name="Oat Co")
    creator = make_creator(user__email="rae@example.com", display_name="Rae Lens")
    other = make_open_campaign(member, title="Granola launch")
    campaign = make_open_campaign(member, title="Oat bars on the trail")
    quiet = services.application_submit(campaign=other, creator=creator, actor=creator.user, pitch="Breakfast reels.")
    application = services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Trail reels."
    )
    services.message_post(application=quiet, actor=member.user, body="Thanks, we will decide next week.")
    services.message_post(application=application, actor=member.user, body="Welcome! Any questions?")
    base = live_server.url
    thread_url = f"{base}/applications/{application.pk}/"

    brand_context = browser.new_context(viewport={"width": width, "height": HEIGHTS[width]})
    browser_problems.watch_context(brand_context)
    brand = brand_context.new_page()
    brand.clock.install()
    page.clock.install()
    use_width(page, width)

    # The creator has the thread open; the brand owner has the inbox open.
    log_in(page, base, "rae@example.com")
    page.goto(thread_url)
    log_in(brand, base, "owner@oats.example")
    brand.goto(base + "/messages/")
    rows = brand.locator("#inbox-list .inbox-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Oat bars on the trail")
    expect(brand.locator("#nav-messages-count")).to_be_hidden()
    stay_marker(brand)

    send(page, "Can I film on Saturday?")
    let_time_pass(brand, POLL)

    # The brand's inbox: the conversation comes back at the top, once, with its unread count and the nav badge.
    top = rows.first
    expect(top).to_contain_text("Can I film on Saturday?", timeout=LIVE)
    expect(top).to_contain_text("Rae Lens")
    expect(top.locator(".inbox-count")).to_have_text(re.compile(r"^1\s*unread message$"))
    expect(rows).to_have_count(2)
    expect(brand.locator("#nav-messages-count")).to_have_text(re.compile(r"^1\s*unread$"))
    assert_not_reloaded(brand)
    axe_check(brand)
    assert_no_sideways_scroll(brand)
    shot(brand, "messages", "1-inbox")

    # The brand opens it (read), the creator keeps the thread open, the brand answers.
    top.get_by_role("link").click()
    expect(brand).to_have_url(re.compile(rf"/applications/{application.pk}/"))
    expect(brand.locator("#nav-messages-count")).to_be_hidden()
    stay_marker(page)
    send(brand, "Saturday works, thank you!")
    let_time_pass(page, POLL)

    expect(page.locator("#thread-list")).to_contain_text("Saturday works, thank you!", timeout=LIVE)
    expect(page.locator("#thread-list li:not([hidden])")).to_have_count(3)
    assert_not_reloaded(page)
    axe_check(page)
    assert_no_sideways_scroll(page)
    shot(page, "messages", "2-thread-live")

    # What the creator saw on the open page is read: their inbox shows no unread count.
    page.goto(base + "/messages/")
    expect(page.locator(".inbox-count")).to_have_count(1)  # only the other thread, never opened
    expect(page.locator("#inbox-list .inbox-row").first).to_contain_text("Saturday works, thank you!")
    axe_check(page)
    assert_no_sideways_scroll(page)
    shot(page, "messages", "3-creator-inbox")
    brand_context.close()


def test_a_hidden_tab_does_not_poll_and_a_replaced_poller_does_not_keep_polling(page: Page, live_server):
    member = BrandMemberFactory(user__email="owner@oats.example")
    creator = make_creator(user__email="rae@example.com")
    application = services.application_submit(
        campaign=make_open_campaign(member), creator=creator, actor=creator.user, pitch="Trail reels."
    )
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "/messages/new/" in r.url else None)
    page.clock.install()
    log_in(page, live_server.url, "rae@example.com")
    page.goto(f"{live_server.url}/applications/{application.pk}/")

    # The tab is hidden: no request at all for two intervals.
    page.evaluate("""() => {
        Object.defineProperty(document, "hidden", {configurable: true, get: () => true});
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    polls.clear()
    let_time_pass(page, 11_000)
    page.wait_for_timeout(500)  # any request sent would have been reported by now
    assert polls == []

    # Shown again: polling resumes, and a message arrives (the poller is replaced by a new one).
    page.evaluate("""() => {
        Object.defineProperty(document, "hidden", {configurable: true, get: () => false});
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    services.message_post(application=application, actor=member.user, body="Still there?")
    let_time_pass(page, POLL)
    expect(page.locator("#thread-list")).to_contain_text("Still there?", timeout=LIVE)
    # One poller after the swap, not two: over 3 intervals, 3 requests at most (4 with a tick at each edge).
    polls.clear()
    let_time_pass(page, 15_000)
    page.wait_for_timeout(500)
    assert 2 <= len(polls) <= 4, polls
    assert page.locator("[data-poll]").count() == 1
