"""Pick the provider for a platform from a settings mapping.

The caller passes ``django.conf.settings``-like values as a plain mapping (for
example ``{k: getattr(settings, k) for k in SETTINGS_KEYS if hasattr(settings, k)}``)
so this module never imports Django. Real adapters are chosen only when their
credentials are present; otherwise the demo provider keeps the product
working offline.

Keys read (all optional):

* ``STATS_PROVIDER_DEMO``: truthy → demo for every platform, whatever else is set.
* ``YOUTUBE_API_KEY`` (→ real YouTube), ``YOUTUBE_API_BASE``, ``YOUTUBE_ANALYTICS_BASE`` (the Analytics API
  that reads a connected channel's audience with its owner's token).
* ``INSTAGRAM_ACCESS_TOKEN`` and ``INSTAGRAM_IG_USER_ID`` (both → real
  Instagram), ``INSTAGRAM_API_BASE``, ``INSTAGRAM_API_VERSION``.
* ``TIKTOK_CLIENT_KEY`` or ``TIKTOK_API_BASE`` (→ real TikTok). TikTok reads
  with each creator's own OAuth token (``AccountRef.access_token``), so the app
  being registered is the signal, not a token in settings.
* ``LINKEDIN_SELF_REPORTED``: a mapping or callable (see LinkedInProvider);
  there is no LinkedIn statistics API, so without it LinkedIn is demo.
* ``<PLATFORM>_REQUESTS_PER_MINUTE`` overrides the documented default limit.
* ``STATS_HTTP_TIMEOUT`` (seconds, default 20) and ``STATS_RECENT_POSTS`` (default 12).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import Provider
from .demo import PLATFORMS, DemoProvider
from .instagram import InstagramProvider
from .linkedin import LinkedInProvider
from .tiktok import TikTokProvider
from .youtube import YouTubeProvider

SETTINGS_KEYS = (
    "STATS_PROVIDER_DEMO",
    "STATS_HTTP_TIMEOUT",
    "STATS_RECENT_POSTS",
    "YOUTUBE_API_KEY",
    "YOUTUBE_API_BASE",
    "YOUTUBE_ANALYTICS_BASE",
    "YOUTUBE_REQUESTS_PER_MINUTE",
    "INSTAGRAM_ACCESS_TOKEN",
    "INSTAGRAM_IG_USER_ID",
    "INSTAGRAM_API_BASE",
    "INSTAGRAM_API_VERSION",
    "INSTAGRAM_REQUESTS_PER_MINUTE",
    "TIKTOK_CLIENT_KEY",
    "TIKTOK_API_BASE",
    "TIKTOK_REQUESTS_PER_MINUTE",
    "LINKEDIN_SELF_REPORTED",
)


def _rpm(settings: Mapping[str, Any], platform: str) -> int | None:
    value = settings.get(f"{platform.upper()}_REQUESTS_PER_MINUTE")
    return int(value) if value else None


def get_provider(platform: str, settings: Mapping[str, Any]) -> Provider:
    """The provider for ``platform``: the real adapter when configured, else DemoProvider."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}; expected one of {PLATFORMS}")
    recent = int(settings.get("STATS_RECENT_POSTS") or 12)
    if settings.get("STATS_PROVIDER_DEMO"):
        return DemoProvider(platform, recent_posts=recent)
    read_timeout = float(settings.get("STATS_HTTP_TIMEOUT") or 20.0)
    timeout = (min(5.0, read_timeout), read_timeout)
    if platform == "youtube" and settings.get("YOUTUBE_API_KEY"):
        return YouTubeProvider(
            str(settings["YOUTUBE_API_KEY"]),
            base_url=str(settings.get("YOUTUBE_API_BASE") or YouTubeProvider.default_base_url),
            analytics_base_url=str(
                settings.get("YOUTUBE_ANALYTICS_BASE") or YouTubeProvider.default_analytics_base_url
            ),
            recent_posts=recent,
            timeout=timeout,
            requests_per_minute=_rpm(settings, platform),
        )
    if platform == "instagram" and settings.get("INSTAGRAM_ACCESS_TOKEN") and settings.get("INSTAGRAM_IG_USER_ID"):
        return InstagramProvider(
            str(settings["INSTAGRAM_ACCESS_TOKEN"]),
            str(settings["INSTAGRAM_IG_USER_ID"]),
            base_url=str(settings.get("INSTAGRAM_API_BASE") or InstagramProvider.default_base_url),
            api_version=str(settings.get("INSTAGRAM_API_VERSION") or "v25.0"),
            recent_posts=recent,
            timeout=timeout,
            requests_per_minute=_rpm(settings, platform),
        )
    if platform == "tiktok" and (settings.get("TIKTOK_CLIENT_KEY") or settings.get("TIKTOK_API_BASE")):
        return TikTokProvider(
            base_url=str(settings.get("TIKTOK_API_BASE") or TikTokProvider.default_base_url),
            recent_posts=recent,
            timeout=timeout,
            requests_per_minute=_rpm(settings, platform),
        )
    if platform == "linkedin" and settings.get("LINKEDIN_SELF_REPORTED") is not None:
        return LinkedInProvider(settings["LINKEDIN_SELF_REPORTED"])
    return DemoProvider(platform, recent_posts=recent)
