"""The statistics pipeline's interface for the rest of the product: the only module other apps import.

Campaigns (above the pipeline) import these functions; profiles (``creators``,
below it: ``stats`` builds on ``creators.models``) reach the same functions through
the registry ``creators.account_stats``, where ``StatsConfig.ready()`` registers this
module. Nobody reaches into the pipeline's internals (refresh, schedule, providers,
models). Everything here is cheap to import: the heavy modules are imported inside
the functions.

* ``request_refresh(account_ids)``: queue a refresh of these accounts after commit.
* ``on_account_linked(account_id)``: a creator linked an account: fetch its first numbers now.
* ``judge_engagement(platform, tier, rate)``: the account's engagement against the one benchmark table.
* ``no_benchmark_note()``: what to say instead for an emerging account.
* ``follower_history(creator)``: the follower history behind the media kit's chart.
* ``backfill_demo_history(account_ids)``: 30 days of demo history for the seed data.
* ``live_work.register(source)`` (``stats.live_work``): tell the scheduler which creators have live work.
* ``post_resolve(...)`` / ``post_follow(resolved)`` / ``PostRefused`` / ``FOLLOWED_PLATFORMS`` (``stats.posts``):
  follow a published post of a creator's linked account (issue 11).
* ``backfill_demo_posts(post_ids, days)``: demo history for followed posts (seed data).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .benchmarks import BENCHMARK_BANDS, Band, Judgement, band_table_json, judge
from .posts import FOLLOWED_PLATFORMS, PostRefused, post_follow, post_resolve

__all__ = [
    "BENCHMARK_BANDS",
    "FOLLOWED_PLATFORMS",
    "PostRefused",
    "backfill_demo_posts",
    "post_follow",
    "post_resolve",
    "Band",
    "Judgement",
    "backfill_demo_history",
    "band_table_json",
    "follower_history",
    "judge_engagement",
    "no_benchmark_note",
    "on_account_linked",
    "request_refresh",
]


def request_refresh(account_ids: Iterable[int]) -> None:
    """Queue a refresh of ``account_ids`` once the current transaction commits.

    ``robust``: a broker hiccup must not turn the caller's saved change into an
    error page; beat refreshes the accounts anyway.
    """
    from .tasks import refresh_accounts_task

    ids = sorted({int(i) for i in account_ids})
    if ids:
        transaction.on_commit(lambda: refresh_accounts_task.delay(ids), robust=True)


def on_account_linked(account_id: int) -> None:
    """A creator linked an account: ask for its first numbers now rather than at beat's next tick."""
    request_refresh([account_id])


def judge_engagement(platform: str, tier: str | None, rate: Decimal | float | None) -> Judgement | None:
    """The account's band and verdict ("below", "typical", "above"); None for an emerging account."""
    return judge(platform, tier, rate)


def no_benchmark_note() -> str:
    """Said instead of a band for accounts below the smallest tier (no source publishes one)."""
    smallest = min(int(v) for v in settings.CREATOR_TIER_THRESHOLDS.values())
    return _("No benchmark for accounts under %(n)s followers") % {"n": f"{smallest:,}"}


def follower_history(*, creator, days: int = 90) -> dict[int, list[tuple]]:
    """Follower history per account id over the last ``days`` days, oldest first, in one query."""
    from .selectors import growth_snapshots

    return growth_snapshots(creator=creator, days=days)


def backfill_demo_history(*, account_ids: Sequence[int], days: int = 30, now: datetime | None = None) -> int:
    """Give demo accounts ``days`` of daily snapshots (seed data); see ``stats.refresh.demo_backfill_history``."""
    from .refresh import demo_backfill_history

    return demo_backfill_history(account_ids=account_ids, days=days, now=now)


def backfill_demo_posts(*, post_ids: Sequence[int], days: int, now: datetime | None = None) -> int:
    """Give followed demo posts a snapshot for each of the last ``days`` days (seed data); see post_refresh."""
    from .post_refresh import demo_backfill_posts

    return demo_backfill_posts(post_ids=post_ids, days=days, now=now)
