"""Each platform error mode maps to the right account status; N failed rounds → error and one email."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from creators.models import Platform, RefreshStatus, SocialAccount
from stats.refresh import refresh_accounts
from stats.tasks import MAX_RETRIES, refresh_accounts_task
from tests.conftest import broker_redis
from tests.factories import CreatorFactory, SocialAccountFactory

from .conftest import AS_OF, fake_account, posts

pytestmark = pytest.mark.django_db

# (outcome, status after one round, consecutive_failures)
DEFERRED = ("deferred", RefreshStatus.PENDING, 0)
FAILING = ("failed", RefreshStatus.FAILING, 1)
ERROR = ("errored", RefreshStatus.ERROR, 1)

CASES = {
    "rate_limit": {"youtube": DEFERRED, "instagram": DEFERRED, "tiktok": DEFERRED},
    "quota": {"youtube": DEFERRED, "instagram": DEFERRED, "tiktok": DEFERRED},
    "gone": {"youtube": ERROR, "instagram": ERROR, "tiktok": ERROR},  # TikTok: access_token_invalid
    "auth": {"youtube": ERROR, "instagram": ERROR, "tiktok": ERROR},
    "malformed": {"youtube": FAILING, "instagram": FAILING, "tiktok": FAILING},
    "server_error": {"youtube": FAILING, "instagram": FAILING, "tiktok": FAILING},
    "slow": {"youtube": FAILING, "instagram": FAILING, "tiktok": FAILING},  # client timeout
}


def _account(fakes, platform: str):
    account = fake_account(
        "UCcccccccccccccccccccccc" if platform == "youtube" else "1784100000000009",
        "target",
        5_000,
        posts(3, likes=100, comments=5, views=4_000, shares=3, prefix=platform),
    )
    if platform == "tiktok":
        fakes["tiktok"].link("tok-target", account)
        return SocialAccountFactory(platform=platform, handle="target", access_token="tok-target", followers=None)
    fakes[platform].add(account)
    return SocialAccountFactory(
        platform=platform, handle="target", followers=None, external_id=account.id if platform == "youtube" else ""
    )


@pytest.mark.parametrize("platform", ["youtube", "instagram", "tiktok"])
@pytest.mark.parametrize("mode", list(CASES))
def test_error_mode_maps_to_account_status(fakes, settings, platform, mode):
    account = _account(fakes, platform)
    if mode == "slow":
        settings.STATS_HTTP_TIMEOUT = 0.3
        fakes[platform].fail("slow", times=None, delay=1.0)
    else:
        fakes[platform].fail(mode, times=None, retry_after=7)
    outcome, status, failures = CASES[mode][platform]
    result = refresh_accounts(account_ids=[account.id], as_of=AS_OF)
    assert getattr(result, outcome) == [account.id]
    account.refresh_from_db()
    assert (account.refresh_status, account.consecutive_failures) == (status, failures)
    assert account.followers is None and account.last_refreshed_at is None  # nothing made up
    if outcome == "deferred":
        # Retry-After is honoured; a spent quota (YouTube, Instagram) names no time, so we wait a minute.
        assert result.retry_after == (60 if mode == "quota" and platform != "tiktok" else 7)
        assert account.refresh_error == ""
    else:
        assert account.refresh_error


def test_n_failed_rounds_mark_error_and_email_the_creator_once(
    fakes, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.STATS_MAX_CONSECUTIVE_FAILURES = 3
    creator = CreatorFactory(user__email="casey@example.com")
    fakes["instagram"].add(fake_account("1784100000000010", "flaky", 5_000, posts(3, likes=100, comments=5)))
    account = SocialAccountFactory(creator=creator, platform=Platform.INSTAGRAM, handle="flaky", followers=None)
    fakes["instagram"].fail("server_error", times=None)

    for expected in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            refresh_accounts(account_ids=[account.id], as_of=AS_OF)
        account.refresh_from_db()
        assert (account.refresh_status, account.consecutive_failures) == (RefreshStatus.FAILING, expected)
    # A retry attempt inside the same round does not count.
    refresh_accounts(account_ids=[account.id], as_of=AS_OF, count_failures=False)
    account.refresh_from_db()
    assert account.consecutive_failures == 2
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = refresh_accounts(account_ids=[account.id], as_of=AS_OF)
    assert len(callbacks) == 1  # the email waits for the commit
    assert result.errored == [account.id] and result.failed == []
    account.refresh_from_db()
    assert (account.refresh_status, account.consecutive_failures) == (RefreshStatus.ERROR, 3)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["casey@example.com"] and "re-link your Instagram account" in mail.subject
    assert "@flaky" in mail.body and "HTTP 500" in mail.body

    with django_capture_on_commit_callbacks(execute=True):
        refresh_accounts(account_ids=[account.id], as_of=AS_OF)
    assert len(mailoutbox) == 1  # already in error: no second email

    fakes["instagram"].clear_failures()
    refresh_accounts(account_ids=[account.id], as_of=AS_OF)
    account.refresh_from_db()
    assert (account.refresh_status, account.consecutive_failures, account.refresh_error) == (RefreshStatus.OK, 0, "")


def test_gone_account_is_an_error_at_once_with_an_email(fakes, mailoutbox, django_capture_on_commit_callbacks):
    account = SocialAccountFactory(platform=Platform.INSTAGRAM, handle="vanished", followers=None)
    fakes["instagram"].gone.add("vanished")
    with django_capture_on_commit_callbacks(execute=True):
        refresh_accounts(account_ids=[account.id], as_of=AS_OF)
    account.refresh_from_db()
    assert account.refresh_status == RefreshStatus.ERROR
    assert len(mailoutbox) == 1


def test_task_retries_a_failing_account_and_counts_the_round_once(fakes):
    fakes["instagram"].add(fake_account("1784100000000011", "retry.me", 5_000, posts(3, likes=100, comments=5)))
    account = SocialAccountFactory(platform=Platform.INSTAGRAM, handle="retry.me", followers=None)
    fakes["instagram"].fail("server_error", times=None)
    refresh_accounts_task.apply(args=[[account.id]])  # eager: retries run at once, countdown ignored
    assert fakes["instagram"].request_count == MAX_RETRIES + 1
    account.refresh_from_db()
    assert (account.refresh_status, account.consecutive_failures) == (RefreshStatus.FAILING, 1)

    fakes["instagram"].clear_failures()
    fakes["instagram"].fail("server_error", times=2)  # the platform recovers during the retries
    refresh_accounts_task.apply(args=[[account.id]])
    account.refresh_from_db()
    assert (account.refresh_status, account.consecutive_failures, account.followers) == (RefreshStatus.OK, 0, 5_000)


def test_time_budget_defers_the_rest_without_counting_failures(fakes, settings):
    """Our own limiter out of slots: what was fetched is written, the rest is handed back, nobody is blamed."""
    settings.INSTAGRAM_REQUESTS_PER_MINUTE = 2
    ids = []
    for k in range(4):
        fakes["instagram"].add(fake_account(f"17841000000002{k}", f"budget{k}", 3_000, posts(2, likes=90, comments=3)))
        ids.append(SocialAccountFactory(platform=Platform.INSTAGRAM, handle=f"budget{k}", followers=None).id)
    result = refresh_accounts(account_ids=ids, as_of=AS_OF, time_budget=0.5)
    assert result.refreshed == ids[:2] and result.deferred == ids[2:]
    assert 50 <= result.retry_after <= 61  # until the first slot leaves the 60 s window
    assert fakes["instagram"].request_count == 2  # the quota held
    assert (
        list(
            SocialAccount.objects.filter(id__in=ids)
            .order_by("id")
            .values_list("refresh_status", "consecutive_failures")
        )
        == [(RefreshStatus.OK, 0)] * 2 + [(RefreshStatus.PENDING, 0)] * 2
    )


def test_task_requeues_rate_limited_accounts_after_retry_after(fakes, django_capture_on_commit_callbacks):
    account = SocialAccountFactory(platform=Platform.INSTAGRAM, handle="busy", followers=None)
    client = broker_redis()
    client.delete("celery", "unacked", "unacked_index")
    fakes["instagram"].fail("rate_limit", times=None, retry_after=42)
    with django_capture_on_commit_callbacks(execute=True):  # tasks are sent after commit
        summary = refresh_accounts_task.apply(args=[[account.id]]).get()
    assert summary["deferred"] == 1 and fakes["instagram"].request_count == 1  # no retry storm
    # The deferred account went back to the broker as a new task due in ~42 s (Retry-After honoured).
    queued = [json.loads(m) for m in client.lrange("celery", 0, -1)] + [
        json.loads(m)[0] for m in client.hvals("unacked")
    ]
    etas = [m["headers"]["eta"] for m in queued if m["headers"]["task"] == "stats.tasks.refresh_accounts_task"]
    assert len(etas) == 1
    delay = (datetime.fromisoformat(etas[0]) - datetime.now(UTC)).total_seconds()
    assert 35 < delay <= 42
    client.delete("celery", "unacked", "unacked_index")


def test_instagram_usage_near_its_limit_pauses_the_platform(fakes):
    ids = []
    for k in range(3):
        fakes["instagram"].add(fake_account(f"17841000000003{k}", f"usage{k}", 3_000, posts(2, likes=90, comments=3)))
        ids.append(SocialAccountFactory(platform=Platform.INSTAGRAM, handle=f"usage{k}", followers=None).id)
    fakes["instagram"].usage_percent = 95  # X-App-Usage call_count 95 %
    result = refresh_accounts(account_ids=ids, as_of=AS_OF)
    assert result.refreshed == ids[:1] and result.deferred == ids[1:] and result.retry_after == 60
    assert fakes["instagram"].request_count == 1
