"""Connected accounts' OAuth tokens: renewing them before they expire (issue 11, verified accounts).

The flows that obtain the tokens are marketplace/oauth.py's; keeping them usable belongs to the profiles,
so the statistics pipeline (which reads owner-only data with them) can ask for a fresh one:
``fresh_access_token(account)``. The beat renews Instagram's and TikTok's ahead of expiry
(``refresh_expiring_tokens``); Google's (1 h) are renewed on use.

Every call goes through ``http_session()``: with ``OAUTH_ENDPOINT_OVERRIDE`` set (tests: the local fake,
tests/fakes/oauth.py) ``https://HOST/PATH`` is sent to ``OVERRIDE/HOST/PATH`` instead.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from django.utils import timezone

from .connect import PROVIDER_OF_PLATFORM, app_credentials
from .models import RefreshStatus, SocialAccount
from .services import social_account_tokens_update

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


def request_timeout() -> float:
    return float(getattr(settings, "STATS_HTTP_TIMEOUT", 20.0))


class OAuthError(Exception):
    """The platform's answer did not say who the account is, or refused the call."""


class PlatformUnavailable(OAuthError):
    """A 5xx or 429: try again later; the token itself may be fine."""


def expires_after(seconds, now: dt.datetime | None = None) -> dt.datetime | None:
    try:
        return (now or timezone.now()) + dt.timedelta(seconds=int(seconds))
    except (TypeError, ValueError):
        return None


def platform_json(response: requests.Response) -> dict:
    if response.status_code == 429 or response.status_code >= 500:
        raise PlatformUnavailable(f"{response.status_code}: {response.text[:200]}")
    try:
        data = response.json()
    except ValueError:
        raise OAuthError(f"{response.status_code}: not JSON") from None
    if not response.ok or not isinstance(data, dict):
        raise OAuthError(f"{response.status_code}: {str(data)[:200]}")
    return data


def _renew(account: SocialAccount, session: requests.Session, now: dt.datetime) -> tuple[str, str, dt.datetime | None]:
    provider = PROVIDER_OF_PLATFORM[account.platform]
    client_id, secret = app_credentials(provider) or ("", "")
    if account.platform == "instagram":
        data = platform_json(
            session.get(
                INSTAGRAM_REFRESH_URL,
                params={"grant_type": "ig_refresh_token", "access_token": account.access_token},
                timeout=request_timeout(),
            )
        )
        return data.get("access_token") or "", account.refresh_token, expires_after(data.get("expires_in"), now)
    if not account.refresh_token:
        raise OAuthError("no refresh token")
    if account.platform == "tiktok":
        url, key = TIKTOK_TOKEN_URL, "client_key"
    else:
        url, key = GOOGLE_TOKEN_URL, "client_id"
    body = {key: client_id, "client_secret": secret, "grant_type": "refresh_token"}
    data = platform_json(
        session.post(url, data={**body, "refresh_token": account.refresh_token}, timeout=request_timeout())
    )
    # TikTok may rotate the refresh token; Google keeps the old one unless it sends a new one.
    return (
        data.get("access_token") or "",
        data.get("refresh_token") or account.refresh_token,
        expires_after(data.get("expires_in"), now),
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
    ).exclude(refresh_status=RefreshStatus.ERROR)
    counts = {"renewed": 0, "failed": 0, "deferred": 0}
    with http_session() as session:
        for account in due.order_by("token_expires_at")[: settings.OAUTH_RENEW_MAX_PER_RUN]:
            counts[_renew_and_keep(account, session, now)] += 1
    return counts


def fresh_access_token(account: SocialAccount, *, now: dt.datetime | None = None) -> str:
    """The account's access token, renewed first when it expires within five minutes ("" if it cannot be)."""
    now = now or timezone.now()
    if not account.access_token or account.refresh_status == RefreshStatus.ERROR:
        return ""
    if account.token_expires_at is None or account.token_expires_at > now + dt.timedelta(minutes=5):
        return account.access_token
    with http_session() as session:
        outcome = _renew_and_keep(account, session, now)
    if outcome != "renewed":
        return ""
    account.refresh_from_db(fields=["access_token", "refresh_token", "token_expires_at"])
    return account.access_token
