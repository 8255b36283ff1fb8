"""Verified accounts: creators connect Instagram, TikTok and YouTube through the platforms' OAuth flows (issue 11).

allauth's social providers run the flow (state, PKCE where the platform takes it, the code exchange and
the profile call); this module decides what a finished flow means. It is connect-only: nobody signs up or
signs in with a platform (``is_open_for_signup`` is False and a finished flow never logs anyone in).
A creator who finishes a flow gets the account linked and marked verified through one service,
``creators.services.social_account_connect``; allauth stores nothing (``SOCIALACCOUNT_STORE_TOKENS`` is
False): the tokens live encrypted on ``creators.SocialAccount`` (core/encryption.py), and creators/tokens.py
keeps them usable (the beat renews them before they expire; the pipeline asks for a fresh one).

Every HTTP call of the flows goes through ``SocialAccountAdapter.get_requests_session``. With
``OAUTH_ENDPOINT_OVERRIDE`` set (tests: a local fake, tests/fakes/oauth.py), ``https://HOST/PATH`` is
sent to ``OVERRIDE/HOST/PATH`` instead, so the real allauth clients and ours talk to the fake unchanged.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from creators.connect import PLATFORM_OF_PROVIDER, app_credentials
from creators.models import Creator
from creators.services import CreatorError, social_account_connect
from creators.tokens import (
    INSTAGRAM_EXCHANGE_URL,
    YOUTUBE_CHANNELS_URL,
    OAuthError,
    expires_after,
    http_session,
    platform_json,
    request_timeout,
)

log = logging.getLogger(__name__)


@dataclass
class Identity:
    platform: str
    handle: str
    external_id: str
    access_token: str
    refresh_token: str
    expires_at: dt.datetime | None


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
        data = platform_json(
            session.get(
                INSTAGRAM_EXCHANGE_URL,
                params={"grant_type": "ig_exchange_token", "client_secret": secret, "access_token": short_token},
                timeout=request_timeout(),
            )
        )
    if not data.get("access_token"):
        raise OAuthError("Instagram gave no long-lived token")
    return data["access_token"], expires_after(data.get("expires_in"))


def _youtube_channel(access_token: str) -> tuple[str, str]:
    with http_session() as session:
        data = platform_json(
            session.get(
                YOUTUBE_CHANNELS_URL,
                params={"part": "snippet", "mine": "true"},
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=request_timeout(),
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
        kwargs.setdefault("timeout", request_timeout())
        return request(method, url, **kwargs)

    return call
