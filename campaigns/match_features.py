"""The match-features row of each creator (``MatchFeatures``, issue 13): written set-based, read by matching.

``match_features_refresh(creator_ids)`` is the one writer: one ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``
for any number of creators, whose SELECT is built from the *same* expressions as the matching formula
(``campaigns.matching``: the engagement value of the largest account with the band table, the lowest price, the
reputation facts), so the row and the formula cannot drift apart. Who calls it:

* every write of the creators app that changes a fact (``creators.changes.creators_changed``: profile, niches,
  status through vetting, rate card, accounts and their numbers through ``creator_recompute_audience``, which
  the stats pipeline calls after each refresh batch), through the listener registered in ``apps.py``;
* the campaigns services that change a reputation fact: a review written or hidden, a first draft submitted,
  an application completed;
* ``match_features_rebuild()`` (migration, ``manage.py rebuild_match_features``, the benchmark seed) for all.

Facts that change with time alone are bounded instead of stored, from above and from below: a blind review may
become visible when its window closes (``reviews_blind`` of them: the rating is at most what they would make at 5
stars and at least what they would make at 1), and a deliverable without a draft (``pending``) becomes overdue at
its due date (it can only lower the on-time share: between ``on_time / (drafted + pending)`` and
``on_time / drafted``). The audience's country share is not stored (it depends on the brief's platforms and
countries); ``audience_known`` says whether it replaces the creator's own country.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.vetting import VettingStatus
from creators.models import AudienceDemographics, Creator, SocialAccount

from .matching import WEIGHTS, _Count, _engagement_value, _min_price, _Rep, reputation_bound_sql
from .models import MatchFeatures, Review, ReviewSide, Submission

COLUMNS = [
    "approved",
    "tier",
    "followers",
    "engagement_rate",
    "country",
    "languages",
    "platforms",
    "niche_ids",
    "engagement",
    "min_price",
    "reviews",
    "rating_sum",
    "reviews_blind",
    "drafted",
    "on_time",
    "pending",
    "completed",
    "audience_known",
]


# The stored sort key: engagement and reputation points, the reputation bound taken at the highest mean (5).
STATIC_BOUND_SQL = f"({WEIGHTS['engagement']} * s.engagement + {WEIGHTS['reputation']} * {{rep}})"


def _features_queryset():
    me = OuterRef("pk")
    rep = _Rep(me)
    brand_side = Review.objects.filter(side=ReviewSide.BRAND, application__creator_id=me).order_by()
    blind = brand_side.filter(hidden_at__isnull=True, published_at__isnull=True, window_closes_at__gt=timezone.now())
    drafted = Exists(Submission.objects.filter(deliverable_id=OuterRef("pk")))
    return Creator.objects.order_by().values(
        f_id=F("pk"),
        f_approved=ExpressionWrapper(Q(status=VettingStatus.APPROVED), output_field=BooleanField()),
        f_tier=F("tier"),
        f_followers=F("followers"),
        f_engagement_rate=F("engagement_rate"),
        f_country=F("country"),
        f_languages=F("languages"),
        f_platforms=ArraySubquery(
            SocialAccount.objects.filter(creator_id=me).order_by("platform").values("platform").distinct()
        ),
        f_niche_ids=ArraySubquery(
            Creator.niches.through.objects.filter(creator_id=me).order_by("niche_id").values("niche_id")
        ),
        f_engagement=_engagement_value(SocialAccount.objects.filter(creator_id=me)),
        f_min_price=_min_price(me),
        f_reviews=_Count(rep.mine.values("id")),
        f_rating_sum=Coalesce(
            Subquery(
                rep.mine.values("application__creator_id").annotate(s=Sum("overall")).values("s")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        f_reviews_blind=_Count(blind.values("id")),
        f_drafted=_Count(rep.deliverables.filter(drafted).values("id")),
        f_on_time=_Count(rep.deliverables.filter(rep.on_time).values("id")),
        f_pending=_Count(rep.deliverables.filter(~drafted).values("id")),
        f_completed=rep.completed,
        # as the audience term reads demographics (campaigns.matching._AUDIENCE_SHARE_SQL), on any platform
        f_audience_known=Exists(
            AudienceDemographics.objects.filter(account__creator_id=me, account__followers__gt=0).exclude(countries={})
        ),
    )


def _upsert(queryset) -> None:
    select, params = queryset.query.sql_with_params()
    names = ", ".join(COLUMNS)
    renamed = ", ".join(f"q.f_{c} AS {c}" for c in COLUMNS)
    bound = STATIC_BOUND_SQL.format(rep=reputation_bound_sql("s", "5.0"))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*COLUMNS, "static_bound"])
    sql = f"""
        INSERT INTO {MatchFeatures._meta.db_table} (creator_id, {names}, static_bound)
        SELECT s.creator_id, {", ".join(f"s.{c}" for c in COLUMNS)}, {bound}
        FROM (SELECT q.f_id AS creator_id, {renamed} FROM ({select}) q) s
        ON CONFLICT (creator_id) DO UPDATE SET {updates}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def match_features_refresh(creator_ids: Iterable[int]) -> None:
    """Rewrite the match-features rows of ``creator_ids`` from the current data, in one statement."""
    ids = sorted({int(i) for i in creator_ids})
    if ids:
        _upsert(_features_queryset().filter(pk__in=ids))


def match_features_rebuild(*, batch: int = 50_000, log=None) -> int:
    """Every creator's row, in id ranges of ``batch`` (the band table or the formula changed, a new database)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM creators_creator")
        low, high = cursor.fetchone()
    if low is None:
        return 0
    for start in range(low, high + 1, batch):
        _upsert(_features_queryset().filter(pk__gte=start, pk__lt=start + batch))
        if log:
            log(f"  match features up to creator {min(start + batch - 1, high):,}")
    return high - low + 1


def migration_fill(apps, schema_editor) -> None:
    """Every creator's row, from a migration, when the table already has every column this code writes.

    This is today's code running inside a past migration: on a database migrated from before a later migration
    that adds a column, the write would name a column that does not exist yet, so it is skipped, and the
    migration that adds the column fills the rows (``migration_fill_missing``)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        present = {c.name for c in connection.introspection.get_table_description(cursor, MatchFeatures._meta.db_table)}
    if {"creator_id", "static_bound", *COLUMNS} <= present:
        match_features_rebuild()


def migration_fill_missing(apps, schema_editor) -> None:
    """``migration_fill`` when some creator has no row (an earlier migration skipped it)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM creators_creator c WHERE NOT EXISTS "
            f"(SELECT 1 FROM {MatchFeatures._meta.db_table} f WHERE f.creator_id = c.id))"
        )
        missing = cursor.fetchone()[0]
    if missing:
        migration_fill(apps, schema_editor)
