"""The read side of creators: scoped querysets and the directory's keyset pages."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import EmptyResultSet
from django.db import connections
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

from .models import Creator, Niche, PortfolioItem, RateCardEntry, SocialAccount
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


# --- keyset pagination -----------------------------------------------------------------------
# Each sort is (value, id) descending and has its own partial index (models.Creator.Meta).
# A page continues *after* the last row of the previous one: no OFFSET, however deep.

_ENGAGEMENT = Coalesce(F("engagement_rate"), Value(Decimal(-1)), output_field=DecimalField())
ENGAGEMENT_KEY = _ENGAGEMENT  # the expression of the engagement sort index (creator_dir_engagement)
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


WINDOW = 10_000  # rows of the sort index a dense page may walk before sorting the matches instead


def _sort_keys(sort: str) -> tuple:
    """(the indexed sort expression, the same value as an expression no index serves)."""
    if sort == "followers":
        return F("followers"), F("followers") + Value(0)
    if sort == "engagement":
        return _ENGAGEMENT, _ENGAGEMENT + Value(Decimal(0))
    return F("created_at"), ExpressionWrapper(F("created_at") + Value(timedelta(0)), output_field=DateTimeField())


def _sql(qs: QuerySet) -> tuple[str, list]:
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


# The card's related rows, aggregated into the page's one statement as JSON arrays of positional values
# (no model instances per row through prefetch machinery; ``c`` is the page's creator row).


@dataclass(frozen=True)
class CardFields:
    """The columns a list of creators needs: the page's cards need few, the API's list all but the search
    document. Anything else on an instance is deferred (a query when read: keep the tests' query counts)."""

    creator: tuple[str, ...]
    accounts: tuple[str, ...]
    rates: tuple[str, ...]


API_FIELDS = CardFields(
    creator=tuple(f.attname for f in Creator._meta.concrete_fields if f.name != "search_vector"),
    accounts=(
        "id",
        "creator_id",
        "platform",
        "handle",
        "verified",
        "followers",
        "followers_hidden",
        "avg_likes",
        "avg_comments",
        "avg_views",
        "engagement_rate",
        "tier",
        "last_refreshed_at",
        "refresh_status",
    ),
    rates=("id", "creator_id", "platform", "deliverable", "price", "currency", "note"),
)
# templates/creators/_directory_rows.html (and the cards' controls: pk and handle)
PAGE_FIELDS = CardFields(
    creator=(
        "id",
        "user_id",
        "display_name",
        "handle",
        "country",
        "avatar_thumb",
        "status",
        "tier",
        "followers",
        "engagement_rate",
        "created_at",
    ),
    accounts=("id", "creator_id", "platform", "verified", "followers", "followers_hidden"),
    rates=("id", "creator_id", "price", "currency"),
)
NICHE_FIELDS = ("id", "slug", "name")
_FLOATS = {"avg_likes", "avg_comments", "avg_views"}
_ACCOUNTS_SQL = (
    "(SELECT json_agg(json_build_array({cols}) ORDER BY a.followers DESC, a.platform, a.id)::text "
    "FROM creators_socialaccount a WHERE a.creator_id = c.id)"
)
_RATES_SQL = (
    "(SELECT json_agg(json_build_array({cols}) ORDER BY {order})::text "
    "FROM creators_ratecardentry r WHERE r.creator_id = c.id)"
)
_NICHES_SQL = (
    "(SELECT json_agg(json_build_array(n.id, n.slug, n.name) ORDER BY n.name, n.id)::text "
    "FROM creators_creator_niches cn JOIN creators_niche n ON n.id = cn.niche_id WHERE cn.creator_id = c.id)"
)


def _related(model, rows: list, fields: tuple[str, ...], db: str) -> QuerySet:
    """A QuerySet already evaluated to ``rows`` (what prefetch_related leaves on an instance)."""
    instances = []
    for values in rows:
        if model is SocialAccount:
            values = [_parse_account_value(name, value) for name, value in zip(fields, values, strict=True)]
        elif model is RateCardEntry:
            values = [Decimal(v) if name == "price" else v for name, v in zip(fields, values, strict=True)]
        instances.append(model.from_db(db, fields, values))
    qs = model._base_manager.db_manager(db).all()
    qs._result_cache = instances
    qs._prefetch_done = True
    return qs


def _parse_account_value(name: str, value):
    if value is None:
        return None
    if name in _FLOATS:
        return float(value)
    if name == "engagement_rate":
        return Decimal(value)
    if name == "last_refreshed_at":
        return datetime.fromisoformat(value)
    return value


def directory_page(
    qs: QuerySet[Creator],
    *,
    sort: str = "followers",
    cursor: str | None = None,
    page_size: int = PAGE_SIZE,
    window_base: QuerySet[Creator] | None = None,
    rates_order: tuple[str, ...] = ("price",),
    fields: CardFields = PAGE_FIELDS,
) -> DirectoryPage:
    """One page of ``qs`` (already filtered) in ``sort`` order, after ``cursor``: no OFFSET, no exact COUNT.

    ONE statement (issue 13), whatever the number of rows: the capped count, the page's ids by the plan the
    count picks, and the cards with their accounts, rates and niches (JSON aggregates). The plan is chosen
    inside the statement (PostgreSQL runs an uncorrelated subquery only when a CASE branch needs it) so that
    neither trap of ORDER BY ... LIMIT over filters can bite:

    * Few matches (the capped count is not reached: a rare word, a narrow
      combination): order by an expression the sort index cannot serve
      (``followers + 0``), so PostgreSQL fetches the few matches through the
      filter indexes (GIN, country, ...) and sorts them, instead of walking
      the sort index hoping to meet them early.
    * Many matches: walk the sort index (``window_base``: the listed
      creators, narrowed by conditions the index itself serves, e.g. a
      follower or engagement range) in order, keeping the matches, until a
      page is full: that *is* the page, every later row ranks below it. The
      walk stops after WINDOW rows (matches rarer than 1 in ~400 rows of the
      sort index); if it found less than a page by then (the matches go
      against the sort: "engagement 2-6 %" sits at the far end of "most
      followers"), sort the matches instead: few of them for their size.
      Either way no query reads more than the window or the matches.

    ``rates_order``: the order of each card's rate card (the page shows the lowest price first; the API lists
    them by platform, then price). ``fields``: the columns loaded (PAGE_FIELDS for the cards, API_FIELDS).
    """
    if sort not in SORT_COLUMNS:
        sort = "followers"
    indexed_key, plain_key = _sort_keys(sort)
    decoded = _decode_cursor(sort, cursor) if cursor else None

    def after_cursor(q: QuerySet[Creator]) -> QuerySet[Creator]:
        if decoded is None:
            return q
        value, pk = decoded
        return q.filter(RowBefore(indexed_key, F("id"), Value(value), Value(pk)))

    try:
        count_sql, count_params = _sql(qs.order_by().values("pk")[: COUNT_CAP + 1])
    except EmptyResultSet:  # a filter no row can pass (e.g. followers from 10^26): no statement at all
        return DirectoryPage(creators=[], next_cursor=None, count=0, count_capped=False, sort=sort)
    # Sorting the matches (few of them; or many, when the window below holds less than a page): by the plain
    # key, which no index serves, so PostgreSQL finds them by the filters' indexes and sorts their ids.
    sorted_sql, sorted_params = _sql(
        after_cursor(qs).order_by(plain_key.desc(), F("id").desc()).values("pk")[: page_size + 1]
    )

    # Many matches: walk the first WINDOW rows of the sort index (``window_base``) in order, checking each row
    # against the filters by primary key (a LATERAL subquery: a nested loop that keeps the walk's order), and
    # stop at the first page of matches: the walk reads as many rows as the page needs, at most WINDOW.
    def window(base: QuerySet[Creator]) -> tuple[str, list]:
        return _sql(
            after_cursor(base)
            .annotate(_k=indexed_key)
            .order_by(indexed_key.desc(), F("id").desc())
            .values("pk", "_k")[:WINDOW]
        )

    try:
        window_sql, window_params = window(window_base if window_base is not None else listed_creators())
    except EmptyResultSet:  # bounds no row passes: the matches are empty too; walk the whole index (harmless)
        window_sql, window_params = window(listed_creators())
    match_sql, match_params = _sql(qs.order_by().extra(where=['"creators_creator"."id" = w."pk"']).values("pk"))
    walk_sql = (
        f"SELECT w.pk FROM ({window_sql}) w CROSS JOIN LATERAL ({match_sql} OFFSET 0) m "
        "ORDER BY w._k DESC, w.pk DESC LIMIT %s"
    )
    # ... and when the walk found less than a page (the matches go against the sort), sort the matches.
    ids_sql = (
        "(SELECT CASE WHEN cardinality(w.ids) > %s THEN w.ids ELSE ARRAY(" + sorted_sql + ") END "
        f"FROM (SELECT ARRAY({walk_sql}) AS ids OFFSET 0) w)"
    )
    ids_params = [page_size, *sorted_params, *window_params, *match_params, page_size + 1]
    base = window_base if window_base is not None else listed_creators()
    if _sql(qs.order_by().values("pk")) == _sql(base.order_by().values("pk")):
        # No filter beyond what the sort index serves (the whole directory, a follower range by followers): every
        # row of the walk matches, so the page is the walk's first rows, whatever the count (a simpler statement:
        # its planning was most of the unfiltered page's time).
        direct_sql, direct_params = _sql(
            after_cursor(qs).order_by(indexed_key.desc(), F("id").desc()).values("pk")[: page_size + 1]
        )
        plan_sql, plan_params = f"ARRAY({direct_sql})", direct_params
    else:
        plan_sql = f"CASE WHEN n.n <= %s THEN ARRAY({sorted_sql}) ELSE {ids_sql} END"
        plan_params = [COUNT_CAP, *sorted_params, *ids_params]
    key_sql = {
        "followers": "c.followers",
        "engagement": "COALESCE(c.engagement_rate, -1)",
        "newest": "c.created_at",
    }[sort]
    rates_sql = _RATES_SQL.format(
        cols=", ".join(f"r.{f}" for f in fields.rates), order=", ".join([*(f"r.{f}" for f in rates_order), "r.id"])
    )
    sql = (
        "SELECT n.n, p.more, "
        + ", ".join(f"c.{f}" for f in fields.creator)
        + ", "
        + _ACCOUNTS_SQL.format(cols=", ".join(f"a.{f}" for f in fields.accounts))
        + f", {rates_sql}, {_NICHES_SQL} "
        f"FROM (SELECT (SELECT count(*) FROM ({count_sql}) m) AS n OFFSET 0) n "
        f"CROSS JOIN LATERAL (SELECT {plan_sql} AS ids OFFSET 0) p0 "
        "CROSS JOIN LATERAL (SELECT p0.ids[1:%s] AS ids, cardinality(p0.ids) > %s AS more OFFSET 0) p "
        "LEFT JOIN creators_creator c ON c.id = ANY(p.ids) "
        f"ORDER BY {key_sql} DESC, c.id DESC"
    )
    params = [*count_params, *plan_params, page_size, page_size]
    db = qs.db
    with connections[db].cursor() as cursor_:
        cursor_.execute(sql, params)
        result = cursor_.fetchall()
    count = result[0][0]
    more = bool(result[0][1])
    rows = []
    width = len(fields.creator)
    for row in result:
        if row[2] is None:  # no creator on this page (LEFT JOIN): the count alone
            continue
        creator = Creator.from_db(db, fields.creator, row[2 : 2 + width])
        # Everything the card is made of, as loaded: the key of its cached body (creators.cards.attach_card_html)
        creator.card_digest = hashlib.blake2b(repr(row[2:]).encode(), digest_size=16).hexdigest()
        accounts, rates, niches = (json.loads(v, parse_float=str) if v else [] for v in row[2 + width :])
        creator._prefetched_objects_cache = {
            "accounts": _related(SocialAccount, accounts, fields.accounts, db),
            "rates": _related(RateCardEntry, rates, fields.rates, db),
            "niches": _related(Niche, niches, NICHE_FIELDS, db),
        }
        for account in creator._prefetched_objects_cache["accounts"]:
            account._state.fields_cache["creator"] = creator
        rows.append(creator)
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
