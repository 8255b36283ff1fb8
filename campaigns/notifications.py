"""In-app notifications and their emails, queued only after the transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.core.mail import send_mail
from django.db import transaction

from marketplace import site
from marketplace.models import User

from .models import Notification

log = logging.getLogger(__name__)


def notify(*, user_ids: Iterable[int], verb: str, url: str = "") -> None:
    """Create one in-app notification per user now and queue their emails. Runs after commit."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    Notification.objects.bulk_create(Notification(user_id=uid, verb=verb[:255], target_url=url) for uid in ids)
    from .tasks import send_notification_emails

    try:
        send_notification_emails.delay(ids, verb, url)
    except Exception:  # noqa: BLE001 — a broker outage must not fail a committed decision; the bell still shows it
        log.exception("Could not queue notification emails for %s", ids)


def send_emails(*, user_ids: Iterable[int], verb: str, url: str = "") -> int:
    """Email ``verb`` with a link to each active user; returns how many were sent. Called by the Celery task."""
    link = site.absolute_url(url)
    sent = 0
    for email in User.objects.filter(pk__in=list(user_ids), is_active=True).values_list("email", flat=True):
        sent += send_mail(subject=f"[{site.site_name()}] {verb}"[:200], message=f"{verb}\n\n{link}\n",
                          from_email=None, recipient_list=[email])
    return sent


def notify_on_commit(*, user_ids: Iterable[int], verb: str, url: str = "") -> None:
    transaction.on_commit(partial(notify, user_ids=list(user_ids), verb=str(verb), url=url))
