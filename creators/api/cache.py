"""The creators list's representations, cached per creator (issue 13): serializing 24 creators with their accounts
and rates was half of the API's Python time.

Like the directory's cards (creators.cards), a representation is keyed by what it is made of: the creator's row and
related rows as the page's one statement loaded them (``card_digest``, set by selectors.directory_page), the
serializers' source code and what the representation takes from the request (scheme and host of the absolute avatar
URL). A cached representation is therefore never stale; CACHE_TTL only lets unused ones expire. Nothing in it
depends on who asks (CreatorSerializer has no per-user field).
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from . import serializers

logger = logging.getLogger(__name__)

CACHE_TTL = 15 * 60
_code_digest: str | None = None


def _prefix(request) -> str:
    global _code_digest
    if _code_digest is None:
        source = inspect.getsource(serializers)  # any change to a serializer gives new keys
        _code_digest = hashlib.blake2b(source.encode(), digest_size=8).hexdigest()
    return f"apicreator:{_code_digest}:{request.scheme}://{request.get_host()}:{settings.MEDIA_URL}:"


def cached_representations(creators: list, serialize: Callable[[list], list], *, request) -> list:
    """``serialize(creators)``, reusing the cached representation of every creator whose loaded rows are unchanged
    (one cache round trip per page); a cache that fails costs the serializing, never the response."""
    if not creators or not all(getattr(c, "card_digest", None) for c in creators):
        return serialize(creators)
    prefix = _prefix(request)
    keys = [prefix + c.card_digest for c in creators]
    try:
        found = cache.get_many(keys)
    except Exception:  # noqa: BLE001 - Redis down or full: serialize every creator
        logger.warning("creators API cache unavailable", exc_info=True)
        found = {}
    missing = [(key, c) for key, c in zip(keys, creators, strict=True) if key not in found]
    if missing:
        fresh = dict(zip((key for key, _c in missing), serialize([c for _k, c in missing]), strict=True))
        found.update(fresh)
        try:
            cache.set_many(fresh, CACHE_TTL)
        except Exception:  # noqa: BLE001
            logger.warning("creators API cache unavailable", exc_info=True)
    return [found[key] for key in keys]
