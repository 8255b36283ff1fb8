"""Accounts waiting for vetting (PRODUCT §3), for the admins: counts on the admin home and a daily digest.

Creators and brands are reached through the app registry (by label), so this bottom-layer module
imports neither app. The digest is idempotent per day: one ``VettingDigest`` row per date, written in
the same transaction that sends, so a retried or duplicated beat run emails nobody twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from core import site
from core.vetting import VettingStatus

logger = logging.getLogger(__name__)

# (app label, model name, what the admin calls them)
QUEUES = (
    ("creators", "creator", gettext_lazy("Creators waiting for review")),
    ("brands", "brand", gettext_lazy("Brands waiting for review")),
)


@dataclass(frozen=True)
class Queue:
    label: str
    count: int
    oldest: datetime | None
    url: str  # the admin changelist filtered to pending


def pending_queues() -> list[Queue]:
    """One count (and the oldest waiting) per kind of account; one query each."""
    out = []
    for app_label, model_name, label in QUEUES:
        model = apps.get_model(app_label, model_name)
        row = model.objects.filter(status=VettingStatus.PENDING).aggregate(n=Count("pk"), oldest=Min("created_at"))
        url = reverse(f"admin:{app_label}_{model_name}_changelist") + f"?status__exact={VettingStatus.PENDING.value}"
        out.append(Queue(str(label), row["n"], row["oldest"], url))
    return out


def expected_review_text() -> str:
    days = settings.VETTING_EXPECTED_DAYS
    return ngettext(
        "An admin reviews new accounts, usually within %(n)s working day.",
        "An admin reviews new accounts, usually within %(n)s working days.",
        days,
    ) % {"n": days}


def send_vetting_digest(*, day: date | None = None) -> int:
    """Email every active staff member today's vetting queue; returns how many emails went out.

    Requires nothing. Changes: one VettingDigest row for ``day`` (default: today). Sends nothing when
    nobody waits, when there is no staff, or when ``day``'s digest was already sent.
    """
    from .models import User, VettingDigest

    day = day or timezone.localdate()
    queues = [q for q in pending_queues() if q.count]
    staff = list(User.objects.filter(is_staff=True, is_active=True).exclude(email="").values_list("email", flat=True))
    if not queues or not staff:
        return 0
    lines = [_("Accounts are waiting for vetting on %(site)s:") % {"site": site.site_name()}, ""]
    for q in queues:
        since = timezone.localtime(q.oldest).strftime("%d %b %Y") if q.oldest else ""
        lines.append(_("%(label)s: %(n)s (oldest since %(since)s)") % {"label": q.label, "n": q.count, "since": since})
        lines.append(f"  {site.absolute_url(q.url)}")
    lines += [
        "",
        _("New accounts are told to expect a decision within %(n)s working days.")
        % {"n": settings.VETTING_EXPECTED_DAYS},
    ]
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + ngettext(
        "%(n)s account waits for vetting", "%(n)s accounts wait for vetting", sum(q.count for q in queues)
    ) % {"n": sum(q.count for q in queues)}
    try:
        with transaction.atomic():
            VettingDigest.objects.create(day=day, recipients=len(staff))
            messages = [EmailMessage(subject, "\n".join(lines), None, [email]) for email in staff]
            # Inside the transaction: a mail failure rolls the row back, so the retry sends again.
            return get_connection().send_messages(messages) or 0
    except IntegrityError:  # today's digest is already out (a duplicate or retried beat run)
        return 0
