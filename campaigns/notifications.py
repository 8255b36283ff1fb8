"""In-app notifications and their emails, queued only after the transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from marketplace.models import User

from .models import Notification

log = logging.getLogger(__name__)


def notify(*, user_ids: Iterable[int], verb: str, url: str = "") -> None:
    """Create one notification per user and email each of them. Runs after commit."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    Notification.objects.bulk_create(Notification(user_id=uid, verb=verb[:255], target_url=url) for uid in ids)
    link = f"{settings.SITE_URL.rstrip('/')}{url}" if url else settings.SITE_URL
    for email in User.objects.filter(pk__in=ids, is_active=True).values_list("email", flat=True):
        try:
            send_mail(subject=f"[Creator Marketplace] {verb}"[:200], message=f"{verb}\n\n{link}\n",
                      from_email=None, recipient_list=[email])
        except Exception:  # noqa: BLE001 — a mail outage must not undo a committed decision
            log.exception("Could not email notification to %s", email)


def notify_on_commit(*, user_ids: Iterable[int], verb: str, url: str = "") -> None:
    transaction.on_commit(partial(notify, user_ids=list(user_ids), verb=str(verb), url=url))
