"""The campaign list's cards and filters, rendered once and kept (issue 13: throughput of ``/campaigns/``).

A card's title, brand line, description and chips are the same for every reader, so their HTML is cached
under a key made from *everything they print* (the values, not an id and a timestamp): a changed campaign,
brand, logo, niche or deliverable gets a new key the moment it changes, and nothing ever needs invalidating.
What differs per reader (the eligibility badge, the requirements they miss, their application's status) is
rendered around it on every request and is never cached. The key also holds the active language, the URL
prefix and a digest of the card template, so a translation or a deploy that edits the template never serves
old HTML.

The filter form's niche choices (every niche, for every reader) and the empty form's HTML are kept together
per language and dropped whenever a niche is saved or deleted (signals connected by CampaignsConfig.ready).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.template.loader import get_template, render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.media import media_url
from creators.models import Niche

from .models import DeliverableSpec

CARD_TEMPLATE = "campaigns/_campaign_card.html"
SPLIT = "<!-- card: reader-specific badge -->"  # the template's marker between the title and the rest
TIMEOUT = 60 * 60 * 6  # content-addressed: the timeout only bounds memory, never staleness
FILTERS_TIMEOUT = 10 * 60  # dropped on every niche change; the timeout bounds a save racing a first read


@cache
def _template_digest() -> str:
    origin = get_template(CARD_TEMPLATE).origin.name
    return hashlib.sha1(Path(origin).read_bytes()).hexdigest()[:12]


def _content(campaign, logo_url: str) -> tuple:
    """Every value the card prints (specs and niches: the arrays of ``selectors.campaign_cards_open``)."""
    return (
        campaign.pk,
        campaign.title,
        campaign.brand.name,
        logo_url,
        campaign.goal,
        campaign.application_deadline.isoformat(),
        campaign.product_description,
        str(campaign.fee_per_creator),
        campaign.compensation_type,
        tuple(campaign.card_specs),
        tuple(campaign.card_niches),
    )


def _spec_labels(campaign) -> list[str]:
    """ "2 × Instagram Reel": DeliverableSpec's own wording, from the row's "platform:format:quantity" texts."""
    labels = []
    for text in campaign.card_specs:
        platform, format_, quantity = text.split(":")
        labels.append(str(DeliverableSpec(platform=platform, format=format_, quantity=int(quantity))))
    return labels


def _key(content: tuple) -> str:
    digest = hashlib.sha1(repr(content).encode()).hexdigest()
    return f"campaign-card:{get_language()}:{get_script_prefix()}:{_template_digest()}:{digest}"


def campaign_cards(campaigns, *, user=None) -> dict[int, tuple[str, str]]:
    """Per campaign id (rows of ``selectors.campaign_cards_open``), the card's (title, rest) HTML: one cache round
    trip for the page, the misses rendered from the same rows and stored. ``user``: the reader, for the logo's
    address (core.media signs private files per reader; the address is part of the key, so a signed address is
    only ever served to the reader it was made for)."""
    logos = {c.pk: media_url(c.brand.logo, user) if c.brand.logo else "" for c in campaigns}
    keys = {c.pk: _key(_content(c, logos[c.pk])) for c in campaigns}
    found = django_cache.get_many(list(keys.values())) if keys else {}
    cards, missing = {}, {}
    for c in campaigns:
        html = found.get(keys[c.pk])
        if html is None:
            context = {"c": c, "logo_url": logos[c.pk], "specs": _spec_labels(c), "niches": c.card_niches}
            html = render_to_string(CARD_TEMPLATE, context)
            missing[keys[c.pk]] = html
        head, _, rest = html.partition(SPLIT)
        cards[c.pk] = (mark_safe(head), mark_safe(rest))  # noqa: S308 - our template's output, escaped there
    if missing:
        django_cache.set_many(missing, TIMEOUT)
    return cards


# --- The filters: niche choices and the empty form ---------------------------------------------------------------


def _filters_key(language: str) -> str:
    return f"campaign-filters:{language}:{get_script_prefix()}:{django.get_version()}"


def filter_form(request, form_class):
    """(form, the empty form's HTML or None): the niches from the cache (one database query when a niche
    changed), the form bound to ``request.GET`` when it has any, else unbound with its HTML from the cache."""
    key = _filters_key(get_language())
    kept = django_cache.get(key)
    niches = kept["niches"] if kept else list(Niche.objects.all())
    form = form_class(request.GET or None, niches=niches)
    if form.is_bound:
        if kept is None:
            django_cache.set(key, {"niches": niches, "form_html": None}, FILTERS_TIMEOUT)
        return form, None
    html = kept["form_html"] if kept else None
    if html is None:
        html = form.as_div()
        django_cache.set(key, {"niches": niches, "form_html": html}, FILTERS_TIMEOUT)
    return form, mark_safe(html)  # noqa: S308 - Django's form rendering, escaped there


@receiver(post_save, sender=Niche, dispatch_uid="campaign-filters-niche-saved")
@receiver(post_delete, sender=Niche, dispatch_uid="campaign-filters-niche-deleted")
def _niches_changed(**kwargs) -> None:
    django_cache.delete_many([_filters_key(code) for code, _ in settings.LANGUAGES])
