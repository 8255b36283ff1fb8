"""A real Celery worker process executes a task sent through Redis (no eager mode)."""

import pytest

from marketplace.celery import app
from marketplace.tasks import heartbeat
from tests.factories import UserFactory

pytestmark = [pytest.mark.slow]


def test_a_real_worker_runs_a_task_through_redis(celery_worker_process, django_db_blocker):
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url.startswith(("redis://", "redis+socket://", "rediss://"))
    UserFactory.create_batch(3)
    worker = celery_worker_process("-P", "solo")
    result = heartbeat.delay()
    try:
        value = result.get(timeout=60)
    except Exception:
        print(worker.output())
        raise
    # The worker read the test database through its own connection.
    assert value["users"] == 3
    assert "marketplace.tasks.heartbeat" in worker.output()


def test_tasks_queued_inside_a_transaction_wait_for_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        result = heartbeat.delay()  # deferred, not sent yet, but its id is known
    assert len(callbacks) == 1
    assert result.id and result.state == "PENDING"


def test_celery_is_json_only():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True and app.conf.task_reject_on_worker_lost is True
    assert "marketplace-heartbeat" in app.conf.beat_schedule
