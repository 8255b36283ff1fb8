"""Matching (PRODUCT §6): a 0–100 score per (creator, campaign), ranked in the database.

Hard requirements decide who is in the list at all; they are the same six checks as
``campaigns.eligibility.eligibility()`` (target tiers, platforms, minimum followers, minimum
engagement rate, countries, languages), written as SQL filters. Among eligible pairs the score is

    score = Σ WEIGHTS[signal] × value(signal)          (each value is 0…1, the weights sum to 100)

with these signals (``SIGNALS`` holds the labels shown as "why this match"):

* ``niche`` (25): share of the brief's niches the creator has; 1 when the brief names none.
* ``platform`` (15): share of the brief's platforms the creator has an account on; 1 when it names none.
* ``tier`` (10): 1 when the creator's tier is one of the brief's target tiers (or the brief has none and
  the creator has a tier); 0.5 for an emerging creator (< 1,000 followers) on a brief with no target tiers.
* ``engagement`` (20): the engagement rate of the creator's largest account against the published band
  for that account's platform and tier (the one table, stats/benchmarks.py, inlined into the SQL): 1 at or above the
  band's top, 0.5 at its bottom, linear in between, ``0.5 × rate / low`` below it; 0.5 for an emerging
  account (no band exists below 1,000 followers); 0 when the rate is unknown.
* ``audience`` (10): half country, half language (share of the brief's languages the creator speaks; 1 when
  it names none). Country is 1 when the brief names no countries. Otherwise, when the audience is known
  (``creators.AudienceDemographics`` of the creator's accounts on the brief's platforms, or on any platform
  when the brief names none), it is the share of that audience in the brief's countries, weighted by
  followers (issue 11)::

      country = Σ_a followers_a × Σ_{c ∈ brief} share_a(c) / 100  /  Σ_a followers_a

  over the accounts whose countries are known (a lower bound: only the top five countries are stored).
  With no known audience it is 1 when the creator's own country is one of the brief's, else 0. (Eligibility
  still asks for the creator's country, so the country half is at most 1 and the fast path's bound holds.)
* ``rate`` (10): the brief's fee per creator against the creator's lowest rate-card price:
  ``min(1, fee / price)``; 0.5 when either is unknown (no fee offered, or no rate card). Currencies are
  not converted.
* ``reputation`` (10): ratings, punctuality and track record of the creator (issue 12)::

      reputation = ½ × (R − 1) / 4  +  ¼ × on_time  +  ¼ × min(completed, 5) / 5

      R = (m × μ + Σ ratings) / (m + n)        a Bayesian average of the creator's n visible ratings
                                               (``overall``, 1–5; campaigns.reputation.visible_reviews)
      m = 5                                    the prior: five pseudo-reviews at the platform mean
      μ = the platform mean                    of every visible brand-side rating, 4.0 while there is none
      on_time = drafts by the due date / deliverables that were due (campaigns/reputation.py's on-time
                rate); 0.5 while none was due
      completed = the creator's completed applications

  A creator with three 5-star reviews does not outrank one with forty 4.8s: few ratings stay near μ. A
  newcomer (no reviews, nothing due, nothing completed) scores ½ × (μ − 1)/4 + ⅛, i.e. 0.5 when μ = 4.0.
  ``reputation_detail`` writes the same formula with the creator's numbers for "why this match".

Both directions use the same formulas: ``recommended_creators`` ranks creators for a campaign (the
campaign's values are constants, the creator's are columns and correlated subqueries) and
``campaigns_for_creator`` ranks open campaigns for a creator (the other way round). Creators or campaigns
that already have an application between them are left out: there is nothing left to recommend.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Least, NullIf
from django.db.models.query import RawQuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.vetting import VettingStatus
from creators.models import Creator, RateCardEntry, SocialAccount
from stats.api import band_table_json

from .models import (
    Application,
    ApplicationStatus,
    Campaign,
    CampaignStatus,
    CompensationType,
    Deliverable,
    MatchFeatures,
    RatingTotal,
    Review,
    ReviewSide,
    Submission,
)
from .reputation import visible_reviews

# The weights of the signals; they sum to 100 so the score reads as a percentage.
WEIGHTS: dict[str, int] = {
    "niche": 25,
    "platform": 15,
    "tier": 10,
    "engagement": 20,
    "audience": 10,
    "rate": 10,
    "reputation": 10,
}
assert sum(WEIGHTS.values()) == 100

SIGNALS: dict[str, str] = {
    "niche": _("Niche overlap"),
    "platform": _("Platform fit"),
    "tier": _("Tier fit"),
    "engagement": _("Engagement vs. benchmark"),
    "audience": _("Audience fit"),
    "rate": _("Rate vs. budget"),
    "reputation": _("Reputation"),
}

REPUTATION_FULL_AT = 5  # completed campaigns for the full track-record part
PRIOR_REVIEWS = 5  # m: pseudo-reviews at the platform mean every creator starts with
PRIOR_MEAN_WHEN_EMPTY = 4.0  # μ while the platform has no visible rating
UNKNOWN = 0.5  # the value of a signal nothing can be said about

_F = FloatField()


def _v(x: float) -> Value:
    return Value(float(x), output_field=_F)


def _float(expr) -> Cast:
    return Cast(expr, output_field=_F)


class _Count(Subquery):
    """``(SELECT COUNT(*) FROM ...)`` for a correlated queryset."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _c)"
    output_field = IntegerField()


class _Cardinality(Func):
    function = "cardinality"
    output_field = IntegerField()


@dataclass(frozen=True)
class Signal:
    name: str
    label: str
    weight: int
    value: float
    points: float
    detail: str = ""  # the formula with this row's numbers (reputation)


def signals_of(obj) -> list[Signal]:
    """The "why this match" rows of a ranked creator or campaign (annotated by the functions below)."""
    rows = []
    for name, weight in WEIGHTS.items():
        value = float(getattr(obj, f"match_{name}") or 0.0)
        detail = reputation_detail(obj) if name == "reputation" else ""
        rows.append(Signal(name, str(SIGNALS[name]), weight, round(value, 4), round(weight * value, 2), detail))
    return rows


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def reputation_detail(obj) -> str:
    """The reputation formula written out with the numbers of one ranked row (the ``rep_*`` annotations)."""
    n, total = int(obj.rep_reviews or 0), int(obj.rep_rating_sum or 0)
    mean = float(obj.rep_platform_mean)
    due, on_time, done = int(obj.rep_due or 0), int(obj.rep_on_time or 0), int(obj.rep_completed or 0)
    bayes = (PRIOR_REVIEWS * mean + total) / (PRIOR_REVIEWS + n)
    punctual = on_time / due if due else UNKNOWN
    track = min(done, REPUTATION_FULL_AT)
    value = 0.5 * (bayes - 1) / 4 + 0.25 * punctual + 0.25 * track / REPUTATION_FULL_AT
    rating = _(
        "rating %(r)s = (%(m)s × %(mu)s + %(sum)s) / (%(m)s + %(n)s): %(n)s reviews shrunk toward the "
        "platform mean %(mu)s by %(m)s pseudo-reviews"
    ) % {"r": f"{bayes:.2f}", "m": PRIOR_REVIEWS, "mu": f"{mean:.2f}", "sum": total, "n": n}
    punctuality = (
        _("on time %(k)s of %(d)s drafts") % {"k": on_time, "d": due}
        if due
        else _("on time: nothing due yet, counted as 0.5")
    )
    return _(
        "½ × (rating − 1)/4 + ¼ × on-time + ¼ × completed/5 = ½ × (%(r)s − 1)/4 + ¼ × %(p)s + ¼ × %(c)s/5 = "
        "%(v)s; %(rating)s; %(punctuality)s; %(done)s completed campaigns."
    ) % {
        "r": f"{bayes:.2f}",
        "p": _num(punctual),
        "c": track,
        "v": f"{value:.2f}",
        "rating": rating,
        "punctuality": punctuality,
        "done": done,
    }


# --- signals that are the same SQL from both sides --------------------------------------------------------


class _JsonNumber(Func):
    """``(<json literal>::jsonb ->> <key>)::float8``: a small lookup table inlined in the SQL."""

    template = "((%(expressions)s)::float8)"
    arg_joiner = "::jsonb ->> "
    output_field = FloatField()


def _band_table(index: int) -> Value:
    return Value(band_table_json(index))


def _engagement_value(accounts: QuerySet[SocialAccount]):
    """Value of the engagement signal for the largest account in ``accounts`` (one creator's accounts)."""
    er = _float(F("engagement_rate"))
    key = Func(F("platform"), Value(":"), F("tier"), function="concat", output_field=CharField())
    low, high = _JsonNumber(_band_table(0), key), _JsonNumber(_band_table(1), key)
    value = Case(
        When(engagement_rate__isnull=True, then=_v(0)),
        When(tier__isnull=True, then=_v(UNKNOWN)),
        # below the band: 0.5 × er / low; in the band: 0.5 → 1 linearly; above it: 1
        When(engagement_rate__lt=low, then=_v(0.5) * er / low),
        default=Least(_v(1), _v(0.5) + _v(0.5) * (er - low) / NullIf(high - low, _v(0))),
        output_field=_F,
    )
    # The largest account, as creators.services.creator_recompute_audience() picks it.
    largest = accounts.filter(followers__isnull=False).order_by("-followers", "id").annotate(v=value).values("v")[:1]
    return Coalesce(Subquery(largest, output_field=_F), _v(0), output_field=_F)  # no account: 0


def _min_price(creator_ref) -> Subquery:
    return Subquery(RateCardEntry.objects.filter(creator_id=creator_ref).order_by("price").values("price")[:1])


def _rate_value(fee, price) -> Coalesce:
    # (PostgreSQL's LEAST skips NULLs, so the unknown case is settled before it.)
    return Least(Coalesce(_float(fee) / NullIf(_float(price), _v(0)), _v(UNKNOWN), output_field=_F), _v(1))


def _platform_mean(clock=None):
    """μ, the platform mean of the visible brand-side ratings (4.0 while there is none). Not correlated: PostgreSQL
    computes it once per use (an InitPlan each); the fast path computes it once per statement (``MEAN_SQL``)."""
    visible = visible_reviews(clock.now if clock else None).filter(side=ReviewSide.BRAND)
    return Coalesce(
        Subquery(visible.order_by().values("side").annotate(m=Avg("overall")).values("m")[:1], output_field=_F),
        _v(PRIOR_MEAN_WHEN_EMPTY),
        output_field=_F,
    )


class _Rep:
    """The querysets behind the reputation signal for one creator reference (a column or a constant); ``mean``
    replaces the expression of μ (the same value computed elsewhere in the statement)."""

    def __init__(self, creator_ref, mean=None, clock=None):
        visible = visible_reviews(clock.now if clock else None).filter(side=ReviewSide.BRAND)
        self.mine = visible.filter(application__creator_id=creator_ref).order_by()
        self.mean = _platform_mean() if mean is None else mean
        self.completed = _Count(
            Application.objects.filter(creator_id=creator_ref, status=ApplicationStatus.COMPLETED)
            .order_by()
            .values("id")
        )
        self.deliverables = Deliverable.objects.filter(
            application__creator_id=creator_ref, due_date__isnull=False
        ).order_by()
        drafted = Exists(Submission.objects.filter(deliverable_id=OuterRef("pk")))
        self.due = Q(drafted) | Q(due_date__lt=clock.today if clock else timezone.localdate())
        # "by the due date" is the due day itself in the site's time zone, as campaigns/reputation.py counts it
        self.on_time = Q(
            Exists(Submission.objects.filter(deliverable_id=OuterRef("pk"), created_at__date__lte=OuterRef("due_date")))
        )


def _rating_sum(visible: QuerySet[Review]) -> Coalesce:
    """The sum of one creator's visible ratings (0 with none): a correlated subquery over ``visible``."""
    return Coalesce(
        Subquery(
            visible.values("application__creator_id").annotate(s=Sum("overall")).values("s")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _reputation_facts(creator_ref, mean=None, clock=None) -> dict:
    """The numbers behind the reputation signal, shown in "why this match" (no query of their own: columns of the
    ranking query; PostgreSQL evaluates them for the rows of the page only, after the top-N sort)."""
    rep = _Rep(creator_ref, mean, clock)
    return {
        "rep_reviews": _Count(rep.mine.values("id")),
        "rep_rating_sum": _rating_sum(rep.mine),
        "rep_platform_mean": rep.mean,
        "rep_due": _Count(rep.deliverables.filter(rep.due).values("id")),
        "rep_on_time": _Count(rep.deliverables.filter(rep.on_time).values("id")),
        "rep_completed": rep.completed,
    }


# The formula's arithmetic, written once: the reference formula applies it to aggregates over the creator's rows
# (correlated subqueries), the fast path to the columns of the match-features row; the same SQL operators in the
# same order, so the same floats.


def _bayes(total, count, mean):
    """R = (m × μ + Σ ratings) / (m + n) (NULL when ``count`` is: no rating)."""
    m = _v(PRIOR_REVIEWS)
    return (m * mean + _float(total)) / (m + _float(count))


def _on_time_share(on_time, due):
    """On-time drafts / deliverables due (NULL when none was due)."""
    return _float(on_time) / NullIf(_float(due), _v(0))


def _reputation_of(rating, share, completed, mean):
    """½ × (R − 1)/4 + ¼ × on_time + ¼ × min(completed, 5)/5: R = μ with no rating, on_time = 0.5 with none due."""
    bayes = Coalesce(rating, mean, output_field=_F)
    on_time = Coalesce(share, _v(UNKNOWN), output_field=_F)
    track = Least(_v(1), _float(completed) / _v(REPUTATION_FULL_AT))
    return _v(0.5) * (bayes - _v(1)) / _v(4) + _v(0.25) * on_time + _v(0.25) * track


def _reputation_value(creator_ref, mean=None, clock=None):
    """½ × (R − 1)/4 + ¼ × on_time + ¼ × min(completed, 5)/5 with R the Bayesian average (module docstring).

    Part of the sort key, so evaluated for every eligible creator: three correlated subqueries (R from one
    aggregate over the creator's visible ratings, the on-time share from one aggregate over their deliverables,
    the completed count), not the six display columns of ``_reputation_facts``."""
    rep = _Rep(creator_ref, mean, clock)
    ratings = (
        rep.mine.values("application__creator_id")
        .annotate(r=_bayes(Sum("overall"), Count("id"), rep.mean))
        .values("r")[:1]
    )
    shares = (
        rep.deliverables.values("application__creator_id")
        .annotate(f=_on_time_share(Count("id", filter=rep.on_time), Count("id", filter=rep.due)))
        .values("f")[:1]
    )
    return _reputation_of(
        Subquery(ratings, output_field=_F), Subquery(shares, output_field=_F), rep.completed, rep.mean
    )


def _score(annotations: dict) -> object:
    total = None
    for name, weight in WEIGHTS.items():
        term = _v(weight) * annotations[f"match_{name}"]
        total = term if total is None else total + term
    return total


# --- creators for a campaign ----------------------------------------------------------------------------


# The followers-weighted share of a creator's known audience in a list of countries (the audience term above).
# {creator}: the creator's id column; {countries}: an array of upper-case codes; {platform_filter}: more WHERE.
_AUDIENCE_SHARE_SQL = """(
    SELECT SUM(a.followers * (
        SELECT COALESCE(SUM(e.value::float8), 0) FROM jsonb_each_text(d.countries) e
        WHERE e.key = ANY({countries})
    )) / 100.0 / NULLIF(SUM(a.followers), 0)
    FROM creators_socialaccount a JOIN creators_audiencedemographics d ON d.account_id = a.id
    WHERE a.creator_id = {creator} AND a.followers > 0 AND d.countries <> '{{}}'::jsonb{platform_filter}
)"""


def _audience_share(campaign: Campaign, creator: str = '"creators_creator"."id"') -> RawSQL:
    """The followers-weighted share of the creator's known audience (``creator``: their id column) in the brief's
    countries, on the brief's platforms (NULL when none is known)."""
    platforms = sorted(set(campaign.platforms))
    sql = _AUDIENCE_SHARE_SQL.format(
        creator=creator,
        countries="%s::text[]",
        platform_filter=" AND a.platform = ANY(%s::text[])" if platforms else "",
    )
    params = [list(campaign.countries)] + ([platforms] if platforms else [])
    return RawSQL(sql, params, output_field=_F)


def _audience_country(campaign: Campaign, fallback, share=None):
    """The country half of ``audience`` for ``recommended_creators`` (the brief fixed, creators vary): the known
    audience's share (``share``, else the creator's own looked up), else ``fallback`` (the creator's own country)."""
    return Coalesce(_audience_share(campaign) if share is None else share, fallback, output_field=_F)


def eligible_creators(*, campaign: Campaign) -> QuerySet[Creator]:
    """Approved creators who meet the brief's hard requirements (the SQL twin of eligibility())."""
    qs = Creator.objects.filter(status=VettingStatus.APPROVED)
    if campaign.target_tiers:
        qs = qs.filter(tier__in=campaign.target_tiers)
    if campaign.platforms:
        qs = qs.filter(Exists(SocialAccount.objects.filter(creator_id=OuterRef("pk"), platform__in=campaign.platforms)))
    if campaign.min_followers:
        qs = qs.filter(followers__gte=campaign.min_followers)
    if campaign.min_engagement_rate is not None:
        qs = qs.filter(engagement_rate__gte=campaign.min_engagement_rate)
    if campaign.countries:
        qs = qs.filter(country__in=campaign.countries)
    if campaign.languages:
        qs = qs.filter(languages__overlap=campaign.languages)
    return qs


def _brief_signals(campaign: Campaign, *, shared_niches, platforms_had, country, price) -> dict:
    """The signals that depend on the brief (niche, platform, tier, audience, rate) for creators that vary, from
    the creator's inputs: ``shared_niches(ids)`` and ``platforms_had(platforms)`` count the brief's niches and
    platforms the creator has, ``country(own)`` is the country half (``own``: the creator's own country in the
    brief's), ``price`` the lowest rate-card price. ``tier``, ``country`` and ``languages`` are read as columns of
    the queryset's model (a creator, or their match-features row: the same names)."""
    niche_ids = {n.pk for n in campaign.niches.all()}
    niche = _float(shared_niches(sorted(niche_ids))) / _v(len(niche_ids)) if niche_ids else _v(1)

    platforms = sorted(set(campaign.platforms))
    platform = _float(platforms_had(platforms)) / _v(len(platforms)) if platforms else _v(1)

    if campaign.target_tiers:
        tier = Case(When(tier__in=campaign.target_tiers, then=_v(1)), default=_v(0), output_field=_F)
    else:
        tier = Case(When(tier__isnull=True, then=_v(UNKNOWN)), default=_v(1), output_field=_F)

    if campaign.countries:
        own = Case(When(country__in=campaign.countries, then=_v(1)), default=_v(0), output_field=_F)
        country_value = country(own)
    else:
        country_value = _v(1)
    languages = sorted(set(campaign.languages))
    if languages:
        spoken = sum(
            (
                Case(When(languages__contains=[lang], then=_v(1)), default=_v(0), output_field=_F)
                for lang in languages[1:]
            ),
            Case(When(languages__contains=[languages[0]], then=_v(1)), default=_v(0), output_field=_F),
        )
        language = spoken / _v(len(languages))
    else:
        language = _v(1)

    fee = campaign.fee_per_creator if campaign.pays_fee else None
    return {
        "match_niche": niche,
        "match_platform": platform,
        "match_tier": tier,
        "match_audience": _v(0.5) * country_value + _v(0.5) * language,
        "match_rate": _rate_value(_v(fee), price) if fee is not None else _v(UNKNOWN),
    }


def _creator_signals(campaign: Campaign, mean=None, clock=None) -> dict:
    """The formula's signals over a creator's own rows (correlated subqueries): the reference."""
    me = OuterRef("pk")

    def shared_niches(ids):
        return _Count(Creator.niches.through.objects.filter(creator_id=me, niche_id__in=ids).order_by().values("id"))

    def platforms_had(platforms):
        accounts = SocialAccount.objects.filter(creator_id=me, platform__in=platforms)
        return _Count(accounts.order_by().values("platform").distinct())

    brief = _brief_signals(
        campaign,
        shared_niches=shared_niches,
        platforms_had=platforms_had,
        country=lambda own: _audience_country(campaign, own),
        price=_min_price(me),
    )
    return {
        **_reputation_facts(me, mean, clock),
        **brief,
        "match_engagement": _engagement_value(SocialAccount.objects.filter(creator_id=me)),
        "match_reputation": _reputation_value(me, mean, clock),
    }


class _Hits(Func):
    """How many of ``values`` the array column holds: ``(CASE WHEN col @> '{v}' THEN 1 ELSE 0 END) + ...``."""

    output_field = IntegerField()

    def __init__(self, column: str, values: list):
        cases = [Case(When(**{f"{column}__contains": [v]}, then=Value(1)), default=Value(0)) for v in values]
        super().__init__(*cases, template="(%(expressions)s)", arg_joiner=" + ")


def _features_live(campaign: Campaign, mean, clock) -> dict:
    """What the match-features row cannot hold, read from the creator's own rows only where the row says it may
    differ: visible ratings (``reviews_blind``: a blind review's window may have closed), deliverables due
    (``pending``: one may have fallen due) and the audience's country share (``audience_known``); and μ. The
    columns ``live_*`` beside the row's (``_scored_sql``)."""
    me = OuterRef("creator_id")
    rep = _Rep(me, mean, clock)
    blind = Q(reviews_blind__gt=0)
    live = {
        "live_reviews": Case(
            When(blind, then=_Count(rep.mine.values("id"))), default=F("reviews"), output_field=IntegerField()
        ),
        "live_total": Case(
            When(blind, then=_rating_sum(rep.mine)), default=F("rating_sum"), output_field=IntegerField()
        ),
        "live_due": Case(
            When(pending__gt=0, then=_Count(rep.deliverables.filter(rep.due).values("id"))),
            default=F("drafted"),
            output_field=IntegerField(),
        ),
        "live_mean": rep.mean,
    }
    if campaign.countries:
        share = _audience_share(campaign, creator=f'"{MatchFeatures._meta.db_table}"."creator_id"')
        live["live_share"] = Case(When(audience_known=True, then=share), default=None, output_field=_F)
    return live


def _features_signals(campaign: Campaign) -> dict:
    """The formula's signals over the match-features row and its ``live_*`` columns (``_features_live``): the
    formula's inputs are columns of the row, and the arithmetic is the reference's (``_brief_signals``,
    ``_reputation_of``)."""
    table = MatchFeatures._meta.db_table

    def col(name: str, field=None) -> RawSQL:
        return RawSQL(f'"{table}"."{name}"', [], output_field=field or IntegerField())

    reviews, total, due, mean = col("live_reviews"), col("live_total"), col("live_due"), col("live_mean", _F)
    brief = _brief_signals(
        campaign,
        shared_niches=lambda ids: _Hits("niche_ids", ids),
        platforms_had=lambda platforms: _Hits("platforms", platforms),
        country=lambda own: _audience_country(campaign, own, share=col("live_share", _F)),
        price=F("min_price"),
    )
    rating = _bayes(total, NullIf(reviews, Value(0)), mean)
    return {
        "rep_reviews": reviews,
        "rep_rating_sum": total,
        "rep_platform_mean": mean,
        "rep_due": due,
        "rep_on_time": F("on_time"),
        "rep_completed": F("completed"),
        **brief,
        "match_engagement": F("engagement"),
        "match_reputation": _reputation_of(rating, _on_time_share(F("on_time"), due), F("completed"), mean),
    }


def recommended_creators_queryset(*, campaign: Campaign, mean=None, clock: _Clock | None = None) -> QuerySet[Creator]:
    """Every eligible creator without an application to ``campaign``, scored, best first (unsliced). ``mean``: an
    expression standing for μ (the fast path's one computation of it), else μ's own subquery; ``clock``:
    expressions standing for now and today (the fast path's statement parameters), else the current ones."""
    signals = _creator_signals(campaign, mean, clock)
    applied = Application.objects.filter(campaign_id=campaign.pk, creator_id=OuterRef("pk"))
    return (
        eligible_creators(campaign=campaign)
        .filter(~Exists(applied))
        .annotate(**signals)
        .annotate(match_score=_score({k: F(k) for k in signals}))
        .order_by("-match_score", "-id")
    )


def recommended_creators(*, campaign: Campaign, limit: int = 24, after: tuple[float, int] | None = None):
    """The ``limit`` best-matching creators for ``campaign``; ``after`` = (score, id) of the last row seen.

    The same rows, scores and order as ``recommended_creators_queryset``, in one statement that scores only the
    creators who can reach the page (see ``_reachable_sql``), from their match-features rows (``_scored_sql``: the
    formula's arithmetic over the row's columns, the creator's own rows read only for what time alone changes),
    and computes the platform mean μ once. A raw queryset of ``Creator`` rows with the formula's annotations as
    attributes (``prefetch_related`` works on it)."""
    scored, s_params = _scored_sql(campaign, after is not None)

    def statement(only: str | None) -> tuple[str, list]:
        ctes, c_params, keep, k_params, stage = _reachable_parts(campaign, limit=limit, after=after, only=only)
        # "= ANY(ARRAY(...))" in the scored statement: PostgreSQL builds the kept ids once and fetches those rows
        # by primary key; with "IN" it guesses thousands of ids and hash-joins them against the whole table.
        sql = (
            f"WITH {ctes}, {_IDS} AS MATERIALIZED ({keep}) SELECT c.*, s.*, {stage} AS match_stage FROM ({scored}) s "
            f"JOIN {Creator._meta.db_table} c ON c.id = s.creator_id "
            f"ORDER BY s.match_score DESC, c.id DESC LIMIT {int(limit)}"
        )
        return sql, [*c_params, *k_params, *s_params]

    key = (_brief_key(campaign), after is not None)
    learned = _stage_learned(key)
    sql, params = statement(learned)
    ranked = _Ranked(sql, model=Creator, params=params)
    ranked.stage_key, ranked.limit = key, int(limit)
    ranked.fallback = (lambda: statement(None)) if learned else None
    return ranked


# The pool that gave a brief's page is remembered (per process, for STAGE_TTL seconds, then found again: the data
# may have changed), and the brief's next statements hold that stage alone: no window read in vain by a narrow
# brief (~3 ms at 100k), no "every niche" pool read before the "any niche" one that gives the page, and none of the
# later stages to plan. Such a statement gives the page, or no row at all when its stage no longer finds the pool
# (a full page needs its stage's λ, and every creator it keeps is eligible): then the full statement runs. Only
# the time depends on it: every stage gives the same page.
STAGE_TTL = 600.0
_STAGES: OrderedDict[tuple, tuple[str, float]] = OrderedDict()  # (brief key, after?) -> (stage, time.monotonic())
_STAGES_MAX = 1024
_LEARNED = ("window", "every", "any")  # not "all": its pool is narrowed by the earlier stages' λ


def _stage_learned(key: tuple) -> str | None:
    with _COMPILED_LOCK:
        found = _STAGES.get(key)
        if found is not None and time.monotonic() - found[1] > STAGE_TTL:
            del _STAGES[key]
            found = None
        return found[0] if found else None


def _stage_learn(key: tuple, stage: str | None) -> None:
    with _COMPILED_LOCK:
        if stage not in _LEARNED:
            _STAGES.pop(key, None)
            return
        _STAGES[key] = (stage, time.monotonic())
        _STAGES.move_to_end(key)
        while len(_STAGES) > _STAGES_MAX:
            _STAGES.popitem(last=False)


class _Ranked(RawQuerySet):
    """The recommendations' raw queryset. A statement of one learned stage that gives fewer than ``limit`` rows
    (its stage found no pool) is replaced by the full statement; the full statement's rows tell which stage gave
    the page, which is remembered."""

    stage_key: tuple | None = None
    limit = 0
    fallback = None  # () -> the full statement's (sql, params), when this one holds a learned stage alone

    def _fetch_all(self):
        if self._result_cache is None and self.stage_key is not None:
            rows = list(self.iterator())
            if self.fallback is None or len(rows) < self.limit:  # the full statement ran, or must run now
                if self.fallback is not None:
                    sql, params = self.fallback()
                    rows = list(RawQuerySet(sql, model=self.model, params=params, using=self._db).iterator())
                _stage_learn(self.stage_key, rows[0].match_stage if rows else None)
            self._result_cache = rows
        super()._fetch_all()

    def _clone(self):
        clone = super()._clone()
        clone.stage_key, clone.limit, clone.fallback = self.stage_key, self.limit, self.fallback
        return clone


def _after(after: tuple[float, int] | tuple[Expression, Expression]) -> Q:
    score, pk = after
    return Q(match_score__lt=score) | Q(match_score=score, id__lt=pk)


@dataclass(frozen=True)
class _Clock:
    """Now and today as the formula reads them (visible reviews, deliverables due)."""

    now: object
    today: object


# --- only score who can reach the page (issue 13) ----------------------------------------------------------
#
# Every creator has a narrow row of match features (campaigns.models.MatchFeatures, kept current by
# campaigns.match_features). From it, column arithmetic gives for a brief an *upper* bound U and a *lower* bound L
# of each creator's score: the formula above term by term, exact except for what changes with time alone or
# depends on the brief's platforms (a blind review that may become visible, a deliverable that may fall due, the
# audience's country share), where the bounds take the extremes. For nearly every creator U = L = the score.
# The statement then
#
#   1. takes a pool of eligible creators and the ``limit``-th highest L among them, λ: at least ``limit`` creators
#      score λ or more, so the page's last row scores at least λ;
#   2. keeps the eligible creators whose U reaches λ (every creator on the page does): a few more than a page;
#   3. (the caller) scores those with the formula over their features rows (``_scored_sql``: what time alone
#      changes read from their own rows), orders by (score, id) and keeps ``limit``.
#
# So the rows and their order are the formula's by construction, the formula runs once per kept creator, and
# the bounds only have to hold (the rows must be current: every write of a fact rewrites the creator's row).
# Each pool's λ is the best of its own and the earlier pools' (any valid λ is a lower bound, so the highest is
# too). The pools, in order:
#
#   * the window: the SEED_WINDOW creators with the highest stored bound (``static_bound``: engagement and
#     reputation points, the most the creator can score beyond the brief's other terms) give λ; nobody whose stored
#     bound is below λ minus the most those other terms can add can reach it, so when that range of the index is
#     short (its RANGE_MAX-th entry is below, read from the index alone) the eligible creators in the range are
#     the pool (a broad brief);
#   * else the eligible creators with every niche of the brief, then those sharing one (the GIN index on country
#     and niches): enough when λ is above what a creator missing a niche (sharing none) can score; a brief naming
#     countries and niches starts here and has no window (its last step reads the countries through the index);
#   * else every eligible creator, narrowed by the stored bound.
#
# With ``after`` = (score, id) of the last row seen, the pool counts only creators surely after it (U below its
# score) and the kept ones exclude those surely before it (L above its score).

SEED_WINDOW = 1_000  # creators with the highest stored bound read first (a broad brief finds its page among them;
# at 1M a narrow one finds a few and goes to the filters' indexes: the walk is what it wastes)
RANGE_MAX = 4_000  # the most rows of the stored bound's index read past the window before the filters' indexes
_EPS = 1e-9  # float sums in another order differ in the last bits (~1e-14 at 100)


def reputation_bound_sql(alias: str, mean: str) -> str:
    """SQL for an upper bound of the reputation signal (0..1) of the features row ``alias`` when the platform
    mean is ``mean`` (an SQL expression): exact unless a blind review or an undrafted deliverable is waiting."""
    m = PRIOR_REVIEWS
    rating = (
        f"(CASE WHEN {alias}.reviews_blind > 0 THEN 5::float8 "
        f"ELSE ({m} * ({mean})::float8 + {alias}.rating_sum) / ({m} + {alias}.reviews) END)"
    )
    on_time = (
        f"(CASE WHEN {alias}.drafted > 0 THEN {alias}.on_time::float8 / {alias}.drafted ELSE {UNKNOWN}::float8 END)"
    )
    track = f"LEAST(1::float8, {alias}.completed::float8 / {REPUTATION_FULL_AT})"
    return f"(0.5::float8 * ({rating} - 1) / 4 + 0.25::float8 * {on_time} + 0.25::float8 * {track})"


def reputation_lower_sql(alias: str, mean: str) -> str:
    """SQL for a lower bound of the same signal: the waiting blind reviews all visible at 1 star (a rating pulled
    toward 1 can only fall as more such reviews join it: the Bayesian average is at least 1) and every pending
    deliverable overdue without a draft (no deliverable due: the unknown 0.5; some, none on time: 0)."""
    m = PRIOR_REVIEWS
    rating = (
        f"(({m} * ({mean})::float8 + {alias}.rating_sum + {alias}.reviews_blind) "
        f"/ ({m} + {alias}.reviews + {alias}.reviews_blind))"
    )
    due = f"({alias}.drafted + {alias}.pending)"
    on_time = f"(CASE WHEN {due} > 0 THEN {alias}.on_time::float8 / {due} ELSE {UNKNOWN}::float8 END)"
    track = f"LEAST(1::float8, {alias}.completed::float8 / {REPUTATION_FULL_AT})"
    return f"(0.5::float8 * ({rating} - 1) / 4 + 0.25::float8 * {on_time} + 0.25::float8 * {track})"


# float8 constants: the bounds are computed for thousands of rows, and numeric arithmetic is several times slower
_ONE, _ZERO, _HALF = "1::float8", "0::float8", f"{UNKNOWN}::float8"


def _share_sql(column: str, values: list, kind: str = "varchar") -> str:
    """|values ∩ column| / |values| for the array ``column`` of the features row; 1 when ``values`` is empty."""
    if not values:
        return _ONE
    hits = " + ".join(f"(CASE WHEN f.{column} @> %s::{kind}[] THEN 1 ELSE 0 END)" for _v in values)
    return f"(({hits})::float8 / {len(values)})"


def _bounds_sql(campaign: Campaign, *, lower: bool) -> tuple[str, list]:
    """The score's upper (or, ``lower``, lower) bound over the features row ``f`` as SQL, μ read from the CTE
    ``th``, and its params."""
    niche_ids = sorted({n.pk for n in campaign.niches.all()})
    platforms = sorted(set(campaign.platforms))
    languages = sorted(set(campaign.languages))
    fee = campaign.fee_per_creator if campaign.pays_fee else None
    terms, params = {}, []
    terms["niche"] = _share_sql("niche_ids", niche_ids, "int")
    params += [[n] for n in niche_ids]
    terms["platform"] = _share_sql("platforms", platforms)
    params += [[p] for p in platforms]
    if campaign.target_tiers:
        terms["tier"] = f"(CASE WHEN f.tier = ANY(%s::varchar[]) THEN {_ONE} ELSE {_ZERO} END)"
        params.append(list(campaign.target_tiers))
    else:
        terms["tier"] = f"(CASE WHEN f.tier IS NULL THEN {_HALF} ELSE {_ONE} END)"
    terms["engagement"] = "f.engagement"
    country = _ONE
    if campaign.countries:
        # The creator's own country, unless a known audience's share replaces it (anything from 0 to 1; an
        # eligible creator's own country is one of the brief's, so 1 bounds it from above).
        own = f"(CASE WHEN f.country = ANY(%s::varchar[]) THEN {_ONE} ELSE {_ZERO} END)"
        country = f"(CASE WHEN f.audience_known THEN {_ZERO} ELSE {own} END)" if lower else own
        params.append(list(campaign.countries))
    language = _share_sql("languages", languages)
    params += [[lang] for lang in languages]
    terms["audience"] = f"({_HALF} * {country} + {_HALF} * {language})"
    if fee is not None:
        terms["rate"] = f"LEAST(COALESCE(%s::float8 / NULLIF(f.min_price::float8, 0), {_HALF}), {_ONE})"
        params.append(float(fee))
    else:
        terms["rate"] = _HALF
    terms["reputation"] = (reputation_lower_sql if lower else reputation_bound_sql)("f", _MEAN)
    sql = " + ".join(f"{WEIGHTS[name]}::float8 * {terms[name]}" for name in WEIGHTS)
    return f"({sql})", params


def _others(campaign: Campaign) -> float:
    """The most the terms other than engagement and reputation (the stored bound's) can add for this brief."""
    fee = campaign.fee_per_creator if campaign.pays_fee else None
    return sum(WEIGHTS[n] for n in ("niche", "platform", "tier", "audience")) + WEIGHTS["rate"] * (
        1.0 if fee is not None else UNKNOWN
    )


def _bound_sql(campaign: Campaign) -> tuple[str, list, float]:
    """(the score's upper bound over the features row ``f``, its params, ``_others``): the benchmark's baseline
    ranks by it."""
    sql, params = _bounds_sql(campaign, lower=False)
    return sql, params, _others(campaign)


def _eligible_sql(campaign: Campaign) -> tuple[str, list]:
    """The hard requirements (eligible_creators) over the features row ``f``, and no application yet."""
    where, params = ["f.approved"], []
    if campaign.target_tiers:
        where.append("f.tier = ANY(%s)")
        params.append(list(campaign.target_tiers))
    if campaign.platforms:
        where.append("f.platforms && %s::varchar[]")
        params.append(list(campaign.platforms))
    if campaign.min_followers:
        where.append("f.followers >= %s")
        params.append(campaign.min_followers)
    if campaign.min_engagement_rate is not None:
        where.append("f.engagement_rate >= %s")
        params.append(campaign.min_engagement_rate)
    if campaign.countries:
        where.append("f.country = ANY(%s)")
        params.append(list(campaign.countries))
    if campaign.languages:
        where.append("f.languages && %s::varchar[]")
        params.append(list(campaign.languages))
    where.append(
        f"NOT EXISTS (SELECT 1 FROM {Application._meta.db_table} a WHERE a.campaign_id = %s "
        "AND a.creator_id = f.creator_id)"
    )
    params.append(campaign.pk)
    return " AND ".join(where), params


_IDS = "match_ids"  # the CTE of the kept creator ids the compiled formula scores
_MEAN = "(SELECT mu FROM th)"  # μ in the fast path's statement: the CTE ``th``, computed once


# The fast path's statement reads now, today and the cursor from its CTEs (``th``, ``match_after``), so the
# formula's SQL depends on the brief alone: it is compiled once per brief and process (~20 ms of Python each time).
_CLOCK = _Clock(
    now=RawSQL("(SELECT clock_now FROM th)", [], output_field=DateTimeField()),
    today=RawSQL("(SELECT clock_today FROM th)", [], output_field=DateField()),
)
_AFTER = (
    RawSQL("(SELECT s FROM match_after)", [], output_field=_F),
    RawSQL("(SELECT id FROM match_after)", [], output_field=IntegerField()),
)


def _brief_key(campaign: Campaign) -> tuple:
    """Everything of the brief that the formula's SQL is built from (recommended_creators_queryset): the key of
    its compiled SQL. A field the formula starts to read must be added here (tests/campaigns/test_match_features.py
    compiles changed briefs both ways)."""
    return (
        campaign.pk,
        tuple(campaign.target_tiers or ()),
        tuple(campaign.platforms or ()),
        campaign.min_followers,
        campaign.min_engagement_rate,
        tuple(campaign.countries or ()),
        tuple(campaign.languages or ()),
        tuple(n.pk for n in campaign.niches.all()),
        campaign.fee_per_creator if campaign.pays_fee else None,
    )


_COMPILED: OrderedDict[tuple, tuple[str, tuple]] = OrderedDict()  # brief key -> SQL, params (least recent first)
_COMPILED_MAX = 256
_COMPILED_LOCK = threading.Lock()


def _scored_sql(campaign: Campaign, after: bool) -> tuple[str, tuple]:
    """The formula over the match-features rows of the creators whose ids the CTE ``_IDS`` holds
    (``_features_signals``), after the cursor of the CTE ``match_after`` when ``after``: a SELECT of ``creator_id``
    and the annotations of ``recommended_creators_queryset``; μ, now and today read from the CTE ``th``."""
    key = (_brief_key(campaign), after)
    with _COMPILED_LOCK:  # threaded workers share the process's cache
        found = _COMPILED.get(key)
        if found is not None:
            _COMPILED.move_to_end(key)
            return found
    table = MatchFeatures._meta.db_table
    # The row and its live columns, computed once per kept creator ...
    live = _features_live(campaign, RawSQL(_MEAN, [], output_field=_F), _CLOCK)
    inner, inner_params = (
        MatchFeatures.objects.extra(where=[f'"{table}"."creator_id" = ANY(ARRAY(SELECT creator_id FROM {_IDS}))'])
        .annotate(**live)
        .order_by()
        .values(*(f.attname for f in MatchFeatures._meta.concrete_fields), *live)
        .query.sql_with_params()
    )
    # ... then the formula's arithmetic over them, in a query whose table is that derived table under the table's
    # name (the ORM writes the arithmetic; each live value is read once, not once per use).
    signals = _features_signals(campaign)
    qs = MatchFeatures.objects.annotate(**signals).annotate(match_score=_score({k: F(k) for k in signals}))
    if after:
        score, pk = _AFTER
        qs = qs.filter(Q(match_score__lt=score) | Q(match_score=score, creator_id__lt=pk))
    outer, outer_params = qs.order_by().values("creator_id", *signals, "match_score").query.sql_with_params()
    source = f' FROM "{table}"'
    assert outer.count(source) == 1, outer  # one FROM: the arithmetic reads no other table
    head, tail = outer.split(source)
    assert "%%" not in head  # so every "%s" in it is a param: the arithmetic's, before the derived table's
    before = head.count("%s")
    # (OFFSET 0: PostgreSQL would otherwise pull the derived table up into the query and copy the live columns'
    # subqueries into every use, planning each copy)
    sql = f'{head} FROM ({inner} OFFSET 0) "{table}"{tail}'
    params = [*outer_params[:before], *inner_params, *outer_params[before:]]
    found = (sql, tuple(params))
    with _COMPILED_LOCK:
        _COMPILED[key] = found
        while len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.popitem(last=False)
    return found


def _mean_cte() -> tuple[str, list]:
    """``th AS (SELECT μ AS mu, now, today)``: μ, the mean of the visible brand-side ratings (``_platform_mean``),
    from the published ones' running total (campaigns.models.RatingTotal, kept by a trigger) and the unpublished
    ones whose window has closed (counted now: time alone adds them), divided as AVG divides (numeric by
    numeric: the same value to the last digit); and the moment the formula reads (``_CLOCK``)."""
    now = timezone.now()
    # current_schema() is marked parallel-unsafe: the statement then runs without parallel workers, whose start
    # (5-8 ms) costs more than the few hundred index-chosen rows it reads (a branch whose one-time filter is false
    # still started them).
    return (
        "th AS MATERIALIZED (SELECT COALESCE((SELECT (p.total + c.total)::numeric / NULLIF(p.ratings + c.ratings, 0) "
        f"FROM (SELECT COALESCE(SUM(total), 0) AS total, COALESCE(SUM(ratings), 0) AS ratings FROM "
        f"{RatingTotal._meta.db_table}) p, (SELECT COALESCE(SUM(overall), 0) AS total, COUNT(*) AS ratings FROM "
        f"{Review._meta.db_table} WHERE side = %s AND hidden_at IS NULL AND published_at IS NULL AND "
        "window_closes_at <= %s) c), %s) AS mu, current_schema() AS serial, %s::timestamptz AS clock_now, "
        "%s::date AS clock_today)",
        [ReviewSide.BRAND.value, now, PRIOR_MEAN_WHEN_EMPTY, now, timezone.localdate(now)],
    )


def _reachable_sql(campaign: Campaign, *, limit: int, after: tuple[float, int] | None) -> tuple[str, list]:
    """``SELECT creator_id`` of every creator who can be among the ``limit`` best (after ``after``): one statement
    of its own (the fast path puts the same CTEs and SELECT in front of the page's scoring)."""
    ctes, c_params, keep, k_params, _stage = _reachable_parts(campaign, limit=limit, after=after)
    return f"WITH {ctes} {keep}", [*c_params, *k_params]


class _Sql:
    """SQL text and its params, built in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list = []

    def add(self, sql: str, params=()) -> _Sql:
        self.parts.append(sql)
        self.params += list(params)
        return self

    def __str__(self) -> str:
        return "".join(self.parts)


def _reachable_parts(
    campaign: Campaign, *, limit: int, after, only: str | None = None
) -> tuple[str, list, str, list, str]:
    """(the CTEs: μ, the pools and their λ; their params; the SELECT of the kept creator ids; its params; an SQL
    expression naming the stage whose pool gave the page: "window", "every", "any" or "all"). ``only``: that stage
    alone (no kept creator when its pool is not found)."""
    table = MatchFeatures._meta.db_table
    eligible, e_params = _eligible_sql(campaign)
    upper, u_params = _bounds_sql(campaign, lower=False)
    lower, l_params = _bounds_sql(campaign, lower=True)
    # A creator with nothing that time or the audience can change (nearly all) has L = U: L is computed only for
    # the others (each bound is an expression of ~20 terms, computed for up to thousands of rows).
    certain = "f.reviews_blind = 0 AND f.pending = 0" + (" AND NOT f.audience_known" if campaign.countries else "")

    def pool(source: str, where: str, params: list) -> tuple[str, list]:
        """creator_id, U and L of the rows of ``source`` (a table or CTE of features rows) that pass ``where``."""
        return (
            f"SELECT f.creator_id, f.ub, CASE WHEN {certain} THEN f.ub ELSE {lower} END AS lb "
            f"FROM (SELECT f.*, {upper} AS ub FROM {source} f WHERE {where} OFFSET 0) f",
            [*l_params, *u_params, *params],
        )

    others = _others(campaign)
    niche_ids = sorted({n.pk for n in campaign.niches.all()})
    # Only creators surely after the cursor count for λ (their U is below its score); the kept ones exclude those
    # surely before it (their L is above it).
    surely_after = f"p.ub < (SELECT s FROM match_after) - {_EPS}" if after is not None else "true"
    not_before = f" AND p.lb <= (SELECT s FROM match_after) + {_EPS}" if after is not None else ""

    def lam(pool: str) -> str:
        """λ of a pool (rows of creator_id, ub, lb) as a one-row SELECT of ``l`` and ``l_id``: the ``limit``-th
        (lower bound, id) in the page's order; both NULL when the pool is smaller than a page."""
        return (
            f"SELECT x.l, x.l_id FROM (SELECT 1) one LEFT JOIN (SELECT p.lb AS l, p.creator_id AS l_id FROM {pool} p "
            f"WHERE {surely_after} ORDER BY p.lb DESC, p.creator_id DESC OFFSET {int(limit) - 1} LIMIT 1) x ON true"
        )

    def best(*lams: str) -> str:
        """The highest of several λ (each a valid one, so the highest is too)."""
        union = " UNION ALL ".join(f"SELECT l, l_id FROM {name}" for name in lams)
        return f"SELECT l, l_id FROM ({union}) u ORDER BY l DESC NULLS LAST, l_id DESC LIMIT 1"

    def reaches(ub: str, pk: str) -> str:
        """U reaches λ = (x.l, x.l_id) in the page's order (score, then id; equal inputs give equal floats):
        the ``limit`` creators up to λ score at least their lower bounds, so the page's last row comes no later
        than λ. Every creator when λ is NULL."""
        return f"(x.l IS NULL OR ({ub} >= x.l - {_EPS} AND ({ub} > x.l + {_EPS} OR {pk} >= x.l_id)))"

    def kept(pool: str, lam_cte: str, ok: str) -> str:
        return (
            f"SELECT p.creator_id FROM {pool} p, {lam_cte} x "
            f"WHERE (SELECT ok FROM {ok}){not_before} AND {reaches('p.ub', 'p.creator_id')}"
        )

    mean_cte, mean_params = _mean_cte()
    ctes = _Sql().add(mean_cte, mean_params)
    if after is not None:
        ctes.add(
            ", match_after AS MATERIALIZED (SELECT %s::float8 AS s, %s::bigint AS id)", [float(after[0]), int(after[1])]
        )
    keep = _Sql()
    done: list[str] = []  # SQL flags: a stage before found the pool
    found: list[tuple[str, str]] = []  # (stage, SQL flag: its pool gave the page)
    lams: list[str] = []  # the best λ so far (a CTE name)

    def not_done() -> str:
        return " AND ".join(f"NOT {d}" for d in done) or "true"

    def window() -> None:
        """The top of the stored bound's index: its first SEED_WINDOW rows give λ; nobody whose stored bound is
        below λ minus the other terms' most can reach λ, so when that range of the index is short (RANGE_MAX
        rows) or the window holds every approved creator, the eligible creators in it are the pool."""
        gate = not_done()
        ctes.add(
            f", match_window AS MATERIALIZED (SELECT * FROM {table} w WHERE w.approved AND {gate} "
            f"ORDER BY w.static_bound DESC, w.creator_id DESC LIMIT {SEED_WINDOW})"
        )
        sql, params = pool("match_window", eligible, e_params)
        ctes.add(f", match_win AS MATERIALIZED ({sql})", params)
        ctes.add(f", match_win_own AS MATERIALIZED ({lam('match_win')})")
        ctes.add(f", match_win_l AS MATERIALIZED ({best(*lams, 'match_win_own')})")
        floor = f"(SELECT l FROM match_win_l) - {others} - {4 * _EPS}"  # the least stored bound that reaches λ
        # Whether that range is short: the index's RANGE_MAX-th entry is below it (read from the index alone).
        ctes.add(
            f", match_win_ok AS MATERIALIZED (SELECT whole, NOT whole AND {gate} AND l IS NOT NULL AND COALESCE(("
            f"SELECT w.static_bound FROM {table} w WHERE w.approved ORDER BY w.static_bound DESC, w.creator_id DESC "
            f"OFFSET {RANGE_MAX} LIMIT 1) < {floor}, true) AS ok FROM (SELECT {gate} AND (SELECT count(*) FROM "
            f"match_window) < {SEED_WINDOW} AS whole, (SELECT l FROM match_win_l) AS l) o)"
        )
        sql, params = pool(
            table,
            f"f.approved AND (SELECT ok FROM match_win_ok) AND f.static_bound >= {floor} AND {eligible}",
            e_params,
        )
        ctes.add(f", match_range AS MATERIALIZED ({sql})", params)
        keep.add(
            f"{' UNION ALL ' if keep.parts else ''}SELECT p.creator_id FROM match_win p, match_win_l x "
            f"WHERE (SELECT whole FROM match_win_ok){not_before} AND {reaches('p.ub', 'p.creator_id')}"
        )
        keep.add(f" UNION ALL {kept('match_range', 'match_win_l', 'match_win_ok')}")
        done.append("(SELECT whole OR ok FROM match_win_ok)")
        found.append(("window", "(SELECT ok FROM match_win_ok)"))  # (whole: the window held every creator)
        lams[:] = ["match_win_l"]

    def niches(name: str, where: str, enough: str) -> None:
        """The eligible creators with every niche of the brief, or sharing one (GIN): enough when λ is above what
        a creator missing a niche (sharing none) can score."""
        gate = not_done()
        sql, params = pool(table, f"{eligible}{where} AND {gate}", [*e_params, niche_ids])
        ctes.add(f", match_{name} AS MATERIALIZED ({sql})", params)
        ctes.add(f", match_{name}_own AS MATERIALIZED ({lam(f'match_{name}')})")
        ctes.add(f", match_{name}_l AS MATERIALIZED ({best(*lams, f'match_{name}_own')})")
        ctes.add(
            f", match_{name}_ok AS MATERIALIZED (SELECT COALESCE({gate} AND {enough}, false) AS ok "
            f"FROM match_{name}_l x)"
        )
        keep.add(f"{' UNION ALL ' if keep.parts else ''}{kept(f'match_{name}', f'match_{name}_l', f'match_{name}_ok')}")
        done.append(f"(SELECT ok FROM match_{name}_ok)")
        found.append((name, f"(SELECT ok FROM match_{name}_ok)"))
        lams[:] = [f"match_{name}_l"]

    stages: list[tuple[str, object]] = []
    if niche_ids:
        static_most = WEIGHTS["engagement"] + WEIGHTS["reputation"]
        most_without_any = others - WEIGHTS["niche"] + static_most
        most_without = most_without_any + WEIGHTS["niche"] * (len(niche_ids) - 1) / len(niche_ids)
        stages.append(
            ("every", lambda: niches("every", " AND f.niche_ids @> %s::int[]", f"x.l > {most_without} + {4 * _EPS}"))
        )
        if len(niche_ids) > 1:
            enough = f"x.l > {most_without_any} + {4 * _EPS}"
            stages.append(("any", lambda: niches("any", " AND f.niche_ids && %s::int[]", enough)))
    # A brief naming countries and niches: the GIN index on both finds its few creators (and the last step reads
    # the countries' creators through it); else the window first (a broad brief's page is at the top of the
    # stored bound).
    if not (campaign.countries and niche_ids):
        stages.insert(0, ("window", window))
    if only is not None and any(name == only for name, _stage in stages):
        for name, stage in stages:
            if name == only:
                stage()
        return str(ctes), ctes.params, str(keep), keep.params, f"'{only}'"
    for _name, stage in stages:
        stage()
    # Else every eligible creator whose U reaches the best λ found, narrowed by the stored bound.
    ctes.add(f", match_all_l AS MATERIALIZED ({best(*lams)})")
    keep.add(f" UNION ALL SELECT f.creator_id FROM match_all_l x, {table} f WHERE {eligible}", e_params)
    keep.add(
        f" AND {not_done()} AND (x.l IS NULL OR f.static_bound >= x.l - {others} - {4 * _EPS}) "
        f"AND {reaches(upper, 'f.creator_id')}",
        [*u_params, *u_params],
    )
    if after is not None:
        keep.add(not_before.replace("p.lb", lower), l_params)
    stage = "CASE " + "".join(f"WHEN {flag} THEN '{name}' " for name, flag in found) + "ELSE 'all' END"
    return str(ctes), ctes.params, str(keep), keep.params, stage


def _platform_mean_sql() -> tuple[str, list]:
    visible = visible_reviews().filter(side=ReviewSide.BRAND).order_by()
    return visible.values("side").annotate(m=Avg("overall", output_field=_F)).values("m").query.sql_with_params()


# --- campaigns for a creator ----------------------------------------------------------------------------


def campaigns_for_creator_queryset(*, creator: Creator) -> QuerySet[Campaign]:
    """Open campaigns (before their deadline) that ``creator`` is eligible for and has not applied to, scored."""
    accounts = list(creator.accounts.all())  # prefetched by selectors.creator_with_accounts
    my_platforms = sorted({a.platform for a in accounts})
    my_niches = Creator.niches.through.objects.filter(creator_id=creator.pk).values("niche_id")
    langs = sorted(set(creator.languages or []))
    me = creator.pk

    qs = Campaign.objects.filter(status=CampaignStatus.OPEN, application_deadline__gte=timezone.localdate())
    # The hard requirements, seen from the creator (the same checks as eligibility()).
    qs = qs.filter(
        Q(target_tiers=[]) | Q(target_tiers__contains=[creator.tier]) if creator.tier else Q(target_tiers=[])
    )
    qs = qs.filter(Q(platforms=[]) | Q(platforms__overlap=my_platforms) if my_platforms else Q(platforms=[]))
    qs = qs.filter(min_followers__lte=creator.followers or 0)
    er = creator.engagement_rate
    qs = qs.filter(
        Q(min_engagement_rate__isnull=True) | Q(min_engagement_rate__lte=er)
        if er is not None
        else Q(min_engagement_rate__isnull=True)
    )
    qs = qs.filter(Q(countries=[]) | Q(countries__contains=[creator.country]) if creator.country else Q(countries=[]))
    qs = qs.filter(Q(languages=[]) | Q(languages__overlap=langs) if langs else Q(languages=[]))
    qs = qs.filter(~Exists(Application.objects.filter(campaign_id=OuterRef("pk"), creator_id=me)))

    through = Campaign.niches.through
    n_niches = _Count(through.objects.filter(campaign_id=OuterRef("pk")).order_by().values("id"))
    shared = _Count(through.objects.filter(campaign_id=OuterRef("pk"), niche_id__in=my_niches).order_by().values("id"))
    niche = Coalesce(_float(shared) / NullIf(_float(n_niches), _v(0)), _v(1), output_field=_F)

    def share_of_array(field: str, mine: list[str]):
        """|mine ∩ campaign.<field>| / |campaign.<field>|, 1 when the campaign's array is empty."""
        if mine:
            hits = sum(
                (
                    Case(When(**{f"{field}__contains": [x]}, then=_v(1)), default=_v(0), output_field=_F)
                    for x in mine[1:]
                ),
                Case(When(**{f"{field}__contains": [mine[0]]}, then=_v(1)), default=_v(0), output_field=_F),
            )
        else:
            hits = _v(0)
        return Coalesce(hits / NullIf(_float(_Cardinality(F(field))), _v(0)), _v(1), output_field=_F)

    if creator.tier:
        tier = Case(
            When(target_tiers=[], then=_v(1)),
            When(target_tiers__contains=[creator.tier], then=_v(1)),
            default=_v(0),
            output_field=_F,
        )
    else:
        tier = Case(When(target_tiers=[], then=_v(UNKNOWN)), default=_v(0), output_field=_F)

    own = Case(
        *([When(countries__contains=[creator.country], then=_v(1))] if creator.country else []),
        default=_v(0),
        output_field=_F,
    )
    country = Case(
        When(countries=[], then=_v(1)),
        default=Coalesce(_audience_country_of(creator), own, output_field=_F),
        output_field=_F,
    )

    fee = Case(
        When(
            compensation_type__in=[CompensationType.FEE, CompensationType.MIX],
            fee_per_creator__gt=0,
            then=F("fee_per_creator"),
        ),
        default=None,
    )

    facts = _reputation_facts(me)
    signals = {
        **facts,
        "match_niche": niche,
        "match_platform": share_of_array("platforms", my_platforms),
        "match_tier": tier,
        "match_engagement": _engagement_value(SocialAccount.objects.filter(creator_id=me)),
        "match_audience": _v(0.5) * country + _v(0.5) * share_of_array("languages", langs),
        "match_rate": _rate_value(fee, _min_price(me)),
        "match_reputation": _reputation_value(me),
    }
    return (
        qs.select_related("brand")
        .annotate(**signals)
        .annotate(match_score=_score({k: F(k) for k in signals}))
        .order_by("-match_score", "-id")
    )


def _audience_country_of(creator: Creator):
    """The country half of ``audience`` for ``campaigns_for_creator`` (the creator fixed, briefs vary): the same
    SQL as ``_audience_country``, over the creator's accounts, with each brief's countries and platforms."""
    sql = _AUDIENCE_SHARE_SQL.format(
        creator="%s",
        countries='"campaigns_campaign"."countries"::text[]',
        platform_filter=(
            ' AND (cardinality("campaigns_campaign"."platforms") = 0'
            ' OR a.platform = ANY("campaigns_campaign"."platforms"::text[]))'
        ),
    )
    return RawSQL(sql, [creator.pk], output_field=_F)


def campaigns_for_creator(*, creator: Creator, limit: int = 24) -> QuerySet[Campaign]:
    return campaigns_for_creator_queryset(creator=creator)[:limit]
