"""Reputation read from facts (issue 12): ratings from visible reviews and service-time scores, each with the
numbers behind it. Every function answers for a list of ids in a constant number of queries (no N+1), so the
media kit, the brand page, the applicant list and the recommendation cards can show them.

Creator scores
    on-time rate          drafts in by the due date / deliverables with a due date that are delivered or overdue
                          (a deliverable's first draft counts; "by" is the due date itself, local time)
    revisions per deliverable   revision requests / deliverables with at least one draft
    completion rate       completed applications / hires that ended (completed, or accepted on an ended campaign)
Brand scores
    median time to a decision   from an application's submission to the brand's first shortlist/accept/decline
    left undecided at close     applications moved to "not selected" / applications that reached an end
                                (accepted, completed, declined, not selected)
    more from apps above        through ``hooks.brand_scores`` (payments: median time from approval to payout)
Ratings
    average of ``overall`` over visible reviews (not hidden; both in, or the window closed)
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from creators.reputation import KitReputation, ReviewShown, ScoreShown

from . import hooks
from .models import Application, ApplicationStatus as A, Deliverable, Review, ReviewSide, SubmissionStatus

DECISIONS = (A.SHORTLISTED, A.ACCEPTED, A.DECLINED)
ENDED = (A.ACCEPTED, A.COMPLETED, A.DECLINED, A.NOT_SELECTED)


def visible_reviews(now: dt.datetime | None = None) -> QuerySet[Review]:
    """Reviews anyone may read: not hidden, and both sides in or the 14-day window closed (double-blind)."""
    now = now or timezone.now()
    return Review.objects.filter(hidden_at__isnull=True).filter(
        Q(published_at__isnull=False) | Q(window_closes_at__lte=now)
    )


def reviews_of_creator(creator_id: int, *, limit: int = 20) -> QuerySet[Review]:
    return (
        visible_reviews()
        .filter(side=ReviewSide.BRAND, application__creator_id=creator_id)
        .select_related("application__campaign__brand")[:limit]
    )


def reviews_of_brand(brand_id: int, *, limit: int = 20) -> QuerySet[Review]:
    return (
        visible_reviews()
        .filter(side=ReviewSide.CREATOR, application__campaign__brand_id=brand_id)
        .select_related("application__campaign", "application__creator")[:limit]
    )


@dataclass(frozen=True)
class Score:
    key: str
    title: str
    value: float | None  # None: no facts yet
    shown: str  # "78%", "0.5", "2.0 days", or "—"
    detail: str  # the numbers behind it


@dataclass
class Reputation:
    rating: float | None = None  # average overall rating of visible reviews
    reviews: int = 0
    scores: list[Score] = field(default_factory=list)

    def score(self, label_key: str) -> Score | None:
        return next((s for s in self.scores if s.key == label_key), None)

    @property
    def rating_shown(self) -> str:
        return f"{self.rating:.1f} / 5" if self.rating is not None else "—"


def _pct(num: int, den: int) -> tuple[float | None, str]:
    if not den:
        return None, "—"
    value = num / den
    return value, f"{round(value * 100)}%"


def _ratings(filter_key: str, side: str, ids: list[int]) -> dict[int, tuple[float, int]]:
    rows = (
        visible_reviews()
        .filter(side=side, **{f"{filter_key}__in": ids})
        .values(filter_key)
        .annotate(avg=Avg("overall"), n=Count("id"))
        .order_by()
    )
    return {r[filter_key]: (float(r["avg"]), r["n"]) for r in rows}


def creator_reputation(creator_ids: list[int], *, today: dt.date | None = None) -> dict[int, Reputation]:
    """Three queries for any number of creators."""
    today = today or timezone.localdate()
    ids = list(creator_ids)
    out = {pk: Reputation() for pk in ids}
    for pk, (avg, n) in _ratings("application__creator_id", ReviewSide.BRAND, ids).items():
        out[pk].rating, out[pk].reviews = avg, n
    facts = {pk: {"due": 0, "on_time": 0, "drafted": 0, "revisions": 0, "done": 0, "ended": 0} for pk in ids}
    deliverables = (
        Deliverable.objects.filter(application__creator_id__in=ids)
        .annotate(
            first_at=Min("submissions__created_at"),
            revisions=Count("submissions", filter=Q(submissions__status=SubmissionStatus.REVISION_REQUESTED)),
        )
        .values("application__creator_id", "due_date", "first_at", "revisions")
        .order_by()
    )
    for d in deliverables:
        f = facts[d["application__creator_id"]]
        first = timezone.localdate(d["first_at"]) if d["first_at"] else None
        if d["due_date"] and (first or d["due_date"] < today):
            f["due"] += 1
            f["on_time"] += bool(first and first <= d["due_date"])
        if first:
            f["drafted"] += 1
            f["revisions"] += d["revisions"]
    hires = (
        Application.objects.filter(creator_id__in=ids)
        .values("creator_id")
        .order_by()
        .annotate(
            done=Count("id", filter=Q(status=A.COMPLETED)),
            ended=Count("id", filter=Q(status=A.COMPLETED) | Q(status=A.ACCEPTED, ended_at__isnull=False)),
        )
    )
    for h in hires:
        facts[h["creator_id"]].update(done=h["done"], ended=h["ended"])
    for pk, f in facts.items():
        on_time, on_time_shown = _pct(f["on_time"], f["due"])
        per = f["revisions"] / f["drafted"] if f["drafted"] else None
        done, done_shown = _pct(f["done"], f["ended"])
        out[pk].scores = [
            Score(
                "on_time",
                _("On-time rate"),
                on_time,
                on_time_shown,
                _("%(n)s of %(d)s drafts by the due date") % {"n": f["on_time"], "d": f["due"]},
            ),
            Score(
                "revisions",
                _("Revisions per deliverable"),
                per,
                "—" if per is None else f"{per:.1f}",
                _("%(r)s revisions over %(d)s deliverables") % {"r": f["revisions"], "d": f["drafted"]},
            ),
            Score(
                "completion",
                _("Completion rate"),
                done,
                done_shown,
                _("%(n)s of %(d)s hires completed") % {"n": f["done"], "d": f["ended"]},
            ),
        ]
    return out


def _days(delta: dt.timedelta) -> str:
    days = delta.total_seconds() / 86400
    return _("%(d)s days") % {"d": f"{days:.1f}"}


def brand_reputation(brand_ids: list[int]) -> dict[int, Reputation]:
    """Four queries for any number of brands, plus one per app that adds scores (``hooks.brand_scores``)."""
    ids = list(brand_ids)
    out = {pk: Reputation() for pk in ids}
    for pk, (avg, n) in _ratings("application__campaign__brand_id", ReviewSide.CREATOR, ids).items():
        out[pk].rating, out[pk].reviews = avg, n
    apps = dict(Application.objects.filter(campaign__brand_id__in=ids).values_list("pk", "campaign__brand_id"))
    starts: dict[int, dt.datetime] = {}
    decided: dict[int, dt.datetime] = {}
    entries = (
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(Application),
            target_id__in=list(apps),
            to_state__in=(A.SUBMITTED, *DECISIONS),
        )
        .values_list("target_id", "to_state", "at")
        .order_by("at", "id")
    )
    for target, to, at in entries:
        bucket = starts if to == A.SUBMITTED else decided
        bucket.setdefault(target, at)
    waits: dict[int, list[dt.timedelta]] = {pk: [] for pk in ids}
    for app_id, start in starts.items():
        if app_id in decided and decided[app_id] >= start:
            waits[apps[app_id]].append(decided[app_id] - start)
    ends = (
        Application.objects.filter(campaign__brand_id__in=ids)
        .values("campaign__brand_id")
        .order_by()
        .annotate(ended=Count("id", filter=Q(status__in=ENDED)), ghosted=Count("id", filter=Q(status=A.NOT_SELECTED)))
    )
    ended = {e["campaign__brand_id"]: (e["ghosted"], e["ended"]) for e in ends}
    for pk in ids:
        median = statistics.median(waits[pk]) if waits[pk] else None
        ghosted, total = ended.get(pk, (0, 0))
        share, share_shown = _pct(ghosted, total)
        out[pk].scores = [
            Score(
                "decision_time",
                _("Median time to a decision"),
                None if median is None else median.total_seconds() / 86400,
                "—" if median is None else _days(median),
                _("median over %(n)s decided applications") % {"n": len(waits[pk])},
            ),
            Score(
                "undecided",
                _("Left undecided at close"),
                share,
                share_shown,
                _("%(n)s of %(d)s applicants left undecided at close") % {"n": ghosted, "d": total},
            ),
        ]
    for pk, scores in hooks.brand_scores(ids).items():
        if pk in out:
            out[pk].scores.extend(scores)
    return out


def media_kit_reputation(creator) -> KitReputation:
    """The media kit's reputation block (registered in creators/reputation.py): four queries."""
    rep = creator_reputation([creator.pk])[creator.pk]
    reviews = [
        ReviewShown(
            by=r.application.campaign.brand.name,
            overall=r.overall,
            communication=r.communication,
            quality=r.quality,
            timeliness=r.timeliness,
            text=r.text,
            reply=r.reply,
            on=r.created_at.date(),
        )
        for r in reviews_of_creator(creator.pk, limit=10)
    ]
    return KitReputation(
        rating_shown=rep.rating_shown,
        review_count=rep.reviews,
        scores=[ScoreShown(s.title, s.shown, s.detail) for s in rep.scores],
        reviews=reviews,
    )
