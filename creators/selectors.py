"""The read side of creators: scoped querysets and the directory's keyset pages."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import DateTimeField, DecimalField, ExpressionWrapper, F, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from marketplace.models import User
from marketplace.vetting import VettingStatus

from .models import Creator, PortfolioItem, RateCardEntry, SocialAccount, StatsSnapshot
from .permissions import can_view_creator

PAGE_SIZE = 24
COUNT_CAP = 200  # "200+ creators": enough to judge a search, cheap to count


def creator_for_user(*, user: User) -> Creator | None:
    if not user.is_authenticated:
        return None
    return Creator.objects.filter(user=user).first()


def own_creator_or_404(*, user: User) -> Creator:
    creator = creator_for_user(user=user)
    if creator is None:
        raise Http404
    return creator


def listed_creators() -> QuerySet[Creator]:
    """Creators brands may find: approved only (PRODUCT §3)."""
    return Creator.objects.filter(status=VettingStatus.APPROVED)


def directory_card_queryset(qs: QuerySet[Creator]) -> QuerySet[Creator]:
    """What a result card shows, in a fixed number of queries whatever the page size."""
    return qs.defer("search_vector").prefetch_related(
        "niches",
        Prefetch("accounts", queryset=SocialAccount.objects.order_by("-followers", "platform")),
        Prefetch("rates", queryset=RateCardEntry.objects.order_by("price")),
    )


# --- keyset pagination -----------------------------------------------------------------------
# Each sort is (value, id) descending and has its own partial index (models.Creator.Meta).
# A page continues *after* the last row of the previous one: no OFFSET, however deep.

_ENGAGEMENT = Coalesce(F("engagement_rate"), Value(Decimal(-1)), output_field=DecimalField())
SORT_COLUMNS = {
    "followers": ("followers", "creators_creator.followers"),
    "engagement": ("engagement_rate", "COALESCE(creators_creator.engagement_rate, -1)"),
    "newest": ("created_at", "creators_creator.created_at"),
}


@dataclass
class DirectoryPage:
    creators: list[Creator]
    next_cursor: str | None
    count: int
    count_capped: bool
    sort: str

    @property
    def count_label(self) -> str:
        return f"{self.count:,}+" if self.count_capped else f"{self.count:,}"


def _encode_cursor(sort: str, creator: Creator) -> str:
    if sort == "followers":
        value = str(creator.followers)
    elif sort == "engagement":
        value = str(creator.engagement_rate if creator.engagement_rate is not None else -1)
    else:
        value = creator.created_at.isoformat()
    return base64.urlsafe_b64encode(f"{value}|{creator.pk}".encode()).decode().rstrip("=")


def _decode_cursor(sort: str, cursor: str):
    """(value, id) or None for a cursor that is malformed (a tampered URL starts from the top)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value, pk = raw.rsplit("|", 1)
        pk = int(pk)
        if sort == "followers":
            return int(value), pk
        if sort == "engagement":
            return Decimal(value), pk
        return datetime.fromisoformat(value), pk
    except (ValueError, binascii.Error, UnicodeDecodeError, InvalidOperation):
        return None


def directory_page(
    qs: QuerySet[Creator], *, sort: str = "followers", cursor: str | None = None, page_size: int = PAGE_SIZE,
    correlated: bool = False,
) -> DirectoryPage:
    """One page of ``qs`` (already filtered) in ``sort`` order, after ``cursor``.

    Two queries plus the card prefetches: a capped count (no exact COUNT over
    a big set) and the page itself (keyset, no OFFSET).

    The capped count also steers the plan. When the filters leave few rows
    (a rare search word, a narrow combination), walking the sort index
    hoping to meet 24 matches early can read most of the table; ordering by
    an expression the index cannot serve (``followers + 0``) makes PostgreSQL
    fetch the few matches through the filter indexes (GIN, country, ...)
    and sort them. When many rows match, the index walk finds a page at once,
    unless a filter goes with the sort key (``correlated``, see
    CreatorFilter.CORRELATED): then the matches sit at the far end of the
    index however many they are, and they are sorted too.
    """
    if sort not in SORT_COLUMNS:
        sort = "followers"
    _, column_sql = SORT_COLUMNS[sort]
    count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    sparse = count <= COUNT_CAP or correlated

    page_qs = qs
    if cursor:
        decoded = _decode_cursor(sort, cursor)
        if decoded is not None:
            page_qs = page_qs.extra(where=[f"({column_sql}, creators_creator.id) < (%s, %s)"], params=list(decoded))
    if sort == "followers":
        key = F("followers") + Value(0) if sparse else F("followers")
    elif sort == "engagement":
        key = _ENGAGEMENT + Value(0) if sparse else _ENGAGEMENT
    else:
        key = F("created_at")
        if sparse:
            key = ExpressionWrapper(F("created_at") + Value(timedelta(0)), output_field=DateTimeField())
    page_qs = directory_card_queryset(page_qs).order_by(key.desc(), F("id").desc())
    rows = list(page_qs[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    return DirectoryPage(
        creators=rows,
        next_cursor=_encode_cursor(sort, rows[-1]) if more and rows else None,
        count=min(count, COUNT_CAP),
        count_capped=count > COUNT_CAP,
        sort=sort,
    )


# --- media kit --------------------------------------------------------------------------


def media_kit_creator_or_404(*, user: User, handle: str) -> Creator:
    creator = (
        Creator.objects.select_related("user")
        .prefetch_related(
            "niches",
            Prefetch("accounts", queryset=SocialAccount.objects.order_by("-followers", "platform")),
            Prefetch("rates", queryset=RateCardEntry.objects.order_by("platform", "price")),
            Prefetch("portfolio", queryset=PortfolioItem.objects.order_by("position", "-created_at")),
        )
        .filter(handle=handle.lower())
        .first()
    )
    if creator is None or not can_view_creator(user, creator):
        raise Http404
    return creator


def growth_snapshots(*, creator: Creator, days: int = 90) -> dict[int, list[tuple]]:
    """Follower history per account id over the last ``days`` days, oldest first, in one query."""
    from django.utils import timezone

    since = timezone.localdate() - timezone.timedelta(days=days)
    history: dict[int, list[tuple]] = {}
    rows = (
        StatsSnapshot.objects.filter(account__creator=creator, period__gte=since, followers__isnull=False)
        .order_by("account_id", "period")
        .values_list("account_id", "period", "followers")
    )
    for account_id, period, followers in rows:
        history.setdefault(account_id, []).append((period, followers))
    return history
