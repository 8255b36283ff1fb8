"""Tracked links: their short codes and where they send people (the campaign's landing page with UTM parameters).

``destination_for(code)`` is the redirect's one lookup: cached (the default cache) for ``RESULTS_LINK_CACHE_SECONDS``
including the answer "no such code", so a burst of clicks or of guessed codes costs the database nothing.
"""

from __future__ import annotations

import re
import secrets
import string
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.utils.text import slugify

ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 10  # 62**10 ≈ 8.4e17 codes (59.5 bits): not guessable, still short to type
MISSING = "-"
CODE_SHAPE = re.compile(r"[A-Za-z0-9]{1,16}")  # anything else is no code of ours: 404 without a lookup


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def utm_campaign(campaign) -> str:
    return f"{slugify(campaign.title)[:40].strip('-') or 'campaign'}-{campaign.pk}"


def utm_source(platforms: list[str]) -> str:
    """The hire's platform when all its deliverables are on one, else the marketplace itself."""
    distinct = sorted(set(platforms))
    return distinct[0] if len(distinct) == 1 else "marketplace"


def with_utm(url: str, *, source: str, campaign: str, content: str) -> str:
    """``url`` with our UTM parameters set (replacing any of the same name); its other parameters are kept."""
    parts = urlsplit(url)
    ours = {"utm_source": source, "utm_medium": "influencer", "utm_campaign": campaign, "utm_content": content}
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ours]
    return urlunsplit(parts._replace(query=urlencode(query + list(ours.items()))))


def landing_for(campaign) -> str:
    """The campaign's landing page; without one, the brand's website; without that, the public brief."""
    if campaign.landing_url:
        return campaign.landing_url
    if campaign.brand.website:
        return campaign.brand.website
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("campaigns:detail", args=[campaign.pk])


def _cache_key(code: str) -> str:
    return f"results:link:{code}"


def destination_for(code: str) -> tuple[int, str] | None:
    """(link id, address) for a code, or None: one cache read, a database read only on a miss."""
    key = _cache_key(code)
    cached = cache.get(key)
    if cached == MISSING:
        return None
    if cached is not None:
        return cached
    found = _load(code)
    cache.set(key, found or MISSING, settings.RESULTS_LINK_CACHE_SECONDS)
    return found


def _load(code: str) -> tuple[int, str] | None:
    from django.contrib.postgres.aggregates import ArrayAgg

    from .models import TrackedLink

    link = (
        TrackedLink.objects.filter(code=code)
        .select_related("campaign__brand", "application__creator")
        .annotate(platforms=ArrayAgg("application__deliverables__platform", default=[]))
        .first()
    )
    if link is None:
        return None
    address = with_utm(
        landing_for(link.campaign),
        source=utm_source([p for p in link.platforms if p]),
        campaign=utm_campaign(link.campaign),
        content=link.application.creator.handle,
    )
    return link.pk, address


def forget(codes) -> None:
    """Drop cached destinations (the landing page changed)."""
    cache.delete_many([_cache_key(c) for c in codes])
