"""Worker process body for the cross-process rate-limiter test (importable, so ``spawn`` can run it)."""

from __future__ import annotations

import time
from multiprocessing.queues import Queue
from typing import Any


def hammer(socket_path: str, key: str, limit: int, per_seconds: float, duration: float, out: Queue[Any]) -> None:
    """Acquire as fast as the limiter allows for ``duration`` s; report the Redis-clock grant times."""
    import redis

    from core.ratelimit import RateLimiter

    client = redis.Redis(unix_socket_path=socket_path)
    limiter = RateLimiter(client, key, limit, per_seconds)
    grants: list[float] = []
    end = time.monotonic() + duration
    while time.monotonic() < end:
        if limiter.acquire(timeout=max(0.0, end - time.monotonic())):
            assert limiter.last_grant_time is not None
            grants.append(limiter.last_grant_time)
    client.close()
    out.put(grants)
