"""Thin Celery wrappers around campaign services.

``services`` is imported as a module and read when a task runs, so the services ↔ tasks edge needs no
function-local import (services.notifications imports this module the same way).
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def close_expired_campaigns() -> int:
    """Close open campaigns whose application deadline passed (idempotent: a second run closes nothing)."""
    return services.campaigns_close_expired()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(user_ids: list[int], verb: str, url: str = "") -> int:
    """Email a notification to each user; SMTP hiccups (OSError, smtplib errors) are retried with backoff."""
    return services.send_emails(user_ids=user_ids, verb=verb, url=url)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_reminders() -> dict[str, int]:
    """The hourly reminders (services/reminders.py).

    A duplicated tick sends nothing twice (ReminderSent's unique key)."""
    return services.reminders_send()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def auto_approve_drafts(now: str | None = None) -> int:
    """The hourly auto-approval of drafts left unreviewed (services/auto_approval.py).

    A duplicated tick approves nothing twice (each deliverable is re-checked under its row lock). ``now`` (an ISO
    8601 moment; default: now) lets a test run the tick as of a later day without waiting for it."""
    return services.deliverables_auto_approve(now=dt.datetime.fromisoformat(now) if now else None)
