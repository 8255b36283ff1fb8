"""The Redis limiter holds its quota across real processes."""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections.abc import Iterator

import pytest
import redis

from core.ratelimit import RateLimiter
from tests.fakes.limiter_worker import hammer


@pytest.fixture
def client(redis_socket: str) -> Iterator[redis.Redis]:
    conn = redis.Redis(unix_socket_path=redis_socket)
    yield conn
    conn.close()


def test_two_processes_never_exceed_the_limit(redis_socket: str) -> None:
    limit, per, duration = 20, 0.5, 2.0
    key = f"rl:{uuid.uuid4().hex}"
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    workers = [ctx.Process(target=hammer, args=(redis_socket, key, limit, per, duration, out)) for _ in range(2)]
    for w in workers:
        w.start()
    results = [out.get(timeout=30) for _ in workers]
    for w in workers:
        w.join(timeout=10)
        assert w.exitcode == 0
    grants = sorted(results[0] + results[1])
    assert results[0] and results[1], "both processes got a share"
    # Every window of `per` seconds holds at most `limit` grants: g[i + limit] - g[i] >= per.
    for i in range(len(grants) - limit):
        assert grants[i + limit] - grants[i] >= per - 1e-6, (i, grants[i], grants[i + limit])
    # ...and the limiter is not just refusing everything: close to limit × windows went through.
    span = grants[-1] - grants[0]
    assert len(grants) >= limit * (span / per) * 0.8


def test_non_blocking_and_wait_time(client: redis.Redis) -> None:
    # Grants 0.3 s apart so every expiry below is a known 0.3 s away from the next.
    limiter = RateLimiter(client, f"rl:{uuid.uuid4().hex}", limit=2, per_seconds=0.6)
    assert limiter.wait_time() == 0.0
    assert limiter.acquire(block=False)
    time.sleep(0.3)
    assert limiter.acquire(block=False)
    assert limiter.acquire(block=False) is False
    wait = limiter.wait_time()
    assert 0.15 < wait <= 0.31  # until the first grant leaves the window
    start = time.monotonic()
    assert limiter.acquire(timeout=1.0)
    assert time.monotonic() - start >= wait - 0.05
    start = time.monotonic()
    assert limiter.acquire(timeout=0.05) is False  # the next expiry is ~0.3 s away
    assert 0.04 <= time.monotonic() - start < 0.2


def test_acquire_many_and_validation(client: redis.Redis) -> None:
    limiter = RateLimiter(client, f"rl:{uuid.uuid4().hex}", limit=5, per_seconds=10)
    assert limiter.acquire(4, block=False)
    assert limiter.acquire(2, block=False) is False  # all-or-nothing
    assert limiter.acquire(1, block=False)
    with pytest.raises(ValueError):
        limiter.acquire(6)
    with pytest.raises(ValueError):
        RateLimiter(client, "x", limit=0, per_seconds=1)
