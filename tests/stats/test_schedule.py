"""Beat selection: pending first, then the stalest; not fresh, errored or backing-off ones; never queued twice."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from creators.models import Platform, RefreshStatus
from marketplace.celery import app
from stats.queue import clear_queued
from stats.schedule import due_account_ids, schedule_stale_refreshes
from tests.conftest import broker_redis
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker():
    """The real broker queue in Redis, emptied before and after; yields a reader of queued (task, args)."""
    client = broker_redis()
    client.delete("celery")

    def messages() -> list[tuple[str, list]]:
        out = []
        for raw in reversed(client.lrange("celery", 0, -1)):  # LPUSH: oldest last
            message = json.loads(raw)
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            out.append((message["headers"]["task"], args))
        return out

    yield messages
    client.delete("celery")


def _accounts(now):
    hours = timedelta(hours=1)
    return {
        "pending": SocialAccountFactory(platform=Platform.INSTAGRAM, last_refreshed_at=None),
        "stale": SocialAccountFactory(
            platform=Platform.TIKTOK, last_refreshed_at=now - 30 * hours, refresh_status=RefreshStatus.OK
        ),
        "staler": SocialAccountFactory(
            platform=Platform.INSTAGRAM, last_refreshed_at=now - 50 * hours, refresh_status=RefreshStatus.OK
        ),
        "fresh": SocialAccountFactory(
            platform=Platform.INSTAGRAM, last_refreshed_at=now - 2 * hours, refresh_status=RefreshStatus.OK
        ),
        "error": SocialAccountFactory(
            platform=Platform.INSTAGRAM, last_refreshed_at=None, refresh_status=RefreshStatus.ERROR
        ),
        # Failed twice: waits 1 h × 2 before the next round.
        "backing_off": SocialAccountFactory(
            platform=Platform.YOUTUBE,
            last_refreshed_at=now - 30 * hours,
            refresh_status=RefreshStatus.FAILING,
            consecutive_failures=2,
            last_attempted_at=now - 90 * timedelta(minutes=1),
        ),
        "retry_due": SocialAccountFactory(
            platform=Platform.YOUTUBE,
            last_refreshed_at=now - 30 * hours,
            refresh_status=RefreshStatus.FAILING,
            consecutive_failures=2,
            last_attempted_at=now - 3 * hours,
        ),
    }


def test_due_accounts_pending_first_then_stalest(settings):
    now = timezone.now()
    a = _accounts(now)
    due = [account_id for account_id, _ in due_account_ids(now=now)]
    # Ties on last_refreshed_at (stale and retry_due, both 30 h ago) are broken by id.
    assert due == [a["pending"].id, a["staler"].id, a["stale"].id, a["retry_due"].id]
    assert due_account_ids(now=now, limit=1) == [(a["pending"].id, "instagram")]


def test_schedule_queues_batches_per_platform_once(settings, broker, django_capture_on_commit_callbacks):
    def tick() -> int:
        with django_capture_on_commit_callbacks(execute=True):  # tasks are sent after commit
            return schedule_stale_refreshes(now=now)

    settings.STATS_BATCH_SIZE = 2
    now = timezone.now()
    a = _accounts(now)
    extra = [SocialAccountFactory(platform=Platform.INSTAGRAM, last_refreshed_at=None) for _ in range(2)]

    assert tick() == 6
    queued = broker()
    assert {task for task, _ in queued} == {"stats.tasks.refresh_accounts_task"}
    batches = [args[0] for _, args in queued]
    assert all(len(batch) <= 2 for batch in batches)
    ids_by_platform = {}
    for batch in batches:
        platforms = {a_.platform for a_ in (*a.values(), *extra) if a_.id in batch}
        assert len(platforms) == 1  # one platform per batch
        ids_by_platform.setdefault(platforms.pop(), []).extend(batch)
    assert sorted(ids_by_platform["instagram"]) == sorted([a["pending"].id, a["staler"].id, *(e.id for e in extra)])
    assert ids_by_platform["tiktok"] == [a["stale"].id]
    assert ids_by_platform["youtube"] == [a["retry_due"].id]

    # A second beat tick while those are still queued queues nothing.
    assert tick() == 0
    assert len(broker()) == len(queued)

    # Once a task finishes (it clears its markers), a still-due account can be queued again.
    clear_queued([a["stale"].id])
    assert tick() == 1
    assert broker()[-1][1] == [[a["stale"].id]]


def test_beat_entry_is_declared_in_the_one_place():
    entry = app.conf.beat_schedule["stats-schedule-stale-refreshes"]
    assert entry["task"] == "stats.tasks.schedule_stale_refreshes" and entry["schedule"] == 60.0
    assert "stats.tasks.schedule_stale_refreshes" in app.tasks
    # The names from before the move stay registered, so queued messages and an old beat still work.
    assert {"creators.tasks.schedule_stale_refreshes", "creators.tasks.refresh_accounts_task"} <= set(app.tasks)
