""" "Campaigns for you" on ``/campaigns/``, kept per creator for a minute (issue 13: throughput).

``matching.campaigns_for_creator`` scores every open campaign for the creator; building and running that
statement was a third of the page's time. The ranked rows (campaigns with their brand and signals) are kept in
the cache under a key of the reader's creator id and every creator fact the page has already loaded (row,
accounts), today's date, the language, and a *generation* that any write matching reads moves on:

- campaigns, applications, reviews, deliverables, campaign niches (signals below);
- the creator side: ``creators.changes.creators_changed`` (every write of a matched fact calls it: profile,
  niches, accounts and their statistics, rate card, vetting) and the models' own signals.

The generation moves when the write happens, not on commit (the suite counts each service's on-commit callbacks):
a reader whose ranking ran in the instant between a write and its commit can keep the old rows under the new
generation; that, and a write that reaches none of these (a bulk ``update()`` someone adds later), is bounded
by ``TIMEOUT``. Entries are per creator: one reader never sees another's.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from creators.models import AudienceDemographics, Creator, RateCardEntry, SocialAccount

from . import matching
from .models import Application, Campaign, Deliverable, Review

TIMEOUT = 60
GENERATION = "for-you:generation"
LIMIT = 6


def _key(creator, generation) -> str:
    facts = (
        creator.pk,
        creator.updated_at.isoformat() if creator.updated_at else "",
        creator.status,
        creator.tier,
        creator.followers,
        str(creator.engagement_rate),
        creator.country,
        tuple(creator.languages or ()),
        tuple(sorted((a.pk, a.platform, a.followers, str(a.engagement_rate)) for a in creator.accounts.all())),
        timezone.localdate().isoformat(),
        get_language(),
        generation,
    )
    return f"for-you:{creator.pk}:{hashlib.sha1(repr(facts).encode()).hexdigest()}"


def campaigns_for_you(creator) -> list[tuple[Campaign, list[matching.Signal]]]:
    """The best open campaigns for ``creator`` (accounts prefetched), each with its "why this match" rows."""
    key = _key(creator, cache.get(GENERATION, 0))
    rows = cache.get(key)
    if rows is None:
        rows = [(c, matching.signals_of(c)) for c in matching.campaigns_for_creator(creator=creator, limit=LIMIT)]
        cache.set(key, rows, TIMEOUT)
    return rows


def changed(*args, **kwargs) -> None:
    """Something matching reads changed."""
    cache.set(GENERATION, time.time_ns(), None)


def connect() -> None:
    """From CampaignsConfig.ready()."""
    from creators import changes

    changes.register(changed)
    models = (Campaign, Application, Review, Deliverable, Creator, SocialAccount, RateCardEntry, AudienceDemographics)
    for model in models:
        post_save.connect(changed, sender=model, dispatch_uid=f"for-you-save-{model._meta.label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"for-you-delete-{model._meta.label}")
    for through in (Campaign.niches.through, Creator.niches.through):
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"for-you-niches-{through._meta.label}")
