"""Thin Celery wrappers around payments services; provider hiccups are retried with backoff (same idempotency key)."""

from __future__ import annotations

from celery import shared_task

from . import services
from .providers import ProviderError


@shared_task(autoretry_for=(ProviderError,), retry_backoff=True, retry_backoff_max=600, max_retries=10)
def release_application(application_id: int) -> bool:
    return services.funding_release(application_id=application_id)


@shared_task(autoretry_for=(ProviderError,), retry_backoff=True, retry_backoff_max=600, max_retries=10)
def payout_funding(funding_id: int) -> bool:
    return services.funding_payout(funding_id=funding_id)


@shared_task(autoretry_for=(ProviderError,), retry_backoff=True, retry_backoff_max=600, max_retries=10)
def refund_application(application_id: int) -> bool:
    return services.funding_refund(application_id=application_id)


@shared_task
def remind_payout_accounts() -> int:
    """Daily: creators whose released money waits for a payout account are told, once per funding."""
    return services.payout_account_reminders()


@shared_task
def reconcile_transfers() -> str:
    """Hourly: Stripe's transfers per application vs the ledger (payments/reconcile.py); returns the summary."""
    from .reconcile import reconcile_transfers as run

    return run().summary()
