"""Payment providers: ``offline`` (money settled outside the platform, an admin marks it) and ``stripe``.

``provider()`` picks one from ``settings.PAYMENTS_PROVIDER``. Every provider answers the same calls; one that
cannot do a thing itself (offline: take a card, send a transfer) returns ``None`` and the money waits for an admin.
"""

from __future__ import annotations

from django.conf import settings

from .base import Checkout, ProviderError, ProviderRefused


def provider(name: str | None = None):
    name = name or settings.PAYMENTS_PROVIDER
    if name == "stripe":
        from .stripe_provider import StripeProvider

        return StripeProvider()
    if name == "offline":
        from .offline import OfflineProvider

        return OfflineProvider()
    raise ValueError(f"unknown payments provider {name!r}")


__all__ = ["Checkout", "ProviderError", "ProviderRefused", "provider"]
