"""Reputation on the media kit (issue 12): ratings, reviews and service-time scores, supplied by whichever app
records the work. Dependencies point one way: creators never imports campaigns; campaigns registers a provider
from its AppConfig.ready(), as for collaborations.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Creator


@dataclass(frozen=True)
class ScoreShown:
    title: str
    shown: str  # "78%", "0.5", "—"
    detail: str  # the numbers behind it


@dataclass(frozen=True)
class ReviewShown:
    by: str  # the brand's name
    overall: int
    communication: int
    quality: int
    timeliness: int
    text: str
    reply: str
    on: date


@dataclass(frozen=True)
class KitReputation:
    rating_shown: str
    review_count: int
    scores: list[ScoreShown] = field(default_factory=list)
    reviews: list[ReviewShown] = field(default_factory=list)


Provider = Callable[["Creator"], KitReputation | None]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def reputation_for(creator: Creator) -> KitReputation | None:
    """The first provider's answer (a constant number of queries), or None when no app supplies one."""
    for provider in _providers:
        found = provider(creator)
        if found is not None:
            return found
    return None
