"""Sign-in (issue 8, points 3 and 4): one limiter for the login page, the admin login and the API
token endpoint, keyed per account and per client IP, where the client IP is REMOTE_ADDR unless a
trusted proxy count is configured; and a second factor for staff before any admin page.

Rates under test are the product's (settings.ACCOUNT_RATE_LIMITS["login_failed"]):
10 failures a minute per client IP, 5 failures in 5 minutes per account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.test import override_settings
from playwright.sync_api import Page, expect

from tests.factories import UserFactory
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/accounts/login/"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
LOCKED_MESSAGE = "Too many failed login attempts. Try again later."


def totp(secret: str = SECRET, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), written out here rather than taken from the code under test."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_totp_helper_matches_the_rfc_6238_vector():
    # RFC 6238 appendix B, SHA-1 seed "12345678901234567890", T = 59 s -> 94287082 (8 digits; 6 -> 287082).
    assert totp(base64.b32encode(b"12345678901234567890").decode(), at=59) == "287082"


def token(client, email, password, **extra):
    return client.post(
        TOKEN_URL,
        {"email": email, "password": password, **{k: v for k, v in extra.items() if not k.isupper()}},
        content_type="application/json",
        **{k: v for k, v in extra.items() if k.isupper()},
    )


def web_login(client, email, password, next_url=None, **meta):
    url = LOGIN_URL + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password}, **meta)


def verified_user(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def staff_with_totp(secret: str = SECRET, **kwargs):
    user = verified_user(role="", is_staff=True, is_superuser=True, **kwargs)
    TOTP.activate(user, secret)
    return user


# --- client IP and the per-IP limit -----------------------------------------------------------------


def test_spoofed_x_forwarded_for_does_not_reset_the_ip_limit(client):
    for n in range(10):  # a different account each time: only the per-IP limit can trip
        response = token(client, f"nobody{n}@example.com", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert response.status_code == 400
    blocked = token(client, "fresh@example.com", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert blocked.status_code == 429
    retry_after = int(blocked["Retry-After"])
    assert 1 <= retry_after <= 60
    assert blocked.json()["message"] == (
        f"Too many failed sign-in attempts. Try again later. Expected available in {retry_after} seconds."
    )
    # The same client address on the login page is locked too (one limiter).
    page = web_login(client, "fresh2@example.com", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.100")
    assert LOCKED_MESSAGE in page.content.decode()
    # Another client address is not affected.
    assert token(client, "fresh@example.com", "wrong", REMOTE_ADDR="192.0.2.7").status_code == 400


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_with_one_trusted_proxy_the_rightmost_forwarded_address_is_the_client(client):
    for n in range(10):
        assert token(client, f"nobody{n}@example.com", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 400
    assert token(client, "a@example.com", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # What the client wrote left of the proxy's entry is not read...
    assert token(client, "b@example.com", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.1").status_code == 429
    # ...and another real client behind the same proxy (same REMOTE_ADDR) has its own budget.
    assert token(client, "c@example.com", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 400


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_with_two_trusted_proxies_a_short_header_falls_back_to_remote_addr(client):
    for n in range(10):
        assert (
            token(
                client, f"nobody{n}@example.com", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="10.0.0.9"
            ).status_code
            == 400
        )
    # One entry cannot have come from two proxies of ours: the limit is on REMOTE_ADDR.
    assert (
        token(client, "a@example.com", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.2", REMOTE_ADDR="10.0.0.9").status_code
        == 429
    )
    assert (
        token(
            client, "b@example.com", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.8, 10.0.0.1", REMOTE_ADDR="10.0.0.9"
        ).status_code
        == 400
    )


# --- the per-account limit and one lockout for every path --------------------------------------------


def test_per_account_limit_holds_across_client_addresses(client):
    user = verified_user(email="target@example.com")
    for n in range(5):
        assert token(client, user.email, "wrong", REMOTE_ADDR=f"192.0.2.{n + 1}").status_code == 400
    # The right password from yet another address: still locked out, no token.
    blocked = token(client, user.email, PASSWORD, REMOTE_ADDR="192.0.2.50")
    assert blocked.status_code == 429 and "token" not in blocked.json()
    assert 240 <= int(blocked["Retry-After"]) <= 300
    # The email's case does not make a new account key.
    assert token(client, "TARGET@example.com", PASSWORD, REMOTE_ADDR="192.0.2.51").status_code == 429
    # The login page refuses the right password too.
    page = web_login(client, user.email, PASSWORD, REMOTE_ADDR="192.0.2.52")
    assert page.status_code == 200 and LOCKED_MESSAGE in page.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    other = verified_user(email="other@example.com")
    assert token(client, other.email, PASSWORD, REMOTE_ADDR="192.0.2.53").status_code == 200


def test_lockout_on_the_login_page_blocks_the_token_endpoint_and_the_admin_login(client):
    staff = staff_with_totp(email="ops@example.com")
    for n in range(5):
        page = web_login(client, staff.email, "wrong", REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert "The email address and/or password you specified are not correct." in page.content.decode()
    assert token(client, staff.email, PASSWORD, code=totp(), REMOTE_ADDR="192.0.2.60").status_code == 429
    # The admin login is the same form: it sends there, and the right password is refused.
    admin_login = client.get("/admin/login/?next=/admin/creators/creator/")
    assert admin_login.status_code == 302
    assert admin_login["Location"] == "/accounts/login/?next=%2Fadmin%2Fcreators%2Fcreator%2F"
    page = web_login(client, staff.email, PASSWORD, next_url="/admin/", REMOTE_ADDR="192.0.2.61")
    assert LOCKED_MESSAGE in page.content.decode()
    assert client.get("/admin/").status_code == 302 and "_auth_user_id" not in client.session


def test_failures_on_the_token_endpoint_lock_the_login_page(client):
    user = verified_user(email="api-user@example.com")
    for _ in range(5):
        assert token(client, user.email, "wrong").status_code == 400
    page = web_login(client, user.email, PASSWORD, REMOTE_ADDR="192.0.2.70")
    assert LOCKED_MESSAGE in page.content.decode()


def test_a_successful_sign_in_does_not_count_against_the_account(client):
    user = verified_user(email="regular@example.com")
    for _ in range(8):
        assert token(client, user.email, PASSWORD).status_code == 200


def test_the_admin_password_form_is_gone(client):
    staff = staff_with_totp(email="ops2@example.com")
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_the_admin_login_sends_signed_in_non_staff_away(client):
    client.force_login(verified_user())
    assert client.get("/admin/login/").status_code == 403


# --- what the token endpoint refuses ----------------------------------------------------------------


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_unverified_email_gets_no_token_under_mandatory_verification(client):
    user = UserFactory(email="new@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = token(client, user.email, PASSWORD)
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Confirm your email address before using the API: follow the link we emailed you, "
        "or sign in on the website to get a new one."
    )
    assert "token" not in response.json()
    EmailAddress.objects.filter(user=user).update(verified=True)
    assert len(token(client, user.email, PASSWORD).json()["token"]) == 40


def test_unverified_email_gets_a_token_when_verification_is_optional(client):
    user = UserFactory(email="optional@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    assert token(client, user.email, PASSWORD).status_code == 200


def test_inactive_account_gets_the_same_answer_as_a_wrong_password(client):
    user = verified_user(email="gone@example.com", is_active=False)
    response = token(client, user.email, PASSWORD)
    assert response.status_code == 400 and response.json()["message"] == "Email or password is not correct."


def test_an_account_with_two_factor_needs_a_code_for_a_token(client):
    staff = staff_with_totp(email="ops3@example.com")
    missing = token(client, staff.email, PASSWORD)
    assert missing.status_code == 400
    assert missing.json()["errors"]["code"] == [
        "This account has two-factor authentication: send a code from the authenticator app."
    ]
    wrong = token(client, staff.email, PASSWORD, code="000000" if totp() != "000000" else "111111")
    assert wrong.status_code == 400 and wrong.json()["errors"]["code"] == ["Incorrect code."]
    assert token(client, staff.email, PASSWORD, code=totp()).status_code == 200


# --- staff and the second factor -----------------------------------------------------------------------

ADMIN_PAGES = [
    "/admin/",
    "/admin/marketplace/user/",
    "/admin/creators/creator/",
    "/admin/brands/brand/",
    "/admin/campaigns/campaign/",
    "/admin/password_change/",
    "/admin/jsi18n/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_staff_without_an_authenticator_app_is_sent_to_set_one_up(client, url):
    staff = verified_user(role="", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_staff_whose_session_did_not_pass_the_second_factor_are_asked_for_a_code(client, url):
    staff = staff_with_totp()
    client.force_login(staff)  # a session without an MFA step (e.g. signed in before TOTP was set up)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?" + f"next={url.replace('/', '%2F')}"


def test_staff_cannot_post_an_admin_action_without_the_second_factor(client):
    from tests.factories import BrandFactory

    brand = BrandFactory(status="pending")
    client.force_login(staff_with_totp())
    response = client.post("/admin/brands/brand/", {"action": "approve", "_selected_action": [brand.pk]})
    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.status == "pending"


def test_staff_signing_in_with_password_and_totp_reach_the_admin(client):
    staff = staff_with_totp(email="ops4@example.com")
    response = web_login(client, staff.email, PASSWORD, next_url="/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # password alone is not enough
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000" if totp() != "000000" else "111111"})
    assert "Incorrect code." in wrong.content.decode()
    response = client.post("/accounts/2fa/authenticate/", {"code": totp()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 200, url


def test_a_recovery_code_works_once(client):
    staff = staff_with_totp(email="ops5@example.com")
    code = RecoveryCodes.activate(staff).generate_codes()[0]
    web_login(client, staff.email, PASSWORD, next_url="/admin/")
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    client.logout()
    web_login(client, staff.email, PASSWORD, next_url="/admin/")
    again = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert again.status_code == 200 and "Incorrect code." in again.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_second_factor_counts_only_for_the_user_who_passed_it(client):
    staff = staff_with_totp(email="ops6@example.com")
    web_login(client, staff.email, PASSWORD, next_url="/admin/")
    client.post("/accounts/2fa/authenticate/", {"code": totp()})
    assert client.get("/admin/").status_code == 200
    other = verified_user(role="", is_staff=True, is_superuser=True)
    TOTP.activate(other, SECRET)
    client.force_login(other)  # another user in the same browser
    assert client.get("/admin/").status_code == 302


def test_setting_up_totp_passes_the_second_factor_and_staff_cannot_switch_it_off(
    client, django_capture_on_commit_callbacks
):
    staff = verified_user(role="", is_staff=True, is_superuser=True, email="ops7@example.com")
    web_login(client, staff.email, PASSWORD, next_url="/admin/")
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.content.decode())
    secret = secret or re.search(r'value="([A-Z2-7]{32})"', page.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret.group(1))})
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/recovery-codes/"
    codes_page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert re.search(r'href="/admin/"[^>]*>\s*Continue to the admin', codes_page)
    assert client.get("/admin/").status_code == 200
    assert "Continue to the admin" not in client.get("/accounts/2fa/recovery-codes/").content.decode()
    refused = client.post("/accounts/2fa/totp/deactivate/", follow=True)
    assert "You cannot deactivate two-factor authentication." in refused.content.decode()
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


# --- in a browser ---------------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_staff_signs_in_with_a_totp_code_and_reaches_the_admin(page: Page, live_server):
    staff = staff_with_totp(email="ada@example.com")
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fadmin%2F$"))
    page.get_by_label(re.compile(r"^Email")).fill(staff.email)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_placeholder("Code").fill(totp())
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_staff_without_totp_sets_it_up_and_continues_to_the_admin(page: Page, live_server):
    staff = verified_user(role="", is_staff=True, is_superuser=True, email="new-ops@example.com")
    page.goto(live_server.url + "/admin/brands/brand/")
    page.get_by_label(re.compile(r"^Email")).fill(staff.email)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.get_by_text("Staff accounts need two-factor authentication.")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    page.get_by_role("link", name="Continue to the admin").click()
    expect(page).to_have_url(re.compile(r"/admin/brands/brand/$"))
    expect(page.get_by_role("heading", name=re.compile("Select brand to change"))).to_be_visible()
