""" "Queued" markers in Redis: beat never queues an account that is already queued."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings

from core.ratelimit import redis_client

from .config import REDIS_PREFIX


def _marker(account_id: int, kind: str = "queued") -> str:
    return f"{REDIS_PREFIX}{kind}:{account_id}"


def marker_ttl() -> int:
    # Long enough to cover a queue backlog and the task's retries; if a message were ever
    # lost, the account is simply picked up again once its marker expires.
    return int(settings.STATS_QUEUED_TTL_SECONDS)


def mark_queued(account_ids: Sequence[int], kind: str = "queued") -> list[int]:
    """Set a marker for each id not marked yet (SET NX); return those newly marked, in order.

    ``kind`` keeps the markers of followed posts ("postqueued") apart from the accounts'."""
    if not account_ids:
        return []
    pipe = redis_client().pipeline(transaction=False)
    ttl = marker_ttl()
    for account_id in account_ids:
        pipe.set(_marker(account_id, kind), "1", nx=True, ex=ttl)
    return [account_id for account_id, ok in zip(account_ids, pipe.execute(), strict=True) if ok]


def clear_queued(account_ids: Iterable[int], kind: str = "queued") -> None:
    keys = [_marker(i, kind) for i in account_ids]
    if keys:
        redis_client().delete(*keys)
