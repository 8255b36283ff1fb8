"""Verified accounts: creators connect Instagram, TikTok and YouTube through the platforms' OAuth flows (issue 11).

allauth's social providers run the flow (state, PKCE where the platform takes it, the code exchange and
the profile call); this module decides what a finished flow means. It is connect-only: nobody signs up or
signs in with a platform (``is_open_for_signup`` is False and a finished flow never logs anyone in).
A creator who finishes a flow gets the account linked and marked verified through one service,
``creators.services.social_account_connect``; allauth stores nothing (``SOCIALACCOUNT_STORE_TOKENS`` is
False): the tokens live encrypted on ``creators.SocialAccount`` (core/encryption.py), and the beat renews
them before they expire (``refresh_expiring_tokens``).

Every HTTP call of the flows goes through ``SocialAccountAdapter.get_requests_session``. With
``OAUTH_ENDPOINT_OVERRIDE`` set (tests: a local fake, tests/fakes/oauth.py), ``https://HOST/PATH`` is
sent to ``OVERRIDE/HOST/PATH`` instead, so the real allauth clients and ours talk to the fake unchanged.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from creators.connect import PLATFORM_OF_PROVIDER, PROVIDER_OF_PLATFORM, app_credentials
from creators.models import Creator, SocialAccount
from creators.services import CreatorError, social_account_connect, social_account_tokens_update

log = logging.getLogger(__name__)

TIKTOK_TOKEN_URL = "https://open.tiktokapis.com/v2/oauth/token/"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
YOUTUBE_CHANNELS_URL = "https://www.googleapis.com/youtube/v3/channels"
INSTAGRAM_EXCHANGE_URL = "https://graph.instagram.com/access_token"
INSTAGRAM_REFRESH_URL = "https://graph.instagram.com/refresh_access_token"


class _Redirect(requests.adapters.HTTPAdapter):
    """Send https://HOST/PATH to BASE/HOST/PATH (the local fake); nothing else changes."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = urlsplit(base.rstrip("/"))

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        request.url = urlunsplit(
            (self.base.scheme, self.base.netloc, f"{self.base.path}/{url.netloc}{url.path}", url.query, "")
        )
        return super().send(request, **kwargs)


def http_session() -> requests.Session:
    session = requests.Session()
    if settings.OAUTH_ENDPOINT_OVERRIDE:
        session.mount("https://", _Redirect(settings.OAUTH_ENDPOINT_OVERRIDE))
    return session


def _timeout() -> float:
    return float(getattr(settings, "STATS_HTTP_TIMEOUT", 20.0))


def authorize_url_of(provider: str) -> str:
    """The platform's consent page the browser is sent to (the tests' fake serves its own)."""
    from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
    from allauth.socialaccount.providers.instagram.views import InstagramOAuth2Adapter
    from allauth.socialaccount.providers.tiktok.views import TikTokOAuth2Adapter

    adapter = {"google": GoogleOAuth2Adapter, "instagram": InstagramOAuth2Adapter, "tiktok": TikTokOAuth2Adapter}
    return adapter[provider].authorize_url


@dataclass
class Identity:
    platform: str
    handle: str
    external_id: str
    access_token: str
    refresh_token: str
    expires_at: dt.datetime | None


class OAuthError(Exception):
    """The platform's answer did not say who the account is, or refused the call."""


class PlatformUnavailable(OAuthError):
    """A 5xx or 429: try again later; the token itself may be fine."""


def _expires(seconds, now: dt.datetime | None = None) -> dt.datetime | None:
    try:
        return (now or timezone.now()) + dt.timedelta(seconds=int(seconds))
    except (TypeError, ValueError):
        return None


def _json(response: requests.Response) -> dict:
    if response.status_code == 429 or response.status_code >= 500:
        raise PlatformUnavailable(f"{response.status_code}: {response.text[:200]}")
    try:
        data = response.json()
    except ValueError:
        raise OAuthError(f"{response.status_code}: not JSON") from None
    if not response.ok or not isinstance(data, dict):
        raise OAuthError(f"{response.status_code}: {str(data)[:200]}")
    return data


def identity_of(sociallogin) -> Identity:
    """Who the finished flow proved, with tokens ready to keep (Instagram's swapped for a long-lived one)."""
    provider = sociallogin.account.provider
    platform = PLATFORM_OF_PROVIDER.get(provider)
    if platform is None:
        raise OAuthError(f"unknown provider {provider}")
    token = sociallogin.token
    data = sociallogin.account.extra_data or {}
    access, refresh, expires_at = token.token, token.token_secret or "", token.expires_at
    if provider == "tiktok":
        handle, external_id = data.get("username") or "", data.get("open_id") or sociallogin.account.uid
    elif provider == "instagram":
        handle, external_id = data.get("username") or "", str(data.get("id") or sociallogin.account.uid)
        access, expires_at = _instagram_long_lived(access)
    else:  # google → the YouTube channel the signed-in Google account owns
        handle, external_id = _youtube_channel(access)
    if not handle or not external_id:
        raise OAuthError("the platform gave no account name")
    return Identity(platform, handle, str(external_id), access, refresh, expires_at)


def _instagram_long_lived(short_token: str) -> tuple[str, dt.datetime | None]:
    """Swap the 1-hour token of the code exchange for a 60-day one (Instagram API with Instagram Login)."""
    _client_id, secret = app_credentials("instagram") or ("", "")
    with http_session() as session:
        data = _json(
            session.get(
                INSTAGRAM_EXCHANGE_URL,
                params={"grant_type": "ig_exchange_token", "client_secret": secret, "access_token": short_token},
                timeout=_timeout(),
            )
        )
    if not data.get("access_token"):
        raise OAuthError("Instagram gave no long-lived token")
    return data["access_token"], _expires(data.get("expires_in"))


def _youtube_channel(access_token: str) -> tuple[str, str]:
    with http_session() as session:
        data = _json(
            session.get(
                YOUTUBE_CHANNELS_URL,
                params={"part": "snippet", "mine": "true"},
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=_timeout(),
            )
        )
    items = data.get("items") or []
    if not items:
        raise OAuthError("no channel")
    snippet = items[0].get("snippet") or {}
    handle = (snippet.get("customUrl") or "").lstrip("@")
    return handle, str(items[0].get("id") or "")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Connect-only OAuth: a finished flow links a verified account to the signed-in creator, nothing else."""

    def get_requests_session(self):
        session = http_session()
        session.request = _with_timeout(session.request)
        return session

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("This platform is not connected on this site.") from None

    def pre_social_login(self, request, sociallogin) -> None:
        raise ImmediateHttpResponse(self._finish(request, sociallogin))

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # The person declined on the platform's page, or the platform failed: back to the accounts page.
        log.info("OAuth %s failed: %s %s", getattr(provider, "id", provider), error, exception)
        if request.user.is_authenticated:
            messages.error(request, _("The platform did not confirm the account, so nothing was linked."))
            raise ImmediateHttpResponse(HttpResponseRedirect(reverse("creators:accounts")))
        return super().on_authentication_error(request, provider, error, exception, extra_context)

    def _finish(self, request, sociallogin) -> HttpResponseRedirect:
        accounts_page = HttpResponseRedirect(reverse("creators:accounts"))
        creator = None
        if request.user.is_authenticated:
            creator = Creator.objects.filter(user=request.user).first()
        if sociallogin.state.get("process") != "connect" or creator is None:
            messages.error(request, _("Sign in with your email. Creators connect accounts from their profile."))
            return HttpResponseRedirect(reverse("account_login"))
        try:
            who = identity_of(sociallogin)
        except (OAuthError, requests.RequestException) as exc:
            log.warning("OAuth %s: %s", sociallogin.account.provider, exc)
            messages.error(request, _("The platform did not say which account you connected. Please try again."))
            return accounts_page
        try:
            account = social_account_connect(
                creator=creator,
                actor=request.user,
                platform=who.platform,
                handle=who.handle,
                external_id=who.external_id,
                access_token=who.access_token,
                refresh_token=who.refresh_token,
                expires_at=who.expires_at,
            )
        except CreatorError as exc:
            messages.error(request, str(exc))
            return accounts_page
        messages.success(
            request,
            _("%(platform)s @%(handle)s is connected and verified.")
            % {"platform": account.get_platform_display(), "handle": account.handle},
        )
        return accounts_page


def _with_timeout(request):
    def call(method, url, **kwargs):
        kwargs.setdefault("timeout", _timeout())
        return request(method, url, **kwargs)

    return call


# --- Renewing tokens (beat) ------------------------------------------------------------------------


def _renew(account: SocialAccount, session: requests.Session, now: dt.datetime) -> tuple[str, str, dt.datetime | None]:
    provider = PROVIDER_OF_PLATFORM[account.platform]
    client_id, secret = app_credentials(provider) or ("", "")
    if account.platform == "instagram":
        data = _json(
            session.get(
                INSTAGRAM_REFRESH_URL,
                params={"grant_type": "ig_refresh_token", "access_token": account.access_token},
                timeout=_timeout(),
            )
        )
        return data.get("access_token") or "", account.refresh_token, _expires(data.get("expires_in"), now)
    if not account.refresh_token:
        raise OAuthError("no refresh token")
    if account.platform == "tiktok":
        url, key = TIKTOK_TOKEN_URL, "client_key"
    else:
        url, key = GOOGLE_TOKEN_URL, "client_id"
    body = {key: client_id, "client_secret": secret, "grant_type": "refresh_token"}
    data = _json(session.post(url, data={**body, "refresh_token": account.refresh_token}, timeout=_timeout()))
    # TikTok may rotate the refresh token; Google keeps the old one unless it sends a new one.
    return (
        data.get("access_token") or "",
        data.get("refresh_token") or account.refresh_token,
        _expires(data.get("expires_in"), now),
    )


# The beat keeps these alive: Instagram's 60-day token is lost for good if it lapses, TikTok's lasts 24 h and
# the stats pipeline reads with it daily. Google's lasts 1 h and its refresh token does not expire, so a
# YouTube token is renewed when it is used (fresh_access_token), not every hour by the beat.
KEPT_ALIVE = ("instagram", "tiktok")


def _renew_and_keep(account: SocialAccount, session: requests.Session, now: dt.datetime) -> str:
    """Renew one account's token and store the outcome: "renewed", "failed" (re-link) or "deferred"."""
    try:
        access, refresh, expires_at = _renew(account, session, now)
        if not access:
            raise OAuthError("no access token in the answer")
    except (PlatformUnavailable, requests.RequestException) as exc:
        log.info("Renewing the %s token of account %s deferred: %s", account.platform, account.pk, exc)
        return "deferred"  # the next run tries again; the token may still be valid
    except OAuthError as exc:
        log.warning("Renewing the %s token of account %s failed: %s", account.platform, account.pk, exc)
        social_account_tokens_update(account=account, failed=True, error=str(exc)[:200])
        return "failed"
    social_account_tokens_update(account=account, access_token=access, refresh_token=refresh, expires_at=expires_at)
    return "renewed"


def refresh_expiring_tokens(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Renew the Instagram and TikTok access tokens that expire within OAUTH_RENEW_BEFORE_HOURS.

    Idempotent: a renewed token's new expiry is past the window, so a second run renews nothing. A token
    the platform refuses (revoked, expired refresh token) marks the account "needs re-linking"; its
    creator reconnects from the accounts page. An outage (5xx, 429, no answer) changes nothing and the
    next run tries again. Returns counts by outcome.
    """
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.OAUTH_RENEW_BEFORE_HOURS)
    platforms = [p for p in KEPT_ALIVE if app_credentials(PROVIDER_OF_PLATFORM[p])]
    due = SocialAccount.objects.filter(
        verified=True, connected_at__isnull=False, token_expires_at__lt=horizon, platform__in=platforms
    ).exclude(refresh_status="error")
    counts = {"renewed": 0, "failed": 0, "deferred": 0}
    with http_session() as session:
        for account in due.order_by("token_expires_at")[: settings.OAUTH_RENEW_MAX_PER_RUN]:
            counts[_renew_and_keep(account, session, now)] += 1
    return counts


def fresh_access_token(account: SocialAccount, *, now: dt.datetime | None = None) -> str:
    """The account's access token, renewed first when it expires within five minutes ("" if it cannot be)."""
    now = now or timezone.now()
    if not account.access_token or account.refresh_status == "error":
        return ""
    if account.token_expires_at is None or account.token_expires_at > now + dt.timedelta(minutes=5):
        return account.access_token
    with http_session() as session:
        outcome = _renew_and_keep(account, session, now)
    if outcome != "renewed":
        return ""
    account.refresh_from_db(fields=["access_token", "refresh_token", "token_expires_at"])
    return account.access_token
