"""Thin Celery wrappers around campaign services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def close_expired_campaigns() -> int:
    """Close open campaigns whose application deadline passed (idempotent: a second run closes nothing)."""
    return services.campaigns_close_expired()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(user_ids: list[int], verb: str, url: str = "") -> int:
    """Email a notification to each user; SMTP hiccups (OSError, smtplib errors) are retried with backoff."""
    from .notifications import send_emails

    return send_emails(user_ids=user_ids, verb=verb, url=url)
