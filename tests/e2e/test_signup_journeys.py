"""Sign up in real Chromium and land on the right next step."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_creator_signs_up_and_starts_a_profile(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Join as a creator").click()
    expect(page.get_by_label("Creator")).to_be_checked()
    page.get_by_label(re.compile(r"^Your name")).fill("Rae Lens")
    page.get_by_label(re.compile(r"^Email")).fill("rae@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-unusual-pass-42")
    page.get_by_label(re.compile(r"^Password \(again\)")).fill("a-long-unusual-pass-42")
    page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(re.compile(r"/creator/start/$"))
    expect(page.get_by_role("heading", name="Start your creator profile")).to_be_visible()
    page.get_by_label("Display name").fill("Rae Lens")
    page.get_by_label("Handle").fill("rae-lens")
    page.get_by_role("button", name="Create my profile").click()
    # Step 2 of 3 (issue 14.4): linking accounts, then rates, then the dashboard.
    expect(page).to_have_url(re.compile(r"/creator/profile/accounts/$"))
    expect(page.get_by_test_id("onboarding")).to_contain_text("Step 2 of 3")
    page.get_by_role("link", name="Next: Set your rates →").click()
    expect(page.get_by_test_id("onboarding")).to_contain_text("Step 3 of 3")
    page.get_by_role("link", name="Finish: go to your dashboard →").click()
    expect(page.get_by_role("heading", name="Welcome, Rae Lens")).to_be_visible()
    expect(page.get_by_test_id("vetting-wait")).to_contain_text("usually within 2 working days")


def test_brand_signs_up_and_creates_a_brand(page: Page, live_server):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Brand").check()
    page.get_by_label(re.compile(r"^Email")).fill("owner@oat.example")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-unusual-pass-42")
    page.get_by_label(re.compile(r"^Password \(again\)")).fill("a-long-unusual-pass-42")
    page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(re.compile(r"/brand/new/$"))
    page.get_by_label("Company name").fill("Oat & Co")
    page.get_by_role("button", name="Create brand").click()
    expect(page.get_by_test_id("onboarding")).to_contain_text("Step 2 of 2")  # the first brief
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", name="Oat & Co")).to_be_visible()
    expect(page.get_by_text("Pending review")).to_be_visible()


def test_signup_with_a_weak_password_explains_and_keeps_what_was_typed(page: Page, live_server):
    page.goto(live_server.url + "/accounts/signup/?role=brand")
    page.get_by_label(re.compile(r"^Your name")).fill("Pat Lee")
    page.get_by_label(re.compile(r"^Email")).fill("pat@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill("password123")
    page.get_by_label(re.compile(r"^Password \(again\)")).fill("password123")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text("This password is too common.")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Email"))).to_have_value("pat@example.com")
    expect(page.get_by_label(re.compile(r"^Your name"))).to_have_value("Pat Lee")
    expect(page.get_by_label("Brand")).to_be_checked()
