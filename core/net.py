"""The client's IP address: the one rule for the whole product (sign-in limits, audit, anything else).

``X-Forwarded-For`` is written by whoever sent the request, so it is ignored unless
``TRUSTED_PROXY_COUNT`` (settings, env var of the same name) says how many proxies we run in
front of the app. Each trusted proxy appends the address it received the request from, so the
client is the entry that many places from the right; anything further left was sent by the
client and is never read. With no trusted proxy the client is ``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (never taken from a header we do not trust)."""
    remote = _clean(request.META.get("REMOTE_ADDR")) or "0.0.0.0"  # only a limiter key, never a bind
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        # The request did not pass through every proxy we were told about (or one of them
        # does not set the header): no entry is known to be ours, so do not trust any.
        return remote
    return _clean(forwarded[-proxies]) or remote
