"""The product's one rate limiter for its own limits, shared by every worker process, kept in Redis.

Used by the statistics pipeline (each platform's request quota, stats.config)
and by "Refresh now" (a few per creator per 24 h, stats.manual). allauth keeps
its own login limits. ``redis_client()`` is the one connection they share.

Why a sliding-window log rather than a token bucket: the platforms document
their limits as "N requests per sliding window" (TikTok: 600 per 1-minute
sliding window per endpoint), and a log enforces exactly that — in *every*
window of ``per_seconds`` at most ``limit`` acquisitions — with no burst
allowance to reason about. The cost is one sorted-set member per request
still inside the window (600 small members for TikTok), which is nothing.

Atomicity: the check-and-add runs as one Lua script, so two workers can never
both take the last slot. The script reads the clock with Redis ``TIME``, so
workers on machines with skewed clocks still share one timeline (Redis ≥ 5
replicates script effects, which makes ``TIME`` before a write legal).

Boundary rule: a grant at time ``t`` stops counting at exactly ``t + per_seconds``;
so for the sorted grant times ``g``, ``g[i + limit] - g[i] >= per_seconds``.
"""

from __future__ import annotations

import itertools
import os
import random
import time
import uuid
from typing import Any

from django.conf import settings

_SCRIPT = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local member = ARGV[4]
local dry_run = ARGV[5] == '1'
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count + n <= limit then
  if not dry_run then
    for i = 1, n do
      redis.call('ZADD', key, now, member .. ':' .. i)
    end
    redis.call('PEXPIRE', key, math.floor(window / 1000) + 1000)
  end
  return {1, 0, t[1], t[2], count}
end
local oldest = redis.call('ZRANGE', key, count + n - limit - 1, count + n - limit - 1, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1 then wait = 1 end
return {0, wait, t[1], t[2], count}
"""


_redis_clients: dict[tuple[int, str], Any] = {}


def redis_client() -> Any:
    """One client per process and Redis URL (pool connections are not safe to share across a fork).

    The limiter database (settings.REDIS_LIMITER_URL), never the cache's: cache.clear() must not reset quotas.
    """
    import redis

    url = settings.REDIS_LIMITER_URL
    key = (os.getpid(), url)
    if key not in _redis_clients:
        _redis_clients[key] = redis.Redis.from_url(url)
    return _redis_clients[key]


class RateLimiter:
    """At most ``limit`` acquisitions per ``per_seconds`` across every process using ``key``.

    ``redis_client`` is a ``redis.Redis`` (or anything with ``register_script``).
    ``last_grant_time`` is the Redis-clock time (seconds) of this instance's
    latest successful acquire, for observability and for the cross-process test.
    """

    def __init__(self, redis_client: Any, key: str, limit: int, per_seconds: float) -> None:
        if limit < 1 or per_seconds <= 0:
            raise ValueError("limit must be >= 1 and per_seconds > 0")
        self.redis = redis_client
        self.key = key
        self.limit = int(limit)
        self.per_seconds = float(per_seconds)
        self._window_us = round(self.per_seconds * 1_000_000)
        self._script = redis_client.register_script(_SCRIPT)
        self._prefix = f"{os.getpid()}:{uuid.uuid4().hex}"
        self._seq = itertools.count()
        self.last_grant_time: float | None = None
        self._in_window = 0

    def _call(self, n: int, dry_run: bool) -> tuple[bool, float]:
        member = f"{self._prefix}:{next(self._seq)}"
        # TIME comes back as (seconds, microseconds) strings: Lua would print the
        # combined microsecond number in floating-point notation.
        granted, wait_us, seconds, micros, count = self._script(
            keys=[self.key], args=[self.limit, self._window_us, n, member, "1" if dry_run else "0"]
        )
        if granted and not dry_run:
            self.last_grant_time = int(seconds) + int(micros) / 1_000_000
        self._in_window = int(count) + (n if granted and not dry_run else 0)
        return bool(granted), int(wait_us) / 1_000_000

    def acquire(self, n: int = 1, block: bool = True, timeout: float | None = None) -> bool:
        """Take ``n`` slots; with ``block`` wait for them (at most ``timeout`` seconds).

        Returns False when not granted (non-blocking, or the timeout passed).
        ``n`` larger than ``limit`` can never be granted and raises ValueError.
        """
        if n < 1 or n > self.limit:
            raise ValueError(f"n must be between 1 and limit ({self.limit})")
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            granted, wait = self._call(n, dry_run=False)
            if granted:
                return True
            if not block:
                return False
            # A little jitter so waiting workers do not all retry in the same millisecond.
            wait += random.uniform(0, min(0.01, self.per_seconds / 100))
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                wait = min(wait, remaining)
            time.sleep(wait)

    def wait_time(self) -> float:
        """Seconds until one slot is free (0.0 when one is free now); takes nothing."""
        granted, wait = self._call(1, dry_run=True)
        return 0.0 if granted else wait

    def remaining(self) -> int:
        """Slots free in the current window now; takes nothing."""
        self._call(1, dry_run=True)
        return max(0, self.limit - self._in_window)
