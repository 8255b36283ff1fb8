"""The statistics pipeline's write side: refresh linked accounts from the platforms (PRODUCT §7).

``refresh_accounts`` is the one service; the Celery tasks in ``stats.tasks``
are thin wrappers around it and ``stats.schedule.schedule_stale_refreshes``. Design notes:

* **Set-based writes.** Whatever the batch size, a refresh costs a fixed
  number of statements: one ``UPDATE ... FROM unnest(...)`` for the accounts'
  numbers (Django's ``bulk_update`` builds one CASE per column and was measured
  at 65 s against 2 s for 100,000 rows), one ``INSERT ... ON CONFLICT`` for the
  snapshots, one statement for the creators' audience, one for the flags and
  one for the failures.
* **Idempotent.** Snapshots are unique per (account, period = UTC day) and
  written with ``ON CONFLICT DO UPDATE``; open flags are unique per (account,
  code) and written with ``ON CONFLICT DO NOTHING``. A duplicated or retried
  task therefore rewrites the same rows with the same numbers and adds none.
* **Quota.** Every HTTP request a provider makes first takes a slot from the
  platform's Redis ``RateLimiter`` (shared by every worker process), through
  ``Provider.throttle``. A task stops taking slots after
  ``STATS_TASK_TIME_BUDGET`` seconds and hands its remaining accounts back as
  *deferred*, so no task runs longer than the broker's visibility timeout.
* **Failures.** Each account's outcome is one of: refreshed; *deferred*
  (the platform or our limiter said "not now": RateLimited/QuotaExceeded, which
  is about our quota, not the account, so it never counts against it);
  *failed* (a retryable error: TransientError/MalformedResponse; status
  ``failing``, and ``consecutive_failures`` + 1 when the refresh round gives
  up); or *errored* (AccountGone/AuthError or another non-retryable error, or
  ``STATS_MAX_CONSECUTIVE_FAILURES`` failed rounds in a row: status ``error``
  and one email asking the creator to re-link, sent after commit).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import site
from creators.models import RefreshStatus, SocialAccount
from creators.services import creator_recompute_audience
from creators.tiers import tier_for

from . import engagement
from .config import limiter_for, provider_for
from .providers.base import AccountRef, AccountStats, Provider, ProviderError, QuotaExceeded, RateLimited
from .providers.demo import DemoProvider

logger = logging.getLogger(__name__)

MAX_ENGAGEMENT = Decimal("999.99")  # the column holds 6 digits; anything near this is flagged anyway


class BudgetExhausted(RateLimited):
    """Our own limiter had no slot within the task's time budget: defer, do not count as a failure."""


# -- the refresh -----------------------------------------------------------------


@dataclass
class RefreshResult:
    refreshed: list[int] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    errored: list[int] = field(default_factory=list)
    retry_after: float = 0.0
    requests: int = 0
    flags_raised: int = 0


@dataclass
class _Row:
    """One account's computed numbers, ready to be written."""

    id: int
    creator_id: int
    stats: AccountStats
    engagement_rate: Decimal | None
    avg_likes: float | None
    avg_comments: float | None
    avg_views: float | None
    tier: str | None
    flags: list[engagement.Flag]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _clamp(rate: Decimal | None) -> Decimal | None:
    if rate is None:
        return None
    return min(rate, MAX_ENGAGEMENT)


def throttle_for(provider: Provider, deadline: float) -> Callable[[], None]:
    """Plug the platform's shared limiter into ``provider`` (every remote request takes a slot first); returned too,
    so providers that never leave the process can take one slot per call."""
    platform = provider.platform
    limiter = limiter_for(provider)
    ceiling = float(settings.STATS_USAGE_CEILING_PERCENT)

    def throttle() -> None:
        # Meta reports usage as a percentage instead of a fixed quota: stop before it refuses us.
        usage = getattr(provider, "last_usage_percent", None)
        if usage is not None and usage >= ceiling:
            raise RateLimited(
                f"{platform}: API usage at {usage:.0f} %", retry_after=getattr(provider, "_regain_after", None) or 60.0
            )
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not limiter.acquire(timeout=remaining):
            raise BudgetExhausted(
                f"{platform}: no rate-limit slot within the task's time budget",
                retry_after=max(1.0, limiter.wait_time()),
            )

    provider.throttle = throttle
    return throttle


def fetch_in_batches(provider, refs: list, *, size: int, fetch, throttle, as_of, missing) -> dict[int, Any]:
    """Ask ``provider`` about ``refs`` ``size`` at a time through ``fetch`` (``provider.fetch`` for accounts,
    ``fetch_posts`` for posts): {int(ref.key): the answer, or the ProviderError for that ref}.

    A provider that never leaves the process (the demo) takes one limiter slot per call through ``throttle``;
    the others take theirs per HTTP request. Once the platform (or our budget) says "slow down", the later
    batches are not asked: they would only hear it again, so they get the same error. A ref the answer leaves
    out gets ``ProviderError(missing(ref))``.
    """
    outcomes: dict[int, Any] = {}
    stop: ProviderError | None = None
    size = max(1, size)
    for start in range(0, len(refs), size):
        batch = refs[start : start + size]
        if stop is None:
            try:
                if not provider.makes_requests:
                    throttle()
                fetched = fetch(batch, as_of=as_of) if isinstance(provider, DemoProvider) else fetch(batch)
            except ProviderError as exc:
                fetched = {ref.key: exc for ref in batch}
            for value in fetched.values():
                if isinstance(value, (RateLimited, QuotaExceeded)):
                    stop = value
                    break
        else:
            fetched = {ref.key: stop for ref in batch}
        for ref in batch:
            outcomes[int(ref.key)] = fetched.get(ref.key) or ProviderError(missing(ref))
    return outcomes


def _fetch_platform(
    platform: str, accounts: list[dict[str, Any]], *, as_of: datetime | None, deadline: float, result: RefreshResult
) -> dict[int, AccountStats | ProviderError]:
    """Ask ``platform`` about ``accounts`` in ``max_batch`` calls, every request through the shared limiter."""
    provider = provider_for(platform)
    throttle = throttle_for(provider, deadline)
    refs = [
        AccountRef(key=str(a["id"]), handle=a["handle"], external_id=a["external_id"], access_token=a["access_token"])
        for a in accounts
    ]
    outcomes = fetch_in_batches(
        provider,
        refs,
        size=provider.max_batch,
        fetch=provider.fetch,
        throttle=throttle,
        as_of=as_of,
        missing=lambda ref: f"{platform}: no answer for {ref.handle}",
    )
    result.requests += provider.requests_made
    close = getattr(provider, "close", None)
    if close:
        close()
    return outcomes


def refresh_accounts(
    *,
    account_ids: Iterable[int],
    as_of: datetime | None = None,
    count_failures: bool = True,
    time_budget: float | None = None,
) -> RefreshResult:
    """Fetch fresh numbers for ``account_ids`` from their platforms and write them.

    Requires: nothing (unknown ids are ignored). Changes: the accounts' numbers,
    tier and refresh status; one StatsSnapshot per account for the UTC day of
    ``as_of`` (default now); the creators' followers/engagement/tier; open
    AuthenticityFlags. ``count_failures`` is False on attempts the task will
    retry, so a failure counts once per refresh round, not once per retry.
    Sends (after commit) one re-link email per account that moves to ``error``.
    Safe to run twice: see the module docstring.
    """
    ids = sorted({int(i) for i in account_ids})
    result = RefreshResult()
    if not ids:
        return result
    taken_at = as_of or timezone.now()
    period = taken_at.astimezone(UTC).date() if timezone.is_aware(taken_at) else taken_at.date()
    budget = settings.STATS_TASK_TIME_BUDGET if time_budget is None else time_budget
    deadline = time.monotonic() + budget

    accounts = list(
        SocialAccount.objects.filter(id__in=ids).values(
            "id", "creator_id", "platform", "handle", "external_id", "access_token"
        )
    )
    by_platform: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for account in accounts:
        by_platform[account["platform"]].append(account)
    creator_of = {a["id"]: a["creator_id"] for a in accounts}

    outcomes: dict[int, AccountStats | ProviderError] = {}
    for platform in sorted(by_platform):
        outcomes.update(_fetch_platform(platform, by_platform[platform], as_of=as_of, deadline=deadline, result=result))

    previous = _previous_snapshots([i for i, o in outcomes.items() if isinstance(o, AccountStats)], period)
    spike_window = timedelta(hours=settings.STATS_SPIKE_WINDOW_HOURS)
    platform_of = {a["id"]: a["platform"] for a in accounts}
    rows: list[_Row] = []
    failures: dict[int, tuple[bool, str]] = {}  # id -> (fatal, message)
    for account_id, outcome in outcomes.items():
        if isinstance(outcome, AccountStats):
            rows.append(
                _compute(
                    account_id,
                    creator_of[account_id],
                    platform_of[account_id],
                    outcome,
                    previous.get(account_id),
                    taken_at,
                    spike_window,
                )
            )
            result.refreshed.append(account_id)
        elif isinstance(outcome, (RateLimited, QuotaExceeded)):
            result.deferred.append(account_id)
            result.retry_after = max(result.retry_after, getattr(outcome, "retry_after", 0.0) or 60.0)
        elif outcome.retryable:
            failures[account_id] = (False, str(outcome)[:500])
            result.failed.append(account_id)
        else:
            failures[account_id] = (True, str(outcome)[:500])
            result.errored.append(account_id)

    # Overlapping batches (a manual refresh during beat's) then tend to lock rows in one order; a
    # deadlock that still happens is an OperationalError, which the task retries.
    rows.sort(key=lambda r: r.id)
    with transaction.atomic():
        _write_numbers(rows, taken_at)
        _write_snapshots(rows, period, taken_at)
        creator_recompute_audience(creator_ids=sorted({r.creator_id for r in rows}))
        result.flags_raised = _write_flags(rows, taken_at)
        newly_errored = _write_failures(failures, taken_at, count_failures=count_failures)
        if newly_errored:
            transaction.on_commit(lambda: _send_relink_emails(newly_errored))
    # Accounts that reached N failures in a row are errors now, not failures.
    result.errored += [i for i in newly_errored if i in result.failed]
    result.failed = [i for i in result.failed if i not in set(newly_errored)]
    return result


def _previous_snapshots(ids: list[int], period: date) -> dict[int, tuple[int | None, float | None, datetime]]:
    """The latest snapshot before ``period`` per account: (followers, avg_likes, taken_at); one query."""
    if not ids:
        return {}
    sql = """
        SELECT DISTINCT ON (account_id) account_id, followers, avg_likes, taken_at
        FROM creators_statssnapshot
        WHERE account_id = ANY(%s) AND period < %s
        ORDER BY account_id, period DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids, period])
        return {row[0]: (row[1], row[2], row[3]) for row in cursor.fetchall()}


def _compute(
    account_id: int,
    creator_id: int,
    platform: str,
    stats: AccountStats,
    previous: tuple[int | None, float | None, datetime] | None,
    taken_at: datetime,
    spike_window: timedelta,
) -> _Row:
    rate = _clamp(engagement.engagement_rate(platform, stats.followers, stats.posts))
    avg_likes, avg_comments, avg_views = engagement.averages(stats.posts)
    tier = tier_for(stats.followers)
    tier_value = tier.value if tier else None
    prev_followers, prev_likes, prev_at = previous if previous else (None, None, None)
    flags = engagement.authenticity_flags(
        platform,
        followers=stats.followers,
        posts=stats.posts,
        engagement=rate,
        tier=tier_value,
        previous_followers=prev_followers,
        previous_avg_likes=prev_likes,
        elapsed=(taken_at - prev_at) if prev_at else None,
        spike_window=spike_window,
    )
    return _Row(
        account_id, creator_id, stats, rate, _num(avg_likes), _num(avg_comments), _num(avg_views), tier_value, flags
    )


def _write_numbers(rows: list[_Row], taken_at: datetime) -> None:
    if not rows:
        return
    sql = """
        UPDATE creators_socialaccount AS a SET
            followers = v.followers, following = v.following, posts_count = v.posts_count,
            total_views = v.total_views, avg_likes = v.avg_likes, avg_comments = v.avg_comments,
            avg_views = v.avg_views, engagement_rate = v.engagement_rate, tier = v.tier,
            likes_hidden = v.likes_hidden, self_reported = v.self_reported, followers_hidden = v.followers_hidden,
            external_id = COALESCE(NULLIF(v.external_id, ''), a.external_id),
            last_refreshed_at = %s, last_attempted_at = %s,
            refresh_status = %s, refresh_error = '', consecutive_failures = 0
        FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::integer[], %s::bigint[], %s::float8[],
                    %s::float8[], %s::float8[], %s::numeric[], %s::varchar[], %s::boolean[], %s::boolean[],
                    %s::varchar[], %s::boolean[])
            AS v(id, followers, following, posts_count, total_views, avg_likes, avg_comments, avg_views,
                 engagement_rate, tier, likes_hidden, self_reported, external_id, followers_hidden)
        WHERE a.id = v.id
    """
    s = [r.stats for r in rows]
    params = [
        taken_at,
        taken_at,
        RefreshStatus.OK.value,
        [r.id for r in rows],
        [x.followers for x in s],
        [x.following for x in s],
        [x.posts_count for x in s],
        [x.total_views for x in s],
        [r.avg_likes for r in rows],
        [r.avg_comments for r in rows],
        [r.avg_views for r in rows],
        [r.engagement_rate for r in rows],
        [r.tier for r in rows],
        [any(p.likes_hidden for p in x.posts) for x in s],
        [x.self_reported for x in s],
        [x.external_id[:100] for x in s],
        [x.followers_hidden for x in s],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _write_snapshots(rows: list[_Row], period: date, taken_at: datetime) -> None:
    if not rows:
        return
    sql = """
        INSERT INTO creators_statssnapshot
            (account_id, period, taken_at, followers, following, posts_count, total_views,
             avg_likes, avg_comments, avg_views, engagement_rate)
        SELECT v.id, %s, %s, v.followers, v.following, v.posts_count, v.total_views,
               v.avg_likes, v.avg_comments, v.avg_views, v.engagement_rate
        FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::integer[], %s::bigint[], %s::float8[],
                    %s::float8[], %s::float8[], %s::numeric[])
            AS v(id, followers, following, posts_count, total_views, avg_likes, avg_comments, avg_views,
                 engagement_rate)
        ON CONFLICT (account_id, period) DO UPDATE SET
            taken_at = EXCLUDED.taken_at, followers = EXCLUDED.followers, following = EXCLUDED.following,
            posts_count = EXCLUDED.posts_count, total_views = EXCLUDED.total_views,
            avg_likes = EXCLUDED.avg_likes, avg_comments = EXCLUDED.avg_comments,
            avg_views = EXCLUDED.avg_views, engagement_rate = EXCLUDED.engagement_rate
    """
    s = [r.stats for r in rows]
    params = [
        period,
        taken_at,
        [r.id for r in rows],
        [x.followers for x in s],
        [x.following for x in s],
        [x.posts_count for x in s],
        [x.total_views for x in s],
        [r.avg_likes for r in rows],
        [r.avg_comments for r in rows],
        [r.avg_views for r in rows],
        [r.engagement_rate for r in rows],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _write_flags(rows: list[_Row], raised_at: datetime) -> int:
    """Insert each new flag; an open flag of the same code keeps the numbers that first raised it."""
    flagged = [(r.id, f) for r in rows for f in r.flags]
    if not flagged:
        return 0
    sql = """
        INSERT INTO creators_authenticityflag (account_id, code, message, numbers, raised_at)
        SELECT v.id, v.code, v.message, v.numbers, %s
        FROM unnest(%s::bigint[], %s::varchar[], %s::text[], %s::jsonb[]) AS v(id, code, message, numbers)
        ON CONFLICT (account_id, code) WHERE resolved_at IS NULL DO NOTHING
    """
    params = [
        raised_at,
        [i for i, _ in flagged],
        [f.code for _, f in flagged],
        [f.message for _, f in flagged],
        [json.dumps(f.numbers) for _, f in flagged],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _write_failures(failures: Mapping[int, tuple[bool, str]], at: datetime, *, count_failures: bool) -> list[int]:
    """Record failures; return the ids that moved to ``error`` now (they get the re-link email)."""
    if not failures:
        return []
    ids = sorted(failures)
    limit = settings.STATS_MAX_CONSECUTIVE_FAILURES
    sql = """
        WITH v AS (
            SELECT * FROM unnest(%s::bigint[], %s::boolean[], %s::text[]) AS v(id, fatal, message)
        ), old AS (
            SELECT a.id, a.refresh_status FROM creators_socialaccount a JOIN v ON v.id = a.id FOR UPDATE OF a
        )
        UPDATE creators_socialaccount AS a SET
            consecutive_failures = LEAST(a.consecutive_failures + %s, 32767),
            refresh_status = CASE
                WHEN v.fatal OR a.consecutive_failures + %s >= %s THEN %s
                ELSE %s END,
            refresh_error = v.message,
            last_attempted_at = %s
        FROM v, old
        WHERE a.id = v.id AND old.id = v.id
        RETURNING a.id, old.refresh_status, a.refresh_status
    """
    step = 1 if count_failures else 0
    params = [
        ids,
        [failures[i][0] for i in ids],
        [failures[i][1] for i in ids],
        step,
        step,
        limit,
        RefreshStatus.ERROR.value,
        RefreshStatus.FAILING.value,
        at,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(
            account_id
            for account_id, old, new in cursor.fetchall()
            if new == RefreshStatus.ERROR and old != RefreshStatus.ERROR
        )


def _send_relink_emails(account_ids: list[int]) -> None:
    accounts = SocialAccount.objects.filter(id__in=account_ids).select_related("creator__user")
    for account in accounts:
        context = {
            "account": account,
            "creator": account.creator,
            "relink_url": site.absolute_url(reverse("creators:accounts")),
            "site_name": site.site_name(),
        }
        try:
            send_mail(
                subject=_("Please re-link your %(platform)s account") % {"platform": account.get_platform_display()},
                message=render_to_string("stats/relink_email.txt", context),
                from_email=None,
                recipient_list=[account.creator.user.email],
            )
        except Exception:  # noqa: BLE001 - a mail outage must not fail the refresh that already committed
            logger.exception("re-link email for account %s could not be sent", account.id)


def expected_requests(platform: str, accounts: int, recent_posts: int = 12) -> int:
    """Remote requests a refresh of ``accounts`` costs on ``platform`` (for the benchmark's minimum)."""
    if platform == "youtube":
        # channels.list per 50 ids, playlistItems.list per channel, videos.list per whole channels fitting in 50 ids.
        return math.ceil(accounts / 50) + accounts + math.ceil(accounts / max(1, 50 // max(1, recent_posts)))
    if platform == "tiktok":
        return accounts * (1 + math.ceil(recent_posts / 20))
    if platform == "instagram":
        return accounts
    return 0


def demo_backfill_history(*, account_ids: Sequence[int], days: int = 30, now: datetime | None = None) -> int:
    """Give demo accounts ``days`` of daily snapshots and demo audience demographics (for `make run`'s seed).

    Only accounts whose platform is served by the demo provider are touched, so
    real platforms are never called for history. Today's snapshot is left to
    the beat's first refresh. Idempotent (one snapshot per account and day).
    Returns the number of accounts backfilled.
    """
    now = now or timezone.now()
    demo = [p for p in ("youtube", "instagram", "tiktok", "linkedin") if isinstance(provider_for(p), DemoProvider)]
    ids = list(SocialAccount.objects.filter(id__in=account_ids, platform__in=demo).values_list("id", flat=True))
    for back in range(days, 0, -1):
        refresh_accounts(account_ids=ids, as_of=now - timedelta(days=back), time_budget=600)
    from .demographics import refresh_demographics  # the demo's audience demographics too (issue 11)

    refresh_demographics(account_ids=ids, time_budget=600)
    return len(ids)
