"""Verified accounts (issue 11): the real allauth flows and our finish against local fake OAuth servers.

Each test walks the flow the browser walks: POST the accounts page's "Connect" form → 302 to the
platform's consent page (its host rewritten to the fake, as OAUTH_ENDPOINT_OVERRIDE rewrites the
server-side calls) → the fake's 302 back to allauth's callback → our finish → the accounts page.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from creators.models import SocialAccount
from creators.tokens import fresh_access_token, refresh_expiring_tokens
from tests.factories import CreatorFactory, SocialAccountFactory, UserFactory
from tests.fakes.oauth import FakeOAuth

pytestmark = pytest.mark.django_db

CLIENTS = {
    "instagram": ("ig-app-1", "ig-secret"),
    "tiktok": ("tt-key-1", "tt-secret"),
    "google": ("g-client-1.apps.googleusercontent.com", "g-secret"),
}
CONSENT_HOST = {"instagram": "api.instagram.com", "tiktok": "www.tiktok.com", "google": "accounts.google.com"}


@pytest.fixture(scope="module")
def fake():
    with FakeOAuth(clients=CLIENTS) as server:
        yield server


@pytest.fixture(autouse=True)
def oauth_settings(settings, fake):
    providers = {name: dict(conf) for name, conf in settings.SOCIALACCOUNT_PROVIDERS.items()}
    for name, (client_id, secret) in CLIENTS.items():
        providers[name]["APPS"] = [{"client_id": client_id, "secret": secret, "key": ""}]
    settings.SOCIALACCOUNT_PROVIDERS = providers
    settings.OAUTH_ENDPOINT_OVERRIDE = fake.url
    fake.deny.clear()
    fake.next_person.clear()


@pytest.fixture
def me(client):
    creator = CreatorFactory()
    client.force_login(creator.user)
    return creator


def connect(client, fake, provider: str, platform: str):
    """Run one flow; returns the final response (the accounts page) and the consent redirect."""
    start = client.post(f"{reverse(f'{provider}_login')}?process=connect")
    assert start.status_code == 302, start
    consent = urlsplit(start["Location"])
    assert consent.netloc == CONSENT_HOST[provider]
    back = requests.get(f"{fake.url}/{consent.netloc}{consent.path}?{consent.query}", allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["Location"])
    assert callback.path == reverse(f"{provider}_callback")
    return client.get(f"{callback.path}?{callback.query}", follow=True), parse_qs(consent.query)


@pytest.mark.parametrize(
    ("provider", "platform", "handle", "external_id"),
    [
        ("tiktok", "tiktok", "mia.runs", "tt-open-id-0001"),
        ("instagram", "instagram", "mia.runs.ig", "17841400000000001"),
        ("google", "youtube", "MiaRunsTV", "UCmiaRunsChannel00000001"),
    ],
)
def test_connect_marks_the_account_verified_with_encrypted_tokens(
    client, fake, me, provider, platform, handle, external_id
):
    fake.consent(provider, handle=handle, external_id=external_id)
    response, consent = connect(client, fake, provider, platform)

    assert response.redirect_chain[-1][0] == reverse("creators:accounts")
    body = response.content.decode()
    assert f"@{handle} is connected and verified" in body
    account = SocialAccount.objects.get(creator=me, platform=platform)
    assert (account.handle, account.external_id, account.verified) == (handle, external_id, True)
    assert account.access_token and account.access_token in fake.access  # a token the platform issued
    assert account.connected_at is not None and account.token_expires_at > timezone.now()
    # At rest the tokens are ciphertext, never the token itself.
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM creators_socialaccount WHERE id = %s", [account.pk])
        stored_access, stored_refresh = cursor.fetchone()
    assert account.access_token not in stored_access
    assert not account.refresh_token or account.refresh_token not in stored_refresh
    # allauth keeps nothing of its own: no social account row, no token row.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM socialaccount_socialaccount")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM socialaccount_socialtoken")
        assert cursor.fetchone()[0] == 0
    assert AuditEntry.objects.filter(action="account_verified", target_id=me.pk).count() == 1
    # What each platform was asked for.
    expected_scope = {
        "tiktok": {"user.info.basic", "user.info.profile", "user.info.stats", "video.list"},
        "instagram": {"instagram_business_basic", "instagram_business_manage_insights"},
        "google": {
            "https://www.googleapis.com/auth/youtube.readonly",
            "https://www.googleapis.com/auth/yt-analytics.readonly",
        },
    }
    assert set(consent["scope"][0].replace(",", " ").split()) == expected_scope[provider]


def test_instagram_short_token_is_swapped_for_a_long_lived_one(client, fake, me):
    fake.consent("instagram", handle="mia.ig", external_id="17841400000000002")
    connect(client, fake, "instagram", "instagram")
    account = SocialAccount.objects.get(creator=me, platform="instagram")
    assert account.access_token.startswith("IGlong.")
    expires_in = (account.token_expires_at - timezone.now()).total_seconds()
    assert 5183944 - 60 < expires_in <= 5183944


def test_google_uses_pkce(client, fake, me):
    fake.consent("google", handle="PkceYT", external_id="UCpkce0000000000000000001")
    _response, consent = connect(client, fake, "google", "google")
    assert consent["code_challenge_method"] == ["S256"] and consent["code_challenge"][0]
    exchange = fake.exchanges[-1]
    assert (exchange["provider"], exchange["grant_type"]) == ("google", "authorization_code")
    assert exchange["code_verifier"]  # the fake checked it against the challenge


def test_a_replayed_callback_changes_nothing(client, fake, me):
    fake.consent("tiktok", handle="once.only", external_id="tt-open-id-0002")
    start = client.post(f"{reverse('tiktok_login')}?process=connect")
    consent = urlsplit(start["Location"])
    back = requests.get(f"{fake.url}/{consent.netloc}{consent.path}?{consent.query}", allow_redirects=False, timeout=5)
    callback = urlsplit(back.headers["Location"])
    client.get(f"{callback.path}?{callback.query}")
    account = SocialAccount.objects.get(creator=me, platform="tiktok")
    replay = client.get(f"{callback.path}?{callback.query}", follow=True)
    assert replay.status_code == 200
    account2 = SocialAccount.objects.get(creator=me, platform="tiktok")
    assert (account2.access_token, account2.connected_at) == (account.access_token, account.connected_at)


def test_connecting_verifies_the_creators_own_handle_link(client, fake, me):
    linked = SocialAccountFactory(creator=me, platform="tiktok", handle="Mia.Runs", followers=12_000)
    fake.consent("tiktok", handle="mia.runs", external_id="tt-open-id-0003")
    connect(client, fake, "tiktok", "tiktok")
    account = SocialAccount.objects.get(creator=me, platform="tiktok")
    assert account.pk == linked.pk and account.verified and account.followers == 12_000


def test_connecting_replaces_the_creators_wrong_unverified_handle(client, fake, me):
    SocialAccountFactory(creator=me, platform="tiktok", handle="typo.handle", followers=55)
    fake.consent("tiktok", handle="real.handle", external_id="tt-open-id-0004")
    connect(client, fake, "tiktok", "tiktok")
    account = SocialAccount.objects.get(creator=me, platform="tiktok")
    # The numbers belonged to the typo's account: they are gone until the first refresh of the real one.
    assert (account.handle, account.verified, account.followers, account.refresh_status) == (
        "real.handle",
        True,
        None,
        "pending",
    )


def test_the_owner_claims_a_handle_someone_else_linked_unverified(client, fake, me):
    squatter = SocialAccountFactory(platform="tiktok", handle="mia.runs")
    fake.consent("tiktok", handle="mia.runs", external_id="tt-open-id-0005")
    response, _ = connect(client, fake, "tiktok", "tiktok")
    assert "is connected and verified" in response.content.decode()
    assert not SocialAccount.objects.filter(pk=squatter.pk).exists()
    assert SocialAccount.objects.get(platform="tiktok", handle="mia.runs").creator == me
    claim = AuditEntry.objects.get(action="account_claimed")
    assert (claim.target_id, claim.note) == (squatter.creator_id, "tiktok @mia.runs")


def test_an_account_verified_by_another_profile_is_refused(client, fake, me):
    SocialAccountFactory(platform="tiktok", handle="mia.runs", external_id="tt-open-id-0006", verified=True)
    fake.consent("tiktok", handle="mia.runs", external_id="tt-open-id-0006")
    response, _ = connect(client, fake, "tiktok", "tiktok")
    assert "verified on another profile" in response.content.decode()
    assert not SocialAccount.objects.filter(creator=me).exists()


def test_declining_on_the_platform_links_nothing(client, fake, me):
    fake.deny_next("instagram")
    start = client.post(f"{reverse('instagram_login')}?process=connect")
    consent = urlsplit(start["Location"])
    back = requests.get(f"{fake.url}/{consent.netloc}{consent.path}?{consent.query}", allow_redirects=False, timeout=5)
    callback = urlsplit(back.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}", follow=True)
    assert response.status_code == 200
    assert "did not confirm the account" in response.content.decode()
    assert not SocialAccount.objects.filter(creator=me).exists()


def test_a_forged_callback_links_nothing(client, fake, me):
    client.post(f"{reverse('tiktok_login')}?process=connect")
    response = client.get(f"{reverse('tiktok_callback')}?code=made-up&state=forged", follow=True)
    assert response.status_code in (200, 400)
    assert not SocialAccount.objects.filter(creator=me).exists()


def test_nobody_signs_in_or_up_with_a_platform(client, fake):
    """Without process=connect (or without a creator signed in) a finished flow logs nobody in."""
    fake.consent("tiktok", handle="someone", external_id="tt-open-id-0007")
    start = client.post(reverse("tiktok_login"))
    consent = urlsplit(start["Location"])
    back = requests.get(f"{fake.url}/{consent.netloc}{consent.path}?{consent.query}", allow_redirects=False, timeout=5)
    callback = urlsplit(back.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}", follow=True)
    assert "Sign in with your email" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_a_brand_member_cannot_connect_creator_accounts(client, fake):
    client.force_login(UserFactory(role="brand"))
    fake.consent("tiktok", handle="brandy", external_id="tt-open-id-0008")
    start = client.post(f"{reverse('tiktok_login')}?process=connect")
    consent = urlsplit(start["Location"])
    back = requests.get(f"{fake.url}/{consent.netloc}{consent.path}?{consent.query}", allow_redirects=False, timeout=5)
    callback = urlsplit(back.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}", follow=True)
    assert "Creators connect accounts from their profile" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_accounts_page_offers_connect_buttons_and_marks_unverified_links(client, me):
    SocialAccountFactory(creator=me, platform="linkedin", handle="mia-runs", verified=False)
    body = client.get(reverse("creators:accounts")).content.decode()
    for label, url in [
        ("Connect Instagram", "/accounts/instagram/login/?process=connect"),
        ("Connect TikTok", "/accounts/tiktok/login/?process=connect"),
        ("Connect YouTube", "/accounts/google/login/?process=connect"),
    ]:
        assert label in body and f'action="{url}"' in body
    assert "unverified" in body


def test_without_credentials_no_button_and_the_flow_is_404(client, me, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        name: {**conf, "APPS": []} for name, conf in settings.SOCIALACCOUNT_PROVIDERS.items()
    }
    body = client.get(reverse("creators:accounts")).content.decode()
    assert "Connect TikTok" not in body and "Link an account" in body
    assert client.post(f"{reverse('tiktok_login')}?process=connect").status_code == 404


# --- Renewing tokens -----------------------------------------------------------------------------


def _connected(client, fake, provider, platform, handle, external_id):
    fake.consent(provider, handle=handle, external_id=external_id)
    connect(client, fake, provider, platform)
    return SocialAccount.objects.get(platform=platform, handle=handle)


def test_tokens_close_to_expiry_are_renewed_once(client, fake, me):
    tiktok = _connected(client, fake, "tiktok", "tiktok", "renew.tt", "tt-open-id-0010")
    instagram = _connected(client, fake, "instagram", "instagram", "renew.ig", "17841400000000010")
    youtube = _connected(client, fake, "google", "youtube", "RenewYT", "UCrenew000000000000000001")
    old = {a.platform: (a.access_token, a.refresh_token) for a in (tiktok, youtube, instagram)}
    later = timezone.now() + dt.timedelta(days=59, hours=23)  # Instagram's and TikTok's expire within 6 h

    assert refresh_expiring_tokens(now=later) == {"renewed": 2, "failed": 0, "deferred": 0}

    tiktok.refresh_from_db()
    instagram.refresh_from_db()
    youtube.refresh_from_db()
    assert tiktok.access_token != old["tiktok"][0] and tiktok.access_token in fake.access
    assert tiktok.refresh_token != old["tiktok"][1]  # TikTok rotates it
    assert tiktok.token_expires_at == later + dt.timedelta(seconds=86400)
    assert instagram.access_token.startswith("IGlong.") and instagram.access_token != old["instagram"][0]
    assert instagram.token_expires_at == later + dt.timedelta(seconds=5183944)
    assert youtube.access_token == old["youtube"][0]  # Google's is renewed on use, not by the beat
    # A second run at the same moment renews nothing (idempotent).
    assert refresh_expiring_tokens(now=later) == {"renewed": 0, "failed": 0, "deferred": 0}


def test_an_expired_youtube_token_is_renewed_when_used(client, fake, me):
    youtube = _connected(client, fake, "google", "youtube", "UseYT", "UCuse00000000000000000001")
    first = youtube.access_token
    assert fresh_access_token(youtube) == first  # valid for another hour: used as is
    later = timezone.now() + dt.timedelta(hours=2)
    renewed = fresh_access_token(youtube, now=later)
    assert renewed != first and renewed in fake.access
    youtube.refresh_from_db()
    assert youtube.access_token == renewed and youtube.token_expires_at == later + dt.timedelta(seconds=3599)
    assert fake.exchanges[-1]["grant_type"] == "refresh_token"


def test_a_revoked_refresh_token_marks_the_account_for_relinking(client, fake, me):
    account = _connected(client, fake, "tiktok", "tiktok", "revoked.tt", "tt-open-id-0011")
    fake.revoke_refresh_tokens()
    later = timezone.now() + dt.timedelta(hours=20)
    assert refresh_expiring_tokens(now=later) == {"renewed": 0, "failed": 1, "deferred": 0}
    account.refresh_from_db()
    assert account.refresh_status == "error" and account.verified
    body = client.get(reverse("creators:accounts")).content.decode()
    assert "Needs re-linking" in body
    # Connecting again heals it.
    fake.consent("tiktok", handle="revoked.tt", external_id="tt-open-id-0011")
    connect(client, fake, "tiktok", "tiktok")
    account.refresh_from_db()
    assert account.refresh_status == "pending" and account.refresh_error == ""


def test_a_platform_outage_defers_renewal_without_marking_anything(client, fake, me):
    account = _connected(client, fake, "tiktok", "tiktok", "outage.tt", "tt-open-id-0012")
    fake.fail("server_error", times=1, status=503)
    later = timezone.now() + dt.timedelta(hours=20)
    assert refresh_expiring_tokens(now=later) == {"renewed": 0, "failed": 0, "deferred": 1}
    account.refresh_from_db()
    assert account.refresh_status != "error"


def test_the_beat_renews_tokens_hourly():
    from marketplace.celery import app

    entry = app.conf.beat_schedule["marketplace-renew-oauth-tokens"]
    assert entry["task"] == "marketplace.tasks.renew_oauth_tokens"
    assert str(entry["schedule"]) == "<crontab: 50 * * * * (m/h/dM/MY/d)>"


@pytest.mark.parametrize(
    ("url", "to"),
    [
        ("/accounts/3rdparty/", "/creator/profile/accounts/"),
        ("/accounts/3rdparty/login/cancelled/", "/creator/profile/accounts/"),
        ("/accounts/3rdparty/signup/", "/accounts/login/"),
    ],
)
def test_allauths_own_social_pages_send_to_ours(client, me, url, to):
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, to)
