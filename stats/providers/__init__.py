"""Platform statistics providers: one interface, one adapter per platform, a demo fallback.

Pure Python (no Django). See ``base`` for the interface and error contract and
``registry.get_provider`` for choosing an adapter from settings.
"""

from .base import (
    AccountGone,
    AccountRef,
    AccountStats,
    AuthError,
    MalformedResponse,
    PostStats,
    Provider,
    ProviderError,
    QuotaExceeded,
    RateLimited,
    TransientError,
)
from .demo import DemoProvider
from .instagram import InstagramProvider
from .linkedin import LinkedInProvider
from .registry import get_provider
from .tiktok import TikTokProvider
from .youtube import YouTubeProvider

__all__ = [
    "AccountGone",
    "AccountRef",
    "AccountStats",
    "AuthError",
    "DemoProvider",
    "InstagramProvider",
    "LinkedInProvider",
    "MalformedResponse",
    "PostStats",
    "Provider",
    "ProviderError",
    "QuotaExceeded",
    "RateLimited",
    "TikTokProvider",
    "TransientError",
    "YouTubeProvider",
    "get_provider",
]
