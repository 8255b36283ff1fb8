"""Refresh followed posts' numbers (issue 11): the same adapters, shared limiter and set-based writes as the accounts.

``refresh_posts`` is the one service (``stats.tasks.refresh_posts_task`` wraps it); ``due_post_ids`` and
``schedule_post_refreshes`` are beat's side. Design, as in ``stats.refresh``:

* **Cadence.** A post is refreshed once a UTC day for ``STATS_POST_DAILY_DAYS`` (30) days after it was first
  seen, then once a week until ``STATS_POST_WEEKLY_DAYS`` (90), then never again: a sponsored post collects most
  of its views in the first days, and its report needs the curve, not a number a year later.
* **Set-based, idempotent.** One ``UPDATE … FROM unnest`` for the posts' latest numbers, one ``INSERT … ON CONFLICT
  (post, period) DO UPDATE`` for the day's snapshot (one per post and UTC day), one statement for the failures:
  a retried or duplicated task rewrites the same rows and adds none.
* **Quota.** Every remote request takes a slot from the platform's Redis limiter first (``refresh.throttle_for``);
  past the task's time budget the rest is handed back as *deferred*.
* **Failures.** RateLimited/QuotaExceeded → deferred (not the post's fault). Retryable (5xx, timeout, malformed) →
  failed: the task retries with backoff; the last attempt counts the failure, and beat waits
  STATS_FAILING_RETRY_HOURS × 2^(failures−1) before the next round. Not retryable (the post is gone or private, the
  creator's token is revoked) → errored: the post stops being refreshed (``consecutive_failures`` set to the limit)
  and keeps its last numbers.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .config import provider_for
from .models import Post
from .providers.base import AccountRef, PostMetrics, PostRef, ProviderError, QuotaExceeded, RateLimited
from .providers.demo import DemoProvider
from .refresh import RefreshResult, fetch_in_batches, throttle_for

QUEUE_KIND = "postqueued"


def _fetch(
    platform: str, posts: list[dict[str, Any]], *, as_of: datetime | None, deadline: float, result: RefreshResult
) -> dict[int, PostMetrics | ProviderError]:
    provider = provider_for(platform)
    throttle = throttle_for(provider, deadline)
    refs = [
        PostRef(
            key=str(p["id"]),
            post_id=p["platform_post_id"],
            account=AccountRef(
                key=str(p["account_id"]),
                handle=p["account__handle"],
                external_id=p["account__external_id"],
                access_token=p["account__access_token"],
            ),
            published_at=p["published_at"],
            first_seen_at=p["first_seen_at"],
        )
        for p in posts
    ]
    outcomes = fetch_in_batches(
        provider,
        refs,
        size=50,  # YouTube's ids per videos.list; the other adapters group by account themselves
        fetch=provider.fetch_posts,
        throttle=throttle,
        as_of=as_of,
        missing=lambda ref: f"{platform}: no answer for {ref.post_id}",
    )
    result.requests += provider.requests_made
    close = getattr(provider, "close", None)
    if close:
        close()
    return outcomes


def refresh_posts(
    *,
    post_ids: Iterable[int],
    as_of: datetime | None = None,
    count_failures: bool = True,
    time_budget: float | None = None,
) -> RefreshResult:
    """Fetch ``post_ids``' numbers from their platforms; write the latest numbers and the UTC day's snapshot.

    Requires nothing (unknown ids are ignored). Safe to run twice: see the module docstring.
    """
    ids = sorted({int(i) for i in post_ids})
    result = RefreshResult()
    if not ids:
        return result
    taken_at = as_of or timezone.now()
    period = taken_at.astimezone(UTC).date()
    budget = settings.STATS_TASK_TIME_BUDGET if time_budget is None else time_budget
    deadline = time.monotonic() + budget
    posts = list(
        Post.objects.filter(id__in=ids).values(
            "id",
            "platform_post_id",
            "published_at",
            "first_seen_at",
            "account_id",
            "account__platform",
            "account__handle",
            "account__external_id",
            "account__access_token",
        )
    )
    by_platform: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for post in posts:
        by_platform[post["account__platform"]].append(post)
    outcomes: dict[int, PostMetrics | ProviderError] = {}
    for platform in sorted(by_platform):
        outcomes.update(_fetch(platform, by_platform[platform], as_of=as_of, deadline=deadline, result=result))

    rows: list[tuple[int, PostMetrics]] = []
    failures: dict[int, tuple[bool, str]] = {}
    for post_id, outcome in sorted(outcomes.items()):
        if isinstance(outcome, PostMetrics):
            rows.append((post_id, outcome))
            result.refreshed.append(post_id)
        elif isinstance(outcome, (RateLimited, QuotaExceeded)):
            result.deferred.append(post_id)
            result.retry_after = max(result.retry_after, getattr(outcome, "retry_after", 0.0) or 60.0)
        elif outcome.retryable:
            failures[post_id] = (False, str(outcome)[:500])
            result.failed.append(post_id)
        else:
            failures[post_id] = (True, str(outcome)[:500])
            result.errored.append(post_id)
    with transaction.atomic():
        _write_numbers(rows, taken_at)
        _write_snapshots(rows, period, taken_at)
        _write_failures(failures, taken_at, count_failures=count_failures)
    return result


def _columns(rows: list[tuple[int, PostMetrics]]) -> list[list[Any]]:
    return [
        [i for i, _ in rows],
        [m.views for _, m in rows],
        [m.reach for _, m in rows],
        [m.likes for _, m in rows],
        [m.comments for _, m in rows],
        [m.shares for _, m in rows],
        [m.saves for _, m in rows],
    ]


_UNNEST = """unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[])
             AS v(id, views, reach, likes, comments, shares, saves)"""


def _write_numbers(rows: list[tuple[int, PostMetrics]], taken_at: datetime) -> None:
    if not rows:
        return
    sql = f"""
        UPDATE stats_post AS p SET
            views = v.views, reach = v.reach, likes = v.likes, comments = v.comments, shares = v.shares,
            saves = v.saves, published_at = COALESCE(p.published_at, w.published_at),
            refreshed_at = %s, last_attempted_at = %s, refresh_error = '', consecutive_failures = 0
        FROM {_UNNEST}, unnest(%s::bigint[], %s::timestamptz[]) AS w(id, published_at)
        WHERE p.id = v.id AND w.id = v.id
    """
    params = [taken_at, taken_at, *_columns(rows), [i for i, _ in rows], [m.published_at for _, m in rows]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _write_snapshots(rows: list[tuple[int, PostMetrics]], period, taken_at: datetime) -> None:
    if not rows:
        return
    sql = f"""
        INSERT INTO stats_postsnapshot (post_id, period, taken_at, views, reach, likes, comments, shares, saves)
        SELECT v.id, %s, %s, v.views, v.reach, v.likes, v.comments, v.shares, v.saves
        FROM {_UNNEST}
        ON CONFLICT (post_id, period) DO UPDATE SET
            taken_at = EXCLUDED.taken_at, views = EXCLUDED.views, reach = EXCLUDED.reach, likes = EXCLUDED.likes,
            comments = EXCLUDED.comments, shares = EXCLUDED.shares, saves = EXCLUDED.saves
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [period, taken_at, *_columns(rows)])


def _write_failures(failures: dict[int, tuple[bool, str]], at: datetime, *, count_failures: bool) -> None:
    if not failures:
        return
    ids = sorted(failures)
    sql = """
        UPDATE stats_post AS p SET
            consecutive_failures = CASE WHEN v.fatal THEN GREATEST(%s, p.consecutive_failures)
                                        ELSE LEAST(p.consecutive_failures + %s, 32767) END,
            refresh_error = v.message, last_attempted_at = %s
        FROM unnest(%s::bigint[], %s::boolean[], %s::text[]) AS v(id, fatal, message)
        WHERE p.id = v.id
    """
    params = [
        settings.STATS_MAX_CONSECUTIVE_FAILURES,
        1 if count_failures else 0,
        at,
        ids,
        [failures[i][0] for i in ids],
        [failures[i][1] for i in ids],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# -- beat's side --------------------------------------------------------------------------------------------------


def due_post_ids(*, now: datetime | None = None, limit: int | None = None) -> list[tuple[int, str]]:
    """(id, platform) of the followed posts due a refresh, never refreshed first, then the stalest.

    Due: first seen less than STATS_POST_WEEKLY_DAYS ago; never refreshed, or — while younger than
    STATS_POST_DAILY_DAYS — not yet refreshed this UTC day, or — after that — not in the last 7 UTC days; not
    stopped (STATS_MAX_CONSECUTIVE_FAILURES); a failing post only after the doubling backoff.
    """
    now = now or timezone.now()
    limit = settings.STATS_SCHEDULE_MAX_PER_TICK if limit is None else limit
    today = datetime.combine(now.astimezone(UTC).date(), datetime.min.time(), tzinfo=UTC)
    daily_until = now - timedelta(days=settings.STATS_POST_DAILY_DAYS)
    due = (
        Q(refreshed_at__isnull=True)
        | Q(first_seen_at__gt=daily_until, refreshed_at__lt=today)
        | Q(first_seen_at__lte=daily_until, refreshed_at__lt=today - timedelta(days=6))
    )
    backing_off = RawSQL(
        "stats_post.consecutive_failures > 0 AND stats_post.last_attempted_at IS NOT NULL "
        "AND stats_post.last_attempted_at > "
        "%s - make_interval(secs => %s * power(2, GREATEST(stats_post.consecutive_failures, 1) - 1))",
        (now, float(settings.STATS_FAILING_RETRY_HOURS) * 3600),
    )
    qs = (
        Post.objects.filter(
            first_seen_at__gt=now - timedelta(days=settings.STATS_POST_WEEKLY_DAYS),
            consecutive_failures__lt=settings.STATS_MAX_CONSECUTIVE_FAILURES,
        )
        .filter(due)
        .alias(backing_off=backing_off)
        .filter(backing_off=False)
        .order_by(F("refreshed_at").asc(nulls_first=True), "id")
        .values_list("id", "account__platform")
    )
    return list(qs[:limit])


def schedule_post_refreshes(*, now: datetime | None = None) -> int:
    """Queue batched refresh tasks for the due posts not already queued; return how many were queued."""
    from .queue import mark_queued
    from .tasks import refresh_posts_task

    due = due_post_ids(now=now)
    platform_of = dict(due)
    fresh = mark_queued([post_id for post_id, _ in due], kind=QUEUE_KIND)
    by_platform: dict[str, list[int]] = defaultdict(list)
    for post_id in fresh:
        by_platform[platform_of[post_id]].append(post_id)
    size = max(1, settings.STATS_BATCH_SIZE)
    for ids in by_platform.values():
        for start in range(0, len(ids), size):
            refresh_posts_task.delay(ids[start : start + size])
    return len(fresh)


def demo_backfill_posts(*, post_ids, days: int, now: datetime | None = None) -> int:
    """Followed posts of demo-served platforms: first seen ``days`` ago, one snapshot per day since (seed data).

    Real platforms are never called for history. Idempotent (one snapshot per post and day). Returns how many."""
    now = now or timezone.now()
    demo = [p for p in ("youtube", "instagram", "tiktok") if isinstance(provider_for(p), DemoProvider)]
    ids = list(Post.objects.filter(id__in=post_ids, account__platform__in=demo).values_list("id", flat=True))
    start = now - timedelta(days=days)
    Post.objects.filter(id__in=ids).update(first_seen_at=start, published_at=start)
    for back in range(days, -1, -1):
        refresh_posts(post_ids=ids, as_of=now - timedelta(days=back), time_budget=600)
    return len(ids)
