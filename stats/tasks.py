"""Thin Celery wrappers around stats.refresh and stats.schedule (STYLE.md: tasks take ids and call one service).

Task names: ``stats.tasks.*``. The names these tasks had while they lived in
creators (``creators.tasks.refresh_accounts_task``,
``creators.tasks.schedule_stale_refreshes``) stay registered as aliases that
run the same code, so messages queued before a deploy, and a beat still on the
old schedule, keep working. Remove them one release later.

Delivery guarantees, and why the settings are what they are
------------------------------------------------------------
* ``acks_late=True`` + ``reject_on_worker_lost=True``: the message is
  acknowledged only after the task returns, and a worker *process* that dies
  (SIGKILL, OOM) gets its message requeued instead of acked. With the defaults,
  or ``acks_late`` alone, a SIGKILLed task is simply lost.
* If the whole worker dies (the main process too), nobody is left to requeue:
  the Redis transport keeps the unacknowledged message in its ``unacked`` hash
  and puts it back after ``visibility_timeout`` when some worker's kombu
  restores unacked messages (at that worker's start and on its periodic sweep).
  We set CELERY_VISIBILITY_TIMEOUT to 600 s: longer than the longest task can
  run (STATS_TASK_TIME_BUDGET 240 s of rate-limited calls + one 20 s HTTP
  timeout + the writes), and longer than any countdown we retry with
  (``retry_backoff_max`` 300 s): the Redis transport also redelivers ETA
  messages older than the timeout, which would run them twice.
* Running twice is harmless anyway: the service is idempotent (one snapshot
  per account and day, open flags unique), so redelivery costs only API quota.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from . import demographics, post_refresh, refresh, schedule
from .queue import clear_queued

logger = logging.getLogger(__name__)

RETRY_BACKOFF = 30  # seconds, doubled per retry: 30, 60, 120 (± full jitter)
RETRY_BACKOFF_MAX = 300  # < CELERY_VISIBILITY_TIMEOUT, see above
MAX_RETRIES = 3


REFRESH_OPTIONS = dict(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # Infrastructure hiccups retry the whole batch; provider failures are handled below.
    autoretry_for=(OperationalError, InterfaceError, RedisConnectionError),
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)


def _refresh(task, account_ids: list[int]) -> dict:
    """Refresh ``account_ids`` (one platform's batch, usually); retry only the accounts that need it.

    * failed (retryable platform errors): retried with exponential backoff and
      jitter, up to ``max_retries``; the last attempt counts the failure.
    * deferred (rate-limited by the platform or by our shared limiter): queued
      again after ``retry_after`` without using up a retry.
    """
    final = task.request.retries >= task.max_retries
    result = refresh.refresh_accounts(account_ids=account_ids, count_failures=final)
    if result.deferred:
        countdown = min(RETRY_BACKOFF_MAX, max(1.0, result.retry_after))
        refresh_accounts_task.apply_async(args=[result.deferred], countdown=countdown)
    done = result.refreshed + result.errored + (result.failed if final else [])
    clear_queued(done)
    summary = {
        "refreshed": len(result.refreshed),
        "deferred": len(result.deferred),
        "failed": len(result.failed),
        "errored": len(result.errored),
        "requests": result.requests,
    }
    if result.failed and not final:
        countdown = get_exponential_backoff_interval(
            factor=RETRY_BACKOFF, retries=task.request.retries, maximum=RETRY_BACKOFF_MAX, full_jitter=True
        )
        raise task.retry(args=[result.failed], countdown=max(1, countdown))
    return summary


@shared_task(name="stats.tasks.refresh_accounts_task", **REFRESH_OPTIONS)
def refresh_accounts_task(self, account_ids: list[int]) -> dict:
    """Refresh ``account_ids`` (one platform's batch, usually); see ``_refresh``."""
    return _refresh(self, account_ids)


@shared_task(name="creators.tasks.refresh_accounts_task", **REFRESH_OPTIONS)
def refresh_accounts_task_old_name(self, account_ids: list[int]) -> dict:
    """Alias of ``refresh_accounts_task`` under its old name, for messages queued before the move."""
    return _refresh(self, account_ids)


@shared_task(name="stats.tasks.schedule_stale_refreshes", acks_late=True, reject_on_worker_lost=True)
def schedule_stale_refreshes() -> int:
    """Beat, every minute: queue batches of the accounts that are due (stats.schedule.due_account_ids)."""
    return schedule.schedule_stale_refreshes()


@shared_task(name="creators.tasks.schedule_stale_refreshes", acks_late=True, reject_on_worker_lost=True)
def schedule_stale_refreshes_old_name() -> int:
    """Alias of ``schedule_stale_refreshes`` under its old name, for a beat still on the old schedule."""
    return schedule.schedule_stale_refreshes()


# -- followed posts (issue 11): the same delivery guarantees and retry policy as the accounts ---------------------


@shared_task(name="stats.tasks.refresh_posts_task", **REFRESH_OPTIONS)
def refresh_posts_task(self, post_ids: list[int]) -> dict:
    """Refresh followed posts' numbers (stats.post_refresh.refresh_posts); retry only the posts that need it."""
    final = self.request.retries >= self.max_retries
    result = post_refresh.refresh_posts(post_ids=post_ids, count_failures=final)
    if result.deferred:
        countdown = min(RETRY_BACKOFF_MAX, max(1.0, result.retry_after))
        refresh_posts_task.apply_async(args=[result.deferred], countdown=countdown)
    clear_queued(result.refreshed + result.errored + (result.failed if final else []), kind=post_refresh.QUEUE_KIND)
    summary = {
        "refreshed": len(result.refreshed),
        "deferred": len(result.deferred),
        "failed": len(result.failed),
        "errored": len(result.errored),
        "requests": result.requests,
    }
    if result.failed and not final:
        countdown = get_exponential_backoff_interval(
            factor=RETRY_BACKOFF, retries=self.request.retries, maximum=RETRY_BACKOFF_MAX, full_jitter=True
        )
        raise self.retry(args=[result.failed], countdown=max(1, countdown))
    return summary


@shared_task(name="stats.tasks.schedule_post_refreshes", acks_late=True, reject_on_worker_lost=True)
def schedule_post_refreshes() -> int:
    """Beat, hourly: queue the followed posts that are due (daily to 30 days, weekly to 90)."""
    return post_refresh.schedule_post_refreshes()


# -- audience demographics (issue 11) ---------------------------------------------------------------------------


@shared_task(name="stats.tasks.refresh_demographics_task", **REFRESH_OPTIONS)
def refresh_demographics_task(self, account_ids: list[int]) -> dict:
    """Read connected accounts' audience demographics (stats.demographics); retry the rate-limited and failed."""
    result = demographics.refresh_demographics(account_ids=account_ids)
    if result.retry and self.request.retries < self.max_retries:
        countdown = max(
            result.retry_after,
            get_exponential_backoff_interval(
                factor=RETRY_BACKOFF, retries=self.request.retries, maximum=RETRY_BACKOFF_MAX, full_jitter=True
            ),
        )
        raise self.retry(args=[result.retry], countdown=max(1, min(RETRY_BACKOFF_MAX, countdown)))
    return {"stored": len(result.stored), "retry": len(result.retry), "skipped": len(result.skipped)}


@shared_task(name="stats.tasks.schedule_demographics", acks_late=True, reject_on_worker_lost=True)
def schedule_demographics() -> int:
    """Beat, daily: queue the connected accounts whose audience figures are due (every STATS_DEMOGRAPHICS_DAYS)."""
    return demographics.schedule_demographics()
