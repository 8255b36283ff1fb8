"""Infrastructure tasks: the worker's health, proved end to end through Redis and PostgreSQL."""

from celery import shared_task
from django.core.cache import cache
from django.db import connection
from django.utils import timezone


@shared_task(name="marketplace.tasks.send_vetting_digest", autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_vetting_digest() -> int:
    """Daily: tell the staff how many creators and brands wait for vetting (idempotent per day)."""
    from core.vetting_queue import send_vetting_digest as send

    return send()


@shared_task(name="marketplace.tasks.renew_oauth_tokens")
def renew_oauth_tokens() -> dict:
    """Hourly: renew connected accounts' access tokens that expire soon (idempotent: a renewed one is not due)."""
    from creators.tokens import refresh_expiring_tokens

    return refresh_expiring_tokens()


@shared_task(name="marketplace.tasks.heartbeat")
def heartbeat() -> dict:
    """Touch the database and the cache; beat runs it every minute so the admin can see workers live."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM marketplace_user")
        users = cursor.fetchone()[0]
    now = timezone.now().isoformat()
    cache.set("marketplace:heartbeat", now, timeout=None)
    return {"at": now, "users": users}
