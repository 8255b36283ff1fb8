"""Which creators have live campaign work right now, supplied by whichever app knows (a registry).

Dependencies point one way (STYLE.md): the pipeline never imports campaigns.
The campaigns app registers a source here from its AppConfig.ready(), the way
it registers past collaborations into ``creators.collaborations``; the
scheduler (``stats.schedule``) refreshes those creators' accounts every
STATS_LIVE_REFRESH_INTERVAL_HOURS instead of every STATS_REFRESH_INTERVAL_HOURS.

A source is a callable returning a queryset of creator ids (``values("creator_id")``
or similar), so the scheduler keeps asking its question in one SQL statement.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

Source = Callable[[], QuerySet]
_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def unregister(source: Source) -> None:
    if source in _sources:
        _sources.remove(source)


def live_creator_ids() -> list[QuerySet]:
    """One subquery of creator ids per registered source (empty when nothing is registered)."""
    return [source() for source in _sources]
