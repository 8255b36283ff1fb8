"""Cache, Celery broker/results and limiters live in separate Redis databases: cache.clear() loses no task."""

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured

from marketplace.celery import app
from marketplace.settings.base import redis_urls
from marketplace.tasks import heartbeat
from tests.conftest import broker_redis


def test_a_tcp_url_gives_three_consecutive_databases():
    assert redis_urls("redis://redis:6379/0") == {
        "cache": "redis://redis:6379/0",
        "broker": "redis://redis:6379/1",
        "celery": "redis://redis:6379/1",
        "limiter": "redis://redis:6379/2",
    }
    assert redis_urls("redis://:secret@cache.example:6380") == {
        "cache": "redis://:secret@cache.example:6380/0",
        "broker": "redis://:secret@cache.example:6380/1",
        "celery": "redis://:secret@cache.example:6380/1",
        "limiter": "redis://:secret@cache.example:6380/2",
    }
    assert redis_urls("rediss://u:p@h:6379/4?ssl_cert_reqs=required") == {
        "cache": "rediss://u:p@h:6379/4?ssl_cert_reqs=required",
        "broker": "rediss://u:p@h:6379/5?ssl_cert_reqs=required",
        "celery": "rediss://u:p@h:6379/5?ssl_cert_reqs=required",
        "limiter": "rediss://u:p@h:6379/6?ssl_cert_reqs=required",
    }


def test_a_unix_socket_url_uses_each_clients_own_spelling_of_the_database():
    assert redis_urls("unix:///run/redis.sock") == {
        "cache": "unix:///run/redis.sock?db=0",
        "broker": "unix:///run/redis.sock?db=1",
        "celery": "redis+socket:///run/redis.sock?virtual_host=1",
        "limiter": "unix:///run/redis.sock?db=2",
    }
    assert redis_urls("unix:///run/redis.sock?db=7") == {
        "cache": "unix:///run/redis.sock?db=7",
        "broker": "unix:///run/redis.sock?db=8",
        "celery": "redis+socket:///run/redis.sock?virtual_host=8",
        "limiter": "unix:///run/redis.sock?db=9",
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("redis://h:6379/14", "database 14 leaves no room"),
        ("redis://h:6379/x", "must be a number"),
        ("memcached://h:11211", "must start with redis://"),
    ],
)
def test_a_url_without_room_or_sense_is_refused_with_a_reason(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        redis_urls(url)


def _db(client) -> int:
    return client.connection_pool.connection_kwargs["db"]


def test_the_running_clients_really_use_three_databases():
    from core.ratelimit import redis_client

    cache_db = _db(caches["default"]._cache.get_client())
    limiter_db = _db(caches["ratelimit"]._cache.get_client())
    with app.connection_for_write() as conn:
        broker_db = _db(conn.default_channel.client)
    assert limiter_db == _db(redis_client())
    assert broker_db == _db(broker_redis())
    assert len({cache_db, broker_db, limiter_db}) == 3
    assert app.backend.connparams["db"] == broker_db


def test_cache_clear_keeps_quota_windows_and_counters():
    from core.ratelimit import redis_client
    from stats.config import REDIS_PREFIX

    client = redis_client()
    client.set(f"{REDIS_PREFIX}test:window", "5")
    cache.set("something-cached", 1)
    try:
        cache.clear()
        assert cache.get("something-cached") is None
        assert client.get(f"{REDIS_PREFIX}test:window") == b"5"
    finally:
        client.delete(f"{REDIS_PREFIX}test:window")


@pytest.mark.slow
def test_a_task_queued_before_cache_clear_is_still_delivered(celery_worker_process):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    queue = app.conf.task_default_queue
    broker = broker_redis()
    broker.delete(queue)
    result = heartbeat.delay()
    assert broker.llen(queue) == 1
    cache.clear()  # what every test and a careless shell do
    assert broker.llen(queue) == 1
    worker = celery_worker_process("-P", "solo")
    try:
        value = result.get(timeout=60)
    except Exception:
        print(worker.output())
        raise
    assert value["users"] == 0
    # The worker derived the same cache database from REDIS_URL: we read what it wrote.
    assert cache.get("marketplace:heartbeat") == value["at"]
