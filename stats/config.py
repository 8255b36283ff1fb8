"""The pipeline's configuration: providers from settings, the per-platform limiter, the Redis prefix."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

from core.ratelimit import RateLimiter, redis_client

from .providers.base import Provider
from .providers.registry import SETTINGS_KEYS, get_provider

REDIS_PREFIX = "stats:"


def stats_settings() -> dict[str, Any]:
    """The registry's keys from Django settings, falling back to the environment for keys not in settings."""
    values: dict[str, Any] = {}
    for key in SETTINGS_KEYS:
        if hasattr(settings, key):
            values[key] = getattr(settings, key)
        elif key in os.environ and key != "LINKEDIN_SELF_REPORTED":  # a mapping or callable, never a string
            values[key] = os.environ[key]
    return values


def provider_for(platform: str) -> Provider:
    return get_provider(platform, stats_settings())


def limiter_for(provider: Provider) -> RateLimiter:
    """The platform's limiter shared by every worker: ``requests_per_minute`` in any 60 s window.

    STATS_RATE_WINDOW_SECONDS shrinks the window with the same count (tests, benchmark).
    """
    window = float(getattr(settings, "STATS_RATE_WINDOW_SECONDS", 60.0))
    return RateLimiter(redis_client(), f"{REDIS_PREFIX}rl:{provider.platform}", provider.requests_per_minute, window)
