"""Who gets told: in-app notifications and their emails, queued only after the transaction commits.

``campaigns.tasks`` is imported as a module (not its names), so services ↔ tasks need no function-local
import: each side reads the other's attributes only when called.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brands.models import BrandMember
from core import site
from core.models import User

from .. import badges, tasks
from ..models import Application, ApplicationStatus as A, Campaign, CampaignStatus as C, Notification

log = logging.getLogger(__name__)


def notify(*, user_ids: Iterable[int], verb: str, url: str = "") -> None:
    """Create one in-app notification per user now and queue their emails. Runs after commit."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    Notification.objects.bulk_create(Notification(user_id=uid, verb=verb[:255], target_url=url) for uid in ids)
    badges.forget(ids)  # the bell's kept count (bulk_create sends no signal)
    try:
        tasks.send_notification_emails.delay(ids, verb, url)
    except Exception:  # a broker outage must not fail a committed decision; the bell still shows it
        log.exception("Could not queue notification emails for %s", ids)


def send_emails(*, user_ids: Iterable[int], verb: str, url: str = "") -> int:
    """Email ``verb`` with a link to each active user; returns how many were sent. Called by the Celery task."""
    link = site.absolute_url(url)
    sent = 0
    for email in User.objects.filter(pk__in=list(user_ids), is_active=True).values_list("email", flat=True):
        sent += send_mail(
            subject=f"[{site.site_name()}] {verb}"[:200],
            message=f"{verb}\n\n{link}\n",
            from_email=None,
            recipient_list=[email],
        )
    return sent


def notify_on_commit(*, user_ids: Iterable[int], verb: str, url: str = "") -> None:
    transaction.on_commit(partial(notify, user_ids=list(user_ids), verb=str(verb), url=url))


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    badges.forget([user.pk])  # the bell's kept count (update() sends no signal)
    return qs.update(read_at=timezone.now())


# --- The people a move concerns --------------------------------------------------------------------------


def _brand_user_ids(brand_id: int) -> list[int]:
    return list(BrandMember.objects.filter(brand_id=brand_id).values_list("user_id", flat=True))


def _application_url(application: Application) -> str:
    return reverse("campaigns:application", args=[application.pk])


def _tell_creator(application: Application, verb: str) -> None:
    notify_on_commit(user_ids=[application.creator.user_id], verb=verb, url=_application_url(application))


def _tell_brand(application: Application, verb: str, *, exclude: User | None = None) -> None:
    ids = [i for i in _brand_user_ids(application.campaign.brand_id) if not exclude or i != exclude.pk]
    notify_on_commit(user_ids=ids, verb=verb, url=_application_url(application))


def _tell_applicants(campaign: Campaign, status: str) -> None:
    live = [A.INVITED, A.SUBMITTED, A.SHORTLISTED, A.ACCEPTED]
    ids = list(
        Application.objects.filter(campaign=campaign, status__in=live).values_list("creator__user_id", flat=True)
    )
    verb = (
        _("“%(t)s” was cancelled by the brand.")
        if status == C.CANCELLED
        else _("“%(t)s” no longer takes applications.")
    ) % {"t": campaign.title}
    notify_on_commit(user_ids=ids, verb=verb, url=reverse("campaigns:detail", args=[campaign.pk]))


def _tell_applicants_not_hired(campaign: Campaign) -> None:
    ids = list(
        Application.objects.filter(campaign=campaign, status__in=[A.INVITED]).values_list("creator__user_id", flat=True)
    )
    notify_on_commit(
        user_ids=ids,
        verb=_("“%(t)s” filled its slots.") % {"t": campaign.title},
        url=reverse("campaigns:detail", args=[campaign.pk]),
    )
