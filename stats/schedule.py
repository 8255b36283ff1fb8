"""Beat's side of the pipeline: which accounts are due a refresh, and queueing them in batches."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from creators.models import RefreshStatus, SocialAccount

from .live_work import live_creator_ids
from .queue import mark_queued


def due_account_ids(*, now: datetime | None = None, limit: int | None = None) -> list[tuple[int, str]]:
    """(id, platform) of the accounts due a refresh: never refreshed first, then the stalest.

    Due: not in ``error``; never refreshed, or refreshed longer ago than the
    interval (the shorter live interval while the creator has live campaign
    work, as the sources registered in ``stats.live_work`` say); and a
    ``failing`` account only after a backoff that doubles with each failed
    round (STATS_FAILING_RETRY_HOURS × 2^(failures−1)).
    """
    now = now or timezone.now()
    limit = settings.STATS_SCHEDULE_MAX_PER_TICK if limit is None else limit
    stale = Q(last_refreshed_at__isnull=True) | Q(
        last_refreshed_at__lt=now - timedelta(hours=settings.STATS_REFRESH_INTERVAL_HOURS)
    )
    live_before = now - timedelta(hours=settings.STATS_LIVE_REFRESH_INTERVAL_HOURS)
    for live in live_creator_ids():
        stale |= Q(creator_id__in=live, last_refreshed_at__lt=live_before)
    retry_hours = float(settings.STATS_FAILING_RETRY_HOURS)
    backing_off = RawSQL(
        "refresh_status = %s AND last_attempted_at IS NOT NULL AND last_attempted_at > "
        "%s - make_interval(secs => %s * power(2, GREATEST(consecutive_failures, 1) - 1))",
        (RefreshStatus.FAILING.value, now, retry_hours * 3600),
    )
    qs = (
        SocialAccount.objects.exclude(refresh_status=RefreshStatus.ERROR)
        .filter(stale)
        .alias(backing_off=backing_off)
        .filter(backing_off=False)
        .order_by(F("last_refreshed_at").asc(nulls_first=True), "id")
        .values_list("id", "platform")
    )
    return list(qs[:limit])


def schedule_stale_refreshes(*, now: datetime | None = None) -> int:
    """Queue batched refresh tasks for the due accounts not already queued; return how many were queued."""
    from .tasks import refresh_accounts_task  # tasks wrap this module: imported when first used

    due = due_account_ids(now=now)
    platform_of = dict(due)
    fresh = mark_queued([account_id for account_id, _ in due])
    by_platform: dict[str, list[int]] = defaultdict(list)
    for account_id in fresh:
        by_platform[platform_of[account_id]].append(account_id)
    size = max(1, settings.STATS_BATCH_SIZE)
    batches = {p: [ids[i : i + size] for i in range(0, len(ids), size)] for p, ids in by_platform.items()}
    # Round-robin over platforms: each platform's quota is separate, so every platform should
    # have a batch in flight; queued platform by platform, one slow quota would idle the others.
    for round_ in itertools.zip_longest(*batches.values()):
        for batch in round_:
            if batch:
                refresh_accounts_task.delay(batch)
    return len(fresh)
