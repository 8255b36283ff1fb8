"""Reminders (issue 12): the nudges that keep both sides on time, each sent once, by the beat.

``reminders_send(now=...)`` is what the hourly beat task runs. Every kind finds what is due at ``now`` and, for
each object, inserts one ``ReminderSent(kind, key)`` row and the bell notifications in one transaction; the
unique (kind, key) constraint makes the loser of a duplicated beat tick (two workers, or the same tick run
twice) roll back its savepoint and send nothing. Emails are queued after commit (services.notifications).

    kind              due when                                                    told        key
    undecided         submitted or shortlisted, no decision UNDECIDED_DAYS after  brand team  application:<id>
                      the (last) submission
    due_soon          accepted, no draft yet, due date ends within DUE_SOON_HOURS  creator     deliverable:<id>
    overdue           accepted, no draft yet, the due date has ended              creator     deliverable:<id>
    draft_unreviewed  a draft still in review DRAFT_REVIEW_DAYS after it came in, brand team  submission:<id>
                      or a day before its auto-approval if sooner (it says when
                      auto_approval.py will approve it by itself)
    review_open       the review window is open and this side has not reviewed    that side   application:<id>:<side>
    review_closing    the same, and the window closes within REVIEW_CLOSING_HOURS that side   application:<id>:<side>

"The due date has ended" is the end of that day in the site's time zone (a draft on the due date is on time,
as campaigns/reputation.py counts it). Only the campaign's own brand team or the application's own creator is
ever told; nothing here reads another tenant's members.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import CharField, DateTimeField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from audit.models import AuditEntry
from brands.models import BrandMember

from ..models import (
    REVIEW_WINDOW_DAYS,
    Application,
    ApplicationStatus as A,
    CampaignStatus as C,
    Deliverable,
    DeliverableStatus,
    ReminderSent,
    Review,
    ReviewSide,
    Submission,
    SubmissionStatus,
)
from .auto_approval import LIVE_CAMPAIGN, auto_approve_at
from .notifications import notify

UNDECIDED_DAYS = 5
DUE_SOON_HOURS = 48
DRAFT_REVIEW_DAYS = 3
REVIEW_CLOSING_HOURS = 48

KINDS = ("undecided", "due_soon", "overdue", "draft_unreviewed", "review_open", "review_closing")


def _not_sent(kind: str, key_expr) -> Exists:
    """``~Exists`` of the reminder row, so already-sent objects are not even loaded (the constraint still decides)."""
    return ~Exists(ReminderSent.objects.filter(kind=kind, key=key_expr))


def reminder_send_once(kind: str, keys: list[str], *, user_ids: list[int], verb: str, url: str) -> int:
    """Record ``keys`` and tell ``user_ids`` in one transaction; nothing when another run recorded any key first.

    Returns how many keys this call recorded (0 when it lost the race)."""
    if not keys:
        return 0
    try:
        with transaction.atomic():
            ReminderSent.objects.bulk_create([ReminderSent(kind=kind, key=k) for k in keys])
            notify(user_ids=user_ids, verb=verb, url=url)  # bell rows now; emails queued after commit
    except IntegrityError:
        # A concurrent or repeated tick got (some of) these first: send this group's leftovers one by one.
        if len(keys) == 1:
            return 0
        return sum(reminder_send_once(kind, [k], user_ids=user_ids, verb=verb, url=url) for k in keys)
    return len(keys)


def _key(prefix: str, ref) -> Concat:
    """The SQL twin of f"{prefix}{pk}" for the ``_not_sent`` filter."""
    return Concat(Value(prefix), Cast(ref, output_field=CharField()), output_field=CharField())


def _members_by_brand(brand_ids) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for brand_id, user_id in BrandMember.objects.filter(brand_id__in=set(brand_ids)).values_list("brand_id", "user_id"):
        out[brand_id].append(user_id)
    return out


def _end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the site's time zone: a deliverable due that day is late from then."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _auto_date(submitted_at: dt.datetime) -> str:
    """When the beat approves this draft by itself (services/auto_approval.py), e.g. "2031-03-12 at 10:00"."""
    return timezone.localtime(auto_approve_at(submitted_at)).strftime("%Y-%m-%d at %H:%M")


# --- the kinds ---------------------------------------------------------------------------------------------------


def _undecided(now: dt.datetime) -> int:
    submitted_at = Subquery(
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(Application), target_id=OuterRef("pk"), to_state=A.SUBMITTED
        )
        .order_by("-at", "-id")
        .values("at")[:1],
        output_field=DateTimeField(),
    )
    apps = (
        Application.objects.filter(status__in=(A.SUBMITTED, A.SHORTLISTED), campaign__status__in=(C.OPEN, C.CLOSED))
        .annotate(since=Coalesce(submitted_at, "created_at"))
        .filter(since__lte=now - dt.timedelta(days=UNDECIDED_DAYS))
        .filter(_not_sent("undecided", _key("application:", OuterRef("pk"))))
        .values_list("pk", "campaign_id", "campaign__title", "campaign__brand_id")
        .order_by("campaign_id", "pk")
    )
    by_campaign: dict[tuple[int, str, int], list[int]] = defaultdict(list)
    for pk, campaign_id, title, brand_id in apps:
        by_campaign[(campaign_id, title, brand_id)].append(pk)
    members = _members_by_brand(b for (_c, _t, b) in by_campaign)
    sent = 0
    for (campaign_id, title, brand_id), pks in by_campaign.items():
        verb = ngettext(
            "%(n)s application to “%(t)s” has waited over %(d)s days for a decision.",
            "%(n)s applications to “%(t)s” have waited over %(d)s days for a decision.",
            len(pks),
        ) % {"n": len(pks), "t": title, "d": UNDECIDED_DAYS}
        sent += reminder_send_once(
            "undecided",
            [f"application:{pk}" for pk in pks],
            user_ids=members[brand_id],
            verb=verb,
            url=reverse("campaigns:applicants", args=[campaign_id]),
        )
    return sent


def _deliverables(kind: str, now: dt.datetime) -> int:
    today = timezone.localdate(now)
    live = Deliverable.objects.filter(
        application__status=A.ACCEPTED, status=DeliverableStatus.PENDING, due_date__isnull=False
    )
    if kind == "due_soon":
        # now < end of the due date <= now + 48 h
        last_day = timezone.localdate(now + dt.timedelta(hours=DUE_SOON_HOURS))
        candidates = live.filter(due_date__gte=today, due_date__lte=last_day)
    else:
        candidates = live.filter(due_date__lt=today)
    rows = (
        candidates.filter(_not_sent(kind, _key("deliverable:", OuterRef("pk"))))
        .select_related("application__campaign", "application__creator")
        .order_by("pk")
    )
    sent = 0
    for d in rows:
        if kind == "due_soon" and not (now < _end_of_day(d.due_date) <= now + dt.timedelta(hours=DUE_SOON_HOURS)):
            continue
        app = d.application
        values = {"what": str(d), "t": app.campaign.title, "date": d.due_date.isoformat()}
        verb = (
            _("Your %(what)s for “%(t)s” is due on %(date)s: send the draft by the end of that day.")
            if kind == "due_soon"
            else _(
                "Your %(what)s for “%(t)s” was due on %(date)s and has no draft yet: send it, or tell the brand when "
                "it will come."
            )
        ) % values
        sent += reminder_send_once(
            kind,
            [f"deliverable:{d.pk}"],
            user_ids=[app.creator.user_id],
            verb=verb,
            url=reverse("campaigns:application", args=[app.pk]),
        )
    return sent


def _draft_reminder_at(submitted_at: dt.datetime) -> dt.datetime:
    """DRAFT_REVIEW_DAYS after the draft came in, but at least a day before its auto-approval: a draft sent on a
    Monday morning is approved on Thursday morning, so its reminder comes on Wednesday morning."""
    return min(
        submitted_at + dt.timedelta(days=DRAFT_REVIEW_DAYS), auto_approve_at(submitted_at) - dt.timedelta(days=1)
    )


def _drafts_unreviewed(now: dt.datetime) -> int:
    # N business days are at least N calendar days, so nothing is due before min(DRAFT_REVIEW_DAYS, N - 1) days.
    earliest = min(DRAFT_REVIEW_DAYS, settings.DELIVERABLE_AUTO_APPROVE_BUSINESS_DAYS - 1)
    rows = (
        Submission.objects.filter(
            status=SubmissionStatus.IN_REVIEW,
            created_at__lte=now - dt.timedelta(days=max(earliest, 0)),
            deliverable__status=DeliverableStatus.SUBMITTED,
            deliverable__application__status=A.ACCEPTED,
            deliverable__application__campaign__status__in=LIVE_CAMPAIGN,
        )
        .filter(_not_sent("draft_unreviewed", _key("submission:", OuterRef("pk"))))
        .select_related("deliverable__application__campaign", "deliverable__application__creator")
        .order_by("pk")
    )
    rows = [s for s in rows if _draft_reminder_at(s.created_at) <= now]
    members = _members_by_brand(s.deliverable.application.campaign.brand_id for s in rows)
    sent = 0
    for s in rows:
        app = s.deliverable.application
        verb = _(
            "A draft (%(what)s) for “%(t)s” is waiting for your review: without one it is approved automatically on "
            "%(date)s."
        ) % {"what": str(s.deliverable), "t": app.campaign.title, "date": _auto_date(s.created_at)}
        sent += reminder_send_once(
            "draft_unreviewed",
            [f"submission:{s.pk}"],
            user_ids=members[app.campaign.brand_id],
            verb=verb,
            url=reverse("campaigns:application", args=[app.pk]),
        )
    return sent


def _review_requests(kind: str, now: dt.datetime) -> int:
    window = dt.timedelta(days=REVIEW_WINDOW_DAYS)
    reviewable = Q(status=A.COMPLETED) | Q(status=A.ACCEPTED, campaign__status__in=(C.COMPLETED, C.CANCELLED))
    apps = Application.objects.filter(reviewable, ended_at__isnull=False, ended_at__lte=now, ended_at__gt=now - window)
    closing_from = now - window + dt.timedelta(hours=REVIEW_CLOSING_HOURS)  # ended before this: closes within 48 h
    # An application first seen in its last 48 hours gets only the "closing" reminder, not both at once.
    apps = (
        apps.filter(ended_at__lte=closing_from) if kind == "review_closing" else apps.filter(ended_at__gt=closing_from)
    )
    apps = list(apps.select_related("campaign__brand", "creator").order_by("pk"))
    written = set(Review.objects.filter(application__in=apps).values_list("application_id", "side"))
    done = set(
        ReminderSent.objects.filter(
            kind=kind, key__in=[f"application:{a.pk}:{side}" for a in apps for side in ReviewSide.values]
        ).values_list("key", flat=True)
    )
    members = _members_by_brand(a.campaign.brand_id for a in apps)
    sent = 0
    for app in apps:
        closes = timezone.localdate(app.ended_at + window).isoformat()
        for side in ReviewSide.values:
            key = f"application:{app.pk}:{side}"
            if (app.pk, side) in written or key in done:
                continue
            other = app.campaign.brand.name if side == ReviewSide.CREATOR else app.creator.display_name
            values = {"who": other, "t": app.campaign.title, "date": closes}
            verb = (
                _("How was working with %(who)s on “%(t)s”? Leave a review by %(date)s.")
                if kind == "review_open"
                else _("Last days to review %(who)s for “%(t)s”: the window closes on %(date)s.")
            ) % values
            users = [app.creator.user_id] if side == ReviewSide.CREATOR else members[app.campaign.brand_id]
            sent += reminder_send_once(
                kind, [key], user_ids=users, verb=verb, url=reverse("campaigns:review", args=[app.pk])
            )
    return sent


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder due at ``now`` (default: now), each once ever; returns how many were sent per kind."""
    now = now or timezone.now()
    return {
        "undecided": _undecided(now),
        "due_soon": _deliverables("due_soon", now),
        "overdue": _deliverables("overdue", now),
        "draft_unreviewed": _drafts_unreviewed(now),
        "review_open": _review_requests("review_open", now),
        "review_closing": _review_requests("review_closing", now),
    }
