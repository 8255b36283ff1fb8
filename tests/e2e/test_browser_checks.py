"""The checks every journey relies on catch what they claim to, and what they caught stays fixed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.campaigns.world import make_creator, make_open_campaign
from tests.e2e.support import PHONE, assert_fits_width, axe_violations, use_width
from tests.factories import BrandMemberFactory
from tests.factories.users import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_watch_sees_a_csp_violation_a_console_error_and_a_script_error(page: Page, live_server, browser_problems):
    page.goto(live_server.url + "/")
    page.evaluate("() => document.body.setAttribute('style', 'color: red')")  # a style attribute: CSP says no
    page.evaluate("() => console.error('boom')")
    page.evaluate("() => setTimeout(() => { throw new Error('kaput') }, 0)")
    page.wait_for_timeout(200)
    seen = "\n".join(browser_problems.seen)
    assert "securitypolicyviolation: style-src-attr" in seen
    assert "console error on " + live_server.url + "/: boom" in seen
    assert "script error on " + live_server.url + "/: kaput" in seen
    browser_problems.seen.clear()  # seen, as it should be: this test passes


def test_axe_runs_offline_and_names_serious_violations(page: Page, live_server):
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
    )  # no CDN: axe-core comes from the installed package
    page.goto(live_server.url + "/")
    assert axe_violations(page) == []
    page.evaluate("""() => { const i = document.createElement('input'); i.id = 'unlabelled';
                             document.querySelector('main').append(i); }""")
    found = axe_violations(page)
    assert len(found) == 1 and found[0].startswith("critical: label ") and "#unlabelled" in found[0]


def test_shortlisting_in_place_keeps_the_csp_when_an_extension_styled_a_field(
    page: Page, live_server, browser_problems
):
    """Password managers and the like put style="" on fields; htmx used to copy it onto the swapped row (issue 11)."""
    member = BrandMemberFactory(user__email="owner@trail.example")
    creator = make_creator(display_name="Rae Lens")
    from campaigns import services

    campaign = make_open_campaign(member)
    services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Me", proposed_rate=150)
    use_width(page, PHONE)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("owner@trail.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/brand/campaigns/{campaign.pk}/applicants/")
    # As an extension does it: through the DevTools protocol, which the page's CSP does not govern.
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "tr.applicant textarea"})["nodeIds"]:
        cdp.send("DOM.setAttributeValue", {"nodeId": node, "name": "style", "value": ""})
    assert page.locator("tr.applicant textarea[style]").count() > 0
    page.wait_for_timeout(100)
    browser_problems.seen.clear()  # the page reports even that (an empty style is still "inline"); the swap must not
    row = page.locator("tr.applicant", has_text="Rae Lens")
    assert_fits_width(page, row.get_by_role("button", name="Shortlist"))  # on a phone too (issue 7)
    row.get_by_role("button", name="Shortlist").click()
    expect(row.get_by_text("Shortlisted")).to_be_visible()
    assert_fits_width(page, row.get_by_role("button", name="Accept"))
