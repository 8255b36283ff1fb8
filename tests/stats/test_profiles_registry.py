"""Profiles reach the pipeline through creators.account_stats (creators never imports stats), wired for real."""

from __future__ import annotations

from decimal import Decimal

from creators.account_stats import judge_engagement, no_benchmark_note
from creators.services import social_account_link
from tests.factories import CreatorFactory


def test_linking_an_account_queues_its_first_refresh_after_commit(db, django_capture_on_commit_callbacks, monkeypatch):
    from stats import tasks

    queued = []
    monkeypatch.setattr(tasks.refresh_accounts_task, "delay", lambda ids: queued.append(ids))
    creator = CreatorFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        account = social_account_link(creator=creator, actor=creator.user, platform="tiktok", handle="@trailfox")
    assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [[account.pk]]


def test_the_media_kit_judges_with_the_pipelines_benchmark_table():
    judged = judge_engagement("instagram", "micro", Decimal("0.5"))
    assert (judged.band.low, judged.band.high, judged.verdict) == (Decimal(2), Decimal("3.5"), "below")
    assert judge_engagement("instagram", None, Decimal("3")) is None
    assert no_benchmark_note() == "No benchmark for accounts under 1,000 followers"
