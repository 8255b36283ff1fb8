"""The numbers behind a creator's linked accounts, supplied by the statistics pipeline (a registry).

Dependencies point one way (docs/ARCHITECTURE.md): ``stats`` builds on ``creators`` (it refreshes
``SocialAccount`` rows and recomputes a creator's audience), so ``creators`` never imports ``stats``.
The pipeline registers its interface (``stats.api``) here from ``StatsConfig.ready()``, the way
campaigns registers past collaborations in ``creators.collaborations``; profiles call the functions
below. With no pipeline registered, accounts have no history and no benchmark, and linking one
queues nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .models import Creator


class Source(Protocol):
    def on_account_linked(self, account_id: int) -> None: ...

    def follower_history(self, *, creator: Creator, days: int = ...) -> dict[int, list[tuple]]: ...

    def judge_engagement(self, platform: str, tier: str | None, rate: Decimal | float | None) -> Any: ...

    def no_benchmark_note(self) -> str: ...

    def backfill_demo_history(self, *, account_ids: Sequence[int]) -> int: ...


_source: Source | None = None


def register(source: Source) -> None:
    global _source
    _source = source


def unregister(source: Source) -> None:
    global _source
    if _source is source:
        _source = None


def on_account_linked(account_id: int) -> None:
    """A creator linked an account: the pipeline fetches its first numbers (after commit)."""
    if _source is not None:
        _source.on_account_linked(account_id)


def follower_history(*, creator: Creator) -> dict[int, list[tuple]]:
    """Follower history per account id, oldest first (the media kit's growth chart)."""
    return _source.follower_history(creator=creator) if _source is not None else {}


def judge_engagement(platform: str, tier: str | None, rate: Decimal | float | None):
    """The account's benchmark band and verdict (``.band.low``, ``.band.high``, ``.verdict``), or None."""
    return _source.judge_engagement(platform, tier, rate) if _source is not None else None


def no_benchmark_note() -> str:
    """What the media kit says instead of a band for an account below the smallest tier."""
    return _source.no_benchmark_note() if _source is not None else ""


def backfill_demo_history(*, account_ids: Sequence[int]) -> int:
    """Seed data: daily history for demo accounts (fills their numbers and tiers). Returns how many."""
    return _source.backfill_demo_history(account_ids=account_ids) if _source is not None else 0
