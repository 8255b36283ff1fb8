"""Proven results on the media kit (issue 11): how the creator's sponsored posts did, from tracked data only.

Supplied by whichever app records the work and its followed posts: dependencies point one way (creators never
imports campaigns or stats); campaigns registers a provider from its AppConfig.ready(), as for reputation.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Creator


@dataclass(frozen=True)
class TrackRecord:
    sponsored_posts: int  # tracked posts of approved or live deliverables
    median_views: int | None  # None: no tracked post has a view count
    median_engagement_rate: Decimal | None  # percent, one decimal
    campaigns_completed: int


Provider = Callable[["Creator"], TrackRecord | None]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def track_record_for(creator: Creator) -> TrackRecord | None:
    """The first provider's answer (a constant number of queries), or None when there is nothing tracked."""
    for provider in _providers:
        found = provider(creator)
        if found is not None:
            return found
    return None
