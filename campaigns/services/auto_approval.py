"""Service-time auto-approval (issue 10): a draft the brand leaves unreviewed is approved by the platform.

``deliverables_auto_approve(now=...)`` is what the hourly beat task runs (``campaigns.tasks.auto_approve_drafts``).
A deliverable whose latest draft came in at T and is still in review at ``add_business_days(T, N)`` (N =
``DELIVERABLE_AUTO_APPROVE_BUSINESS_DAYS``, default 3; business days are Monday–Friday in the site's time zone, no
holiday calendar) moves submitted → approved with actor None through the same ``_review`` path as a brand's
approval; the audit entry's note says it was automatic. Each deliverable is decided under its row lock and
re-checked there, so a duplicated tick or a review made meanwhile (approved, revision requested) changes nothing.
Payments hears ``deliverable_approved`` as always and releases when every deliverable is approved.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from .. import hooks
from ..models import (
    ApplicationStatus as A,
    CampaignStatus as C,
    Deliverable,
    DeliverableStatus as D,
    Submission,
    SubmissionStatus,
)
from .deliverables import _review
from .moves import _locked_deliverable
from .notifications import _tell_brand, _tell_creator

# A completed or cancelled campaign's hires have ended (payments refunds a cancelled one): nothing is approved there.
LIVE_CAMPAIGN = (C.OPEN, C.CLOSED)


def add_business_days(start: dt.datetime, days: int) -> dt.datetime:
    """``start`` moved forward by ``days`` weekdays (Monday–Friday, no holiday calendar) at the same local time.

    Friday 10:00 + 3 → Wednesday 10:00; Saturday 10:00 + 1 → Monday 10:00."""
    local = timezone.localtime(start)
    day = local.date()
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))


def auto_approve_at(submitted_at: dt.datetime) -> dt.datetime:
    """When a draft that came in at ``submitted_at`` is approved by itself if the brand stays silent."""
    return add_business_days(submitted_at, settings.DELIVERABLE_AUTO_APPROVE_BUSINESS_DAYS)


@transaction.atomic
def deliverable_auto_approve(*, deliverable: Deliverable | int, now: dt.datetime | None = None) -> Deliverable | None:
    """submitted → approved by the platform (actor None): the brand left the latest draft unreviewed for
    ``DELIVERABLE_AUTO_APPROVE_BUSINESS_DAYS`` business days. Both sides are told; payments hears the same
    ``deliverable_approved`` hook as after a brand's approval.

    Returns None, changing nothing, when the deliverable is no longer waiting for that review (approved or sent
    back meanwhile, a duplicated beat tick, a newer draft not yet due, the hire or its campaign ended)."""
    now = now or timezone.now()
    deliverable = _locked_deliverable(deliverable)
    application = deliverable.application
    if (
        deliverable.status != D.SUBMITTED
        or application.status != A.ACCEPTED
        or application.campaign.status not in LIVE_CAMPAIGN
    ):
        return None
    latest = deliverable.submissions.select_for_update().first()
    if latest is None or latest.status != SubmissionStatus.IN_REVIEW or auto_approve_at(latest.created_at) > now:
        return None
    days = settings.DELIVERABLE_AUTO_APPROVE_BUSINESS_DAYS
    note = ngettext(
        "Approved automatically: the brand did not review the draft within %(n)s business day.",
        "Approved automatically: the brand did not review the draft within %(n)s business days.",
        days,
    ) % {"n": days}
    deliverable = _review(deliverable, D.APPROVED, None, "", system=True, note=note)
    hooks.fire("deliverable_approved", deliverable=deliverable, actor=None)  # payments: release when all are
    application = deliverable.application
    values = {
        "t": application.campaign.title,
        "n": days,
        "what": str(deliverable),
        "c": application.creator.display_name,
    }
    _tell_creator(
        application,
        ngettext(
            "Your draft for “%(t)s” was approved automatically: the brand did not review it within %(n)s business day.",
            "Your draft for “%(t)s” was approved automatically: the brand did not review it within %(n)s business "
            "days.",
            days,
        )
        % values,
    )
    _tell_brand(
        application,
        ngettext(
            "%(c)s's draft (%(what)s) for “%(t)s” was approved automatically after %(n)s business day without a "
            "review.",
            "%(c)s's draft (%(what)s) for “%(t)s” was approved automatically after %(n)s business days without a "
            "review.",
            days,
        )
        % values,
    )
    return deliverable


def deliverables_auto_approve(*, now: dt.datetime | None = None) -> int:
    """Approve every draft due for auto-approval at ``now`` (default: now); returns how many were approved.

    N business days are at least N calendar days, so only drafts older than that are loaded; the exact
    business-day deadline is checked per draft, under the deliverable's lock."""
    now = now or timezone.now()
    days = settings.DELIVERABLE_AUTO_APPROVE_BUSINESS_DAYS
    candidates = (
        Submission.objects.filter(
            status=SubmissionStatus.IN_REVIEW,
            created_at__lte=now - dt.timedelta(days=days),
            deliverable__status=D.SUBMITTED,
            deliverable__application__status=A.ACCEPTED,
            deliverable__application__campaign__status__in=LIVE_CAMPAIGN,
        )
        .order_by("deliverable_id")
        .values_list("deliverable_id", "created_at")
    )
    due = sorted({pk for pk, created_at in candidates if auto_approve_at(created_at) <= now})
    return sum(deliverable_auto_approve(deliverable=pk, now=now) is not None for pk in due)
