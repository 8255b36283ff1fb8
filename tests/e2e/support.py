"""What every browser test shares: a watch on console errors and CSP violations, axe-core, screenshots, widths.

- Every page of every e2e test is watched (``tests/e2e/conftest.py``): a console error, an uncaught script
  error or a ``securitypolicyviolation`` event fails the test, listing what the browser said.
- ``axe_check(page)`` injects axe-core (bundled by axe-playwright-python: no network) and fails on any serious or
  critical violation, listing rule, impact and the elements.
- ``shot(page, persona, step)`` saves ``docs/screenshots/<persona>-<step>-<width>.png`` when ``SCREENSHOTS=1``
  (``make screenshots``); otherwise it does nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.factories.users import PASSWORD

GALLERY = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP, PHONE = 1280, 390
HEIGHTS = {DESKTOP: 800, PHONE: 844}
BLOCKING_IMPACTS = ("serious", "critical")

# Runs in every document before its own scripts: report CSP violations on the console, where the watch sees them
# (Chromium also logs "Refused to …" itself; this makes the event, with its directive, explicit).
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('securitypolicyviolation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
                + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


class BrowserProblems:
    """Console errors, page errors and CSP violations seen on any page of one browser context."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def watch_context(self, context: BrowserContext) -> None:
        context.add_init_script(_CSP_LISTENER)
        context.on("page", self.watch_page)

    def watch_page(self, page: Page) -> None:
        page.on("console", lambda m: self._console(page, m))
        page.on("pageerror", lambda e: self.seen.append(f"script error on {page.url}: {e}"))

    def _console(self, page: Page, message) -> None:
        if message.type != "error":
            return
        # A page that answers with an error status on purpose (a refused form is a 400 that shows the form again)
        # makes Chromium log "Failed to load resource" for the document itself; the tests assert that status.
        # The same message for anything the page loads (a script, a stylesheet, an image) is still a problem.
        if message.text.startswith("Failed to load resource") and message.location.get("url") == page.url:
            return
        self.seen.append(f"console error on {page.url}: {message.text} ({message.location['url']})")


_axe = Axe()


def axe_violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now, one line per rule."""
    results = _axe.run(page)
    lines = []
    for v in results.response["violations"]:
        if v["impact"] in BLOCKING_IMPACTS:
            targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            lines.append(f"{v['impact']}: {v['id']} ({v['help']}) on {len(v['nodes'])} element(s): {targets}")
    return lines


def axe_check(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(violations)


def use_width(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})


def width_of(page: Page) -> int:
    return page.viewport_size["width"]


def shot(page: Page, persona: str, step: str, *, full_page: bool = False) -> None:
    """Into the committed gallery, only when asked (SCREENSHOTS=1), as a small palette PNG."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    from PIL import Image

    GALLERY.mkdir(parents=True, exist_ok=True)
    path = GALLERY / f"{persona}-{step}-{width_of(page)}.png"
    if full_page:  # from the top, or the sticky header is drawn where the window last was
        page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
    with Image.open(path) as img:
        small = img.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def assert_fits_width(page: Page, locator: Locator) -> None:
    """The element is inside the window's width with nothing scrolled sideways: a phone user can reach it."""
    page.evaluate("() => document.querySelectorAll('*').forEach(el => { if (el.scrollLeft) el.scrollLeft = 0; })")
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (
        f"{locator} spans x={box['x']:.0f}..{box['x'] + box['width']:.0f}, the window is {width} px wide"
    )


def assert_no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the window"


def assert_select_shows_its_choice(locator: Locator) -> None:
    """The chosen option's text fits in the closed select (a narrow one shows "Any lan")."""
    needed, room = locator.evaluate("""(select) => {
        const probe = document.createElement('span');
        const css = getComputedStyle(select);
        probe.style.font = css.font;  // CSSOM, which the CSP allows (unlike style attributes)
        probe.textContent = select.options[select.selectedIndex].text;
        probe.style.position = 'absolute'; probe.style.whiteSpace = 'nowrap';
        document.body.append(probe);
        const width = probe.getBoundingClientRect().width; probe.remove();
        const padding = parseFloat(css.paddingLeft) + parseFloat(css.paddingRight);
        return [width + 16, select.getBoundingClientRect().width - padding];  // 16 px: the arrow
    }""")
    assert needed <= room, f"{locator}: its text needs {needed:.0f} px, it has {room:.0f}"


def log_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login page (a fresh session) and land on the dashboard."""
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name=re.compile("Sign In|Log in", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
