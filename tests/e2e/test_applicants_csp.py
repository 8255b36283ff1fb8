"""Issue 14 point 11: shortlisting on the applicants page (an htmx swap of the row) causes no CSP
violation and no console error: the page listens for both and the test fails on any.

The violation came from htmx's settle step: for an element whose id is in both the old and the new row
(the decline message box), htmx copies the old element's ``style`` attribute onto the new one with
``setAttribute``, which ``style-src 'self'`` refuses. The box gets a style attribute when the brand drags its
resize handle (the browser writes the new height there), so the test drags it before shortlisting."""

import re

import pytest
from playwright.sync_api import Page, expect

from campaigns import services
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory
from tests.factories.users import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(
    e.violatedDirective + " " + (e.sample || "") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def test_shortlisting_an_applicant_raises_no_csp_violation(page: Page, live_server):
    member = BrandMemberFactory(user__email="owner@oats.example")
    campaign = make_open_campaign(member, title="Oat bars on the trail")
    creator = make_creator(followers=15_000, display_name="Rae Lens")
    services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Trail reels.", proposed_rate=150
    )
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.add_init_script(LISTEN)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(member.user.email)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In|Log in", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(f"{live_server.url}/brand/campaigns/{campaign.pk}/applicants/")
    row = page.locator("tr.applicant", has_text="Rae Lens")
    # The brand opens "Decline", drags the message box taller, changes their mind and shortlists instead.
    row.locator("summary", has_text="Decline").click()
    box = row.get_by_label("Message (optional)")
    bounds = box.bounding_box()
    page.mouse.move(bounds["x"] + bounds["width"] - 3, bounds["y"] + bounds["height"] - 3)
    page.mouse.down()
    page.mouse.move(bounds["x"] + bounds["width"] - 3, bounds["y"] + bounds["height"] + 60, steps=5)
    page.mouse.up()
    assert box.get_attribute("style")  # the browser keeps the dragged size inline: what htmx used to copy
    row.get_by_role("button", name="Shortlist").click()
    expect(row.get_by_text("Shortlisted")).to_be_visible()
    page.wait_for_timeout(300)  # htmx settles 20 ms after the swap; violations are reported asynchronously

    assert page.evaluate("window.__cspViolations") == []
    assert console_errors == []
