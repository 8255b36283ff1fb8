"""The creator's proven results for the media kit (issue 11), from tracked data only: the followed posts of their
approved or live deliverables (``Deliverable.post``, numbers from the statistics pipeline) and their completed
campaigns. Two queries whatever the history.

    median views             median of the posts' views (posts without a view count left out)
    median engagement rate   median over the posts of (likes + comments + shares + saves) ÷ views × 100;
                             ÷ reach when the platform gives no views (Instagram without the owner's token gives
                             neither: ÷ the account's followers then); the numbers a platform does not give are left
                             out of the sum, and a post with none of them is left out
    campaigns completed      applications of the creator that reached "completed"
"""

from __future__ import annotations

import statistics
from decimal import ROUND_HALF_UP, Decimal

from creators.track_record import TrackRecord

from .models import Application, ApplicationStatus as A, Deliverable, DeliverableStatus as D


def _engagement_rate(row: dict) -> Decimal | None:
    parts = [row[f"post__{k}"] for k in ("likes", "comments", "shares", "saves") if row[f"post__{k}"] is not None]
    base = row["post__views"] or row["post__reach"] or row["post__account__followers"]
    if not parts or not base:
        return None
    return Decimal(sum(parts)) * 100 / Decimal(base)


def media_kit_track_record(creator) -> TrackRecord | None:
    rows = list(
        Deliverable.objects.filter(application__creator=creator, status__in=(D.APPROVED, D.LIVE), post__isnull=False)
        .values(
            "post_id",
            "post__views",
            "post__reach",
            "post__likes",
            "post__comments",
            "post__shares",
            "post__saves",
            "post__account__followers",
        )
        .distinct()
    )
    completed = Application.objects.filter(creator=creator, status=A.COMPLETED).count()
    if not rows and not completed:
        return None
    views = [r["post__views"] for r in rows if r["post__views"] is not None]
    rates = [rate for rate in map(_engagement_rate, rows) if rate is not None]
    return TrackRecord(
        sponsored_posts=len(rows),
        median_views=round(statistics.median(views)) if views else None,
        median_engagement_rate=(
            Decimal(statistics.median(rates)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if rates else None
        ),
        campaigns_completed=completed,
    )
