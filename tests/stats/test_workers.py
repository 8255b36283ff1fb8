"""Real `celery worker` processes on the test database and Redis: the shared quota and the SIGKILL case."""

from __future__ import annotations

import os
import signal
import time

import pytest
from celery.result import AsyncResult

from core.ratelimit import redis_client
from creators.models import Platform, RefreshStatus, SocialAccount
from stats.config import REDIS_PREFIX
from stats.models import AuthenticityFlag, StatsSnapshot
from stats.tasks import refresh_accounts_task
from tests.conftest import broker_redis
from tests.factories import SocialAccountFactory
from tests.fakes import FakeInstagram

from .conftest import fake_account, posts

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


class TimedInstagram(FakeInstagram):
    """Records when each request arrived, to check the quota as the platform sees it."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.arrivals: list[float] = []

    def dispatch(self, request):
        with self._lock:
            self.arrivals.append(time.monotonic())
        return super().dispatch(request)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def instagram():
    with TimedInstagram(generate_missing=False) as fake:
        yield fake


@pytest.fixture
def empty_broker():
    """No message of an earlier test may reach these workers."""
    client = broker_redis()
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")
    limiter = redis_client()
    keys = list(limiter.scan_iter(f"{REDIS_PREFIX}*"))
    if keys:
        limiter.delete(*keys)
    yield client
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")


def worker_env(fake, **extra) -> dict[str, str]:
    return {
        "STATS_PROVIDER_DEMO": "false",
        "INSTAGRAM_ACCESS_TOKEN": "IGQ-test",
        "INSTAGRAM_IG_USER_ID": "17841405309211844",
        "INSTAGRAM_API_BASE": fake.url,
        "INSTAGRAM_REQUESTS_PER_MINUTE": "10000",  # the documented 3 a minute would make the test wait
        **{k: str(v) for k, v in extra.items()},
    }


def make_accounts(fake, n: int, prefix: str) -> list[int]:
    ids = []
    for k in range(n):
        handle = f"{prefix}{k}"
        fake.add(fake_account(f"17841400000{k:06d}", handle, 2_000 + k, posts(3, likes=80, comments=4, prefix=handle)))
        ids.append(SocialAccountFactory(platform=Platform.INSTAGRAM, handle=handle, followers=None).id)
    return ids


def test_two_workers_share_one_quota(celery_worker_process, instagram, empty_broker):
    limit, window = 5, 1.0
    ids = make_accounts(instagram, 20, "quota")
    env = worker_env(instagram, INSTAGRAM_REQUESTS_PER_MINUTE=limit, STATS_RATE_WINDOW_SECONDS=window)
    workers = [celery_worker_process("-P", "solo", "-n", f"quota{n}@%h", env=env) for n in (1, 2)]
    results = [refresh_accounts_task.delay(ids[i : i + 2]) for i in range(0, len(ids), 2)]
    for result in results:
        assert result.get(timeout=60)["refreshed"] == 2

    arrivals = sorted(instagram.arrivals)
    assert len(arrivals) == 20
    # In every window of 1 s the platform saw at most 5 requests (50 ms for the loopback trip)...
    for i in range(len(arrivals) - limit):
        assert arrivals[i + limit] - arrivals[i] >= window - 0.05, (i, arrivals)
    # ...and the limiter was the bottleneck, not idleness: 20 requests need at least 3 full windows.
    assert arrivals[-1] - arrivals[0] >= 3 * window - 0.05
    for worker in workers:  # both took part (the log line follows the stored result closely)
        wait_for(lambda w=worker: "succeeded" in w.output(), 10, "both workers to have run a batch")
    assert SocialAccount.objects.filter(id__in=ids, refresh_status=RefreshStatus.OK).count() == 20


def test_sigkill_mid_batch_loses_no_update_and_writes_each_once(celery_worker_process, instagram, empty_broker):
    """Measured: the Redis transport keeps a delivered message in its ``unacked`` hash; when the whole
    worker is SIGKILLed nobody requeues it, and another worker puts it back only once it is older than
    the visibility timeout, at that worker's start or on its periodic sweep."""
    ids = make_accounts(instagram, 10, "kill")
    # The batch's first request hangs, so the task is in flight when the worker dies.
    instagram.fail("slow", times=1, delay=30)
    env = worker_env(
        instagram,
        CELERY_VISIBILITY_TIMEOUT=3,
        CELERY_UNACKED_RESTORE_INTERVAL=1,
        CELERY_UNACKED_RESTORE_THROTTLE=1,
        STATS_HTTP_TIMEOUT=60,
    )
    doomed = celery_worker_process("-P", "solo", "-n", "doomed@%h", env=env)
    result: AsyncResult = refresh_accounts_task.delay(ids)
    wait_for(lambda: instagram.request_count >= 1, 30, "the first worker to start the batch")
    assert empty_broker.hlen("unacked") == 1  # delivered, not acknowledged
    os.killpg(doomed.proc.pid, signal.SIGKILL)
    doomed.proc.wait(timeout=10)
    killed_at = time.monotonic()
    assert SocialAccount.objects.filter(id__in=ids, last_refreshed_at__isnull=False).count() == 0

    rescuer = celery_worker_process("-P", "solo", "-n", "rescuer@%h", env=env)
    summary = result.get(timeout=30)
    assert summary["refreshed"] == 10
    assert time.monotonic() - killed_at >= 3 - 0.5  # not before the visibility timeout
    wait_for(lambda: "succeeded" in rescuer.output(), 10, "the rescuer to log its success")

    # Every account got its update, and exactly one snapshot, with the numbers of the platform.
    rows = SocialAccount.objects.filter(id__in=ids).order_by("id").values_list("refresh_status", "followers")
    assert list(rows) == [(RefreshStatus.OK, 2_000 + k) for k in range(10)]
    assert StatsSnapshot.objects.filter(account_id__in=ids).count() == 10
    assert AuthenticityFlag.objects.filter(account_id__in=ids).count() == 0
    # The message is gone for good: acknowledged, nothing left to redeliver.
    assert empty_broker.hlen("unacked") == 0 and empty_broker.llen("celery") == 0
    # Only the request the dead worker made was repeated.
    assert instagram.request_count == 11


def test_killed_pool_child_is_requeued_at_once(celery_worker_process, instagram, empty_broker):
    """reject_on_worker_lost: when only the prefork child dies, the parent requeues the message itself."""
    ids = make_accounts(instagram, 3, "child")
    instagram.fail("slow", times=1, delay=30)
    env = worker_env(instagram, STATS_HTTP_TIMEOUT=60)  # default visibility timeout: 600 s
    worker = celery_worker_process("-P", "prefork", "-c", "1", "-n", "parent@%h", env=env)
    result = refresh_accounts_task.delay(ids)
    wait_for(lambda: instagram.request_count >= 1, 30, "the pool child to start the batch")
    import psutil

    children = psutil.Process(worker.proc.pid).children()
    assert len(children) == 1
    os.kill(children[0].pid, signal.SIGKILL)
    assert result.get(timeout=60)["refreshed"] == 3  # long before 600 s
    assert StatsSnapshot.objects.filter(account_id__in=ids).count() == 3
