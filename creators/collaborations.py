"""Past collaborations on the media kit, supplied by whichever app records them.

Dependencies point one way (STYLE.md): creators never imports campaigns. The
campaigns app registers a provider here from its AppConfig.ready(), so the
media kit shows completed campaigns without knowing where they come from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Creator


@dataclass(frozen=True)
class Collaboration:
    brand: str
    title: str
    completed_on: date | None


Provider = Callable[["Creator"], list[Collaboration]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def collaborations_for(creator: Creator) -> list[Collaboration]:
    """Newest first; each provider answers in a constant number of queries."""
    found = [c for provider in _providers for c in provider(creator)]
    return sorted(found, key=lambda c: c.completed_on or date.min, reverse=True)
