"""The read side of creators: scoped querysets and the directory's keyset pages."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import (
    BooleanField,
    DateTimeField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    Prefetch,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from core.models import User
from core.vetting import VettingStatus

from .models import Creator, PortfolioItem, RateCardEntry, SocialAccount
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
SORT_COLUMNS = ("followers", "engagement", "newest")


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


class RowBefore(Func):
    """``(key, id) < (value, pk)``: a row comparison, which PostgreSQL turns into one index range."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        return f"({parts[0]}, {parts[1]}) < ({parts[2]}, {parts[3]})", params


WINDOW = 1_000  # rows of the sort index a dense page looks at before sorting the matches instead


def _sort_keys(sort: str) -> tuple:
    """(the indexed sort expression, the same value as an expression no index serves)."""
    if sort == "followers":
        return F("followers"), F("followers") + Value(0)
    if sort == "engagement":
        return _ENGAGEMENT, _ENGAGEMENT + Value(Decimal(0))
    return F("created_at"), ExpressionWrapper(F("created_at") + Value(timedelta(0)), output_field=DateTimeField())


def directory_page(
    qs: QuerySet[Creator],
    *,
    sort: str = "followers",
    cursor: str | None = None,
    page_size: int = PAGE_SIZE,
    window_base: QuerySet[Creator] | None = None,
) -> DirectoryPage:
    """One page of ``qs`` (already filtered) in ``sort`` order, after ``cursor``: no OFFSET, no exact COUNT.

    Queries: a capped count, one to three for the page, and the card
    prefetches, whatever the number of rows. The plan is chosen so that neither trap of
    ORDER BY ... LIMIT over filters can bite:

    * Few matches (the capped count is not reached: a rare word, a narrow
      combination): order by an expression the sort index cannot serve
      (``followers + 0``), so PostgreSQL fetches the few matches through the
      filter indexes (GIN, country, ...) and sorts them, instead of walking
      the sort index hoping to meet them early.
    * Many matches: look at the first WINDOW rows of the sort index
      (``window_base``: the listed creators, narrowed by conditions the index
      itself serves, e.g. a follower range) and keep the matches among them.
      If that fills a page, it *is* the page: every later row ranks below the
      window. If not (the matches go against the sort: "engagement 2-6 %"
      sits at the far end of "most followers"), sort the matches instead.
      Either way no query reads more than the window or the matches.
    """
    if sort not in SORT_COLUMNS:
        sort = "followers"
    indexed_key, plain_key = _sort_keys(sort)
    count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()

    decoded = _decode_cursor(sort, cursor) if cursor else None

    def after_cursor(q: QuerySet[Creator]) -> QuerySet[Creator]:
        if decoded is None:
            return q
        value, pk = decoded
        return q.filter(RowBefore(indexed_key, F("id"), Value(value), Value(pk)))

    cards = directory_card_queryset(after_cursor(qs))
    if count <= COUNT_CAP:
        rows = list(cards.order_by(plain_key.desc(), F("id").desc())[: page_size + 1])
    else:
        matches = after_cursor(qs).values_list("pk", flat=True)
        window = (
            after_cursor(window_base if window_base is not None else listed_creators())
            .order_by(indexed_key.desc(), F("id").desc())
            .values("pk")[:WINDOW]
        )
        # "= ANY(ARRAY(window))": PostgreSQL runs the window once and looks its ids up by primary key;
        # with "IN (window)" it prefers to hash-join the window against the whole sort index.
        window_sql, window_params = window.query.sql_with_params()
        in_window = matches.extra(
            where=[f'"creators_creator"."id" = ANY(ARRAY({window_sql}))'], params=list(window_params)
        )
        ids = list(in_window.order_by(indexed_key.desc(), F("id").desc())[: page_size + 1])
        if len(ids) <= page_size:
            # Sort the matches' ids only (narrow rows sort fast), then load the cards of one page.
            ids = list(matches.order_by(plain_key.desc(), F("id").desc())[: page_size + 1])
        by_id = {c.pk: c for c in cards.filter(pk__in=ids).order_by()}
        rows = [by_id[pk] for pk in ids if pk in by_id]
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
            # demographics: the one-to-one joined in, so the media kit's audience bars cost no query (issue 11)
            Prefetch(
                "accounts",
                queryset=SocialAccount.objects.select_related("demographics").order_by("-followers", "platform"),
            ),
            Prefetch("rates", queryset=RateCardEntry.objects.order_by("platform", "price")),
            Prefetch("portfolio", queryset=PortfolioItem.objects.order_by("position", "-created_at")),
        )
        .filter(handle=handle.lower())
        .first()
    )
    if creator is None or not can_view_creator(user, creator):
        raise Http404
    return creator
