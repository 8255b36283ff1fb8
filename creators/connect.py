"""Which platforms a creator can connect through OAuth here, and where the flow starts (issue 11).

The flows themselves are allauth's, finished by marketplace/oauth.py; the profiles only need to know
which "Connect" buttons to offer: a platform whose OAuth app credentials are configured in settings.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

# Our platform → allauth's provider id. Google's flow is how a YouTube channel's owner proves it.
PROVIDER_OF_PLATFORM = {"instagram": "instagram", "tiktok": "tiktok", "youtube": "google"}
PLATFORM_OF_PROVIDER = {provider: platform for platform, provider in PROVIDER_OF_PLATFORM.items()}


# The platforms' consent pages: the accounts page's "Connect" forms end there after our redirect, and the
# CSP's form-action covers redirects too, so that page (only) allows them (creators.views.accounts).
CONSENT_ORIGINS = [
    "https://www.tiktok.com",
    "https://api.instagram.com",
    "https://www.instagram.com",  # api.instagram.com's consent page sends the browser on to it
    "https://accounts.google.com",
]


def app_credentials(provider: str) -> tuple[str, str] | None:
    """(client id, secret) of the provider's app from settings, or None when the platform is not configured."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get(provider, {}).get("APPS") or []
    if not apps or not apps[0].get("client_id"):
        return None
    return apps[0]["client_id"], apps[0].get("secret", "")


def connectable_platforms() -> list[str]:
    """The platforms whose OAuth app is configured, in the order the accounts page offers them."""
    return [platform for platform, provider in PROVIDER_OF_PLATFORM.items() if app_credentials(provider)]


def connect_url(platform: str) -> str:
    """Where the accounts page POSTs to start the platform's flow (allauth's login view, in connect mode)."""
    provider = PROVIDER_OF_PLATFORM[platform]
    return f"{reverse(f'{provider}_login')}?{urlencode({'process': 'connect'})}"
