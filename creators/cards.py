"""Controls on a creator's card in the directory, supplied by the apps above creators (a registry).

Dependencies point one way (docs/ARCHITECTURE.md): creators never imports campaigns. Campaigns
registers its "Invite to…" control here from CampaignsConfig.ready(); the directory's cards render
whatever is registered with ``{% card_controls creator %}`` (creators_tags).

A control is a callable ``(context, creator) -> str`` returning safe HTML ("" for nothing). It is
called once per card, so it must answer in a constant number of queries per request.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from django.template import Context

    from .models import Creator

logger = logging.getLogger(__name__)

Control = Callable[["Context", "Creator"], str]
_controls: list[Control] = []


def register(control: Control) -> None:
    if control not in _controls:
        _controls.append(control)


def unregister(control: Control) -> None:
    if control in _controls:
        _controls.remove(control)


def render_controls(context: Context, creator: Creator) -> SafeString:
    return mark_safe("".join(str(control(context, creator)) for control in _controls))  # each control returns safe HTML


# --- The card's body, cached (issue 13) ----------------------------------------------------------------------------
# Rendering 24 cards is most of the directory's Python time. A card's body (creators/_card.html: no request, no
# user, no controls) depends only on the creator's row and related rows as the page's one statement loaded them
# (selectors.directory_page sets ``card_digest``, a hash of that raw row), the language, the template and the URL
# prefixes. Keyed by all of them, a cached body is never stale: any change to a creator, an account, a rate or a
# niche name gives a new key; CARD_TTL only lets unused bodies expire. The controls (per user) are rendered around
# it on every request.

CARD_TEMPLATE = "creators/_card.html"
CARD_TTL = 15 * 60
_template_digest: str | None = None


def _card_key_prefix() -> str:
    global _template_digest
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_script_prefix
    from django.utils import translation

    if _template_digest is None or settings.DEBUG:  # DEBUG: a template edited under a running server shows at once
        source = get_template(CARD_TEMPLATE).template.source
        _template_digest = hashlib.blake2b(source.encode(), digest_size=8).hexdigest()
    return f"dircard:{_template_digest}:{translation.get_language()}:{get_script_prefix()}:{settings.MEDIA_URL}:"


def attach_card_html(creators: list[Creator]) -> None:
    """Set ``card_html`` on each creator loaded by directory_page: from the cache (one round trip for the
    page) or rendered now and stored. A cache that fails costs the rendering, never the page."""
    from django.core.cache import cache
    from django.template.loader import get_template

    todo = [c for c in creators if getattr(c, "card_digest", None)]
    if not todo:
        return
    prefix = _card_key_prefix()
    keys = {c.pk: prefix + c.card_digest for c in todo}
    try:
        found = cache.get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 - Redis down or full: render every card
        logger.warning("directory card cache unavailable", exc_info=True)
        found = {}
    template = get_template(CARD_TEMPLATE)
    rendered = {}
    for creator in todo:
        html = found.get(keys[creator.pk])
        if html is None:
            html = rendered[keys[creator.pk]] = str(template.render({"c": creator}))
        creator.card_html = mark_safe(html)  # our template's output, escaped when rendered  # noqa: S308
    if rendered:
        try:
            cache.set_many(rendered, CARD_TTL)
        except Exception:  # noqa: BLE001
            logger.warning("directory card cache unavailable", exc_info=True)


# --- The filter form, cached per query (issue 13) -------------------------------------------------------------------
# The directory's form (creators/_directory_filters.html) renders ~60 widgets: a third of the full page's Python time.
# It shows only the query's own values and the niche taxonomy, the same for everyone who asks the same query; keyed
# by the query, the language and the template, with the taxonomy's version (bumped when a niche is saved or deleted,
# creators.apps) and a short TTL for writes that send no signal (a data migration).

FILTERS_TEMPLATE = "creators/_directory_filters.html"
FILTERS_TTL = 5 * 60
NICHES_VERSION_KEY = "dirfilters:niches-version"


def niches_changed(**kwargs) -> None:
    """post_save / post_delete of a Niche: every cached filter form shows the old taxonomy."""
    from django.core.cache import cache

    try:
        cache.set(NICHES_VERSION_KEY, str(time.time_ns()), None)
    except Exception:  # noqa: BLE001 - the TTL bounds what a failed bump leaves
        logger.warning("directory filter cache unavailable", exc_info=True)


def filters_html(filterset, query) -> SafeString:
    """The filter form of ``filterset`` (bound to ``query``, a QueryDict, or unbound), from the cache when it can."""
    from django.core.cache import cache
    from django.template.loader import get_template

    template = get_template(FILTERS_TEMPLATE)
    params = sorted((k, tuple(v)) for k, v in query.lists() if k != "after")
    try:
        version = cache.get(NICHES_VERSION_KEY, "0")
        digest = hashlib.blake2b(repr((params, template.template.source)).encode(), digest_size=16).hexdigest()
        key = f"dirfilters:{version}:{_card_key_prefix()}{digest}"
        html = cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("directory filter cache unavailable", exc_info=True)
        key = html = None
    if html is None:
        html = str(template.render({"filter": filterset}))
        if key is not None:
            try:
                cache.set(key, html, FILTERS_TTL)
            except Exception:  # noqa: BLE001
                logger.warning("directory filter cache unavailable", exc_info=True)
    return mark_safe(html)  # our template's output, escaped when rendered  # noqa: S308
