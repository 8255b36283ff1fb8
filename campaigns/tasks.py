"""Thin Celery wrappers around campaign services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def close_expired_campaigns() -> int:
    """Close open campaigns whose application deadline passed (idempotent: a second run closes nothing)."""
    return services.campaigns_close_expired()
