from __future__ import annotations

from dataclasses import dataclass


class ProviderError(Exception):
    """A temporary failure (network, 5xx, rate limit): retry later with the same idempotency key."""


class ProviderRefused(Exception):
    """The provider said no (bad request, card declined, account not ready): retrying the same call will not help."""


@dataclass(frozen=True)
class Checkout:
    session_id: str
    url: str
