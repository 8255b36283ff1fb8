"""Look at a page as a person would: render it in headless Chromium and save a PNG.

    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8000/ /tmp/home.png [--login EMAIL] [--width 1280]

With --login the demo password is used to sign in first (and the demo admin's TOTP code, if asked).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from core.demo_accounts import DEMO_PASSWORD, demo_totp_code  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--login")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--full", action="store_true", help="whole page, not only the first screen")
    args = parser.parse_args()
    with sync_playwright() as p:
        launch = {
            "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
        }
        if Path("/usr/bin/chromium").exists():
            launch["executable_path"] = "/usr/bin/chromium"
        browser = p.chromium.launch(**launch)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        if args.login:
            base = "/".join(args.url.split("/")[:3])
            page.goto(base + "/accounts/login/")
            page.fill("input[name=login]", args.login)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            if "/accounts/2fa/authenticate/" in page.url:  # the demo admin's second factor
                page.fill("input[name=code]", demo_totp_code())
                page.click("main button[type=submit]")
                page.wait_for_load_state("networkidle")
        page.goto(args.url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=args.out, full_page=args.full)
        for e in errors:
            print("console error:", e)
        browser.close()


if __name__ == "__main__":
    main()
