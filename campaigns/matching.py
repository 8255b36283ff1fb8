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

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
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


def _platform_mean():
    """μ, the platform mean of the visible brand-side ratings (4.0 while there is none). Not correlated: PostgreSQL
    computes it once per use (an InitPlan each); the fast path computes it once per statement (``MEAN_SQL``)."""
    visible = visible_reviews().filter(side=ReviewSide.BRAND)
    return Coalesce(
        Subquery(visible.order_by().values("side").annotate(m=Avg("overall")).values("m")[:1], output_field=_F),
        _v(PRIOR_MEAN_WHEN_EMPTY),
        output_field=_F,
    )


class _Rep:
    """The querysets behind the reputation signal for one creator reference (a column or a constant); ``mean``
    replaces the expression of μ (the same value computed elsewhere in the statement)."""

    def __init__(self, creator_ref, mean=None):
        visible = visible_reviews().filter(side=ReviewSide.BRAND)
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
        self.due = Q(drafted) | Q(due_date__lt=timezone.localdate())
        # "by the due date" is the due day itself in the site's time zone, as campaigns/reputation.py counts it
        self.on_time = Q(
            Exists(Submission.objects.filter(deliverable_id=OuterRef("pk"), created_at__date__lte=OuterRef("due_date")))
        )


def _reputation_facts(creator_ref, mean=None) -> dict:
    """The numbers behind the reputation signal, shown in "why this match" (no query of their own: columns of the
    ranking query; PostgreSQL evaluates them for the rows of the page only, after the top-N sort)."""
    rep = _Rep(creator_ref, mean)
    return {
        "rep_reviews": _Count(rep.mine.values("id")),
        "rep_rating_sum": Coalesce(
            Subquery(
                rep.mine.values("application__creator_id").annotate(s=Sum("overall")).values("s")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        "rep_platform_mean": rep.mean,
        "rep_due": _Count(rep.deliverables.filter(rep.due).values("id")),
        "rep_on_time": _Count(rep.deliverables.filter(rep.on_time).values("id")),
        "rep_completed": rep.completed,
    }


def _reputation_value(creator_ref, mean=None):
    """½ × (R − 1)/4 + ¼ × on_time + ¼ × min(completed, 5)/5 with R the Bayesian average (module docstring).

    Part of the sort key, so evaluated for every eligible creator: three correlated subqueries (R from one
    aggregate over the creator's visible ratings, the on-time share from one aggregate over their deliverables,
    the completed count), not the six display columns of ``_reputation_facts``."""
    rep = _Rep(creator_ref, mean)
    m = _v(PRIOR_REVIEWS)
    ratings = (
        rep.mine.values("application__creator_id")
        .annotate(r=(m * rep.mean + _float(Sum("overall"))) / (m + _float(Count("id"))))
        .values("r")[:1]
    )
    bayes = Coalesce(Subquery(ratings, output_field=_F), rep.mean, output_field=_F)  # no rating: R = μ
    shares = (
        rep.deliverables.values("application__creator_id")
        .annotate(f=_float(Count("id", filter=rep.on_time)) / NullIf(_float(Count("id", filter=rep.due)), _v(0)))
        .values("f")[:1]
    )
    on_time = Coalesce(Subquery(shares, output_field=_F), _v(UNKNOWN), output_field=_F)
    track = Least(_v(1), _float(rep.completed) / _v(REPUTATION_FULL_AT))
    return _v(0.5) * (bayes - _v(1)) / _v(4) + _v(0.25) * on_time + _v(0.25) * track


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


def _audience_country(campaign: Campaign, fallback):
    """The country half of ``audience`` for ``recommended_creators`` (the brief fixed, creators vary)."""
    platforms = sorted(set(campaign.platforms))
    sql = _AUDIENCE_SHARE_SQL.format(
        creator='"creators_creator"."id"',
        countries="%s::text[]",
        platform_filter=" AND a.platform = ANY(%s::text[])" if platforms else "",
    )
    params = [list(campaign.countries)] + ([platforms] if platforms else [])
    return Coalesce(RawSQL(sql, params, output_field=_F), fallback, output_field=_F)


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


def _creator_signals(campaign: Campaign, mean=None) -> dict:
    me = OuterRef("pk")
    niche_ids = [n.pk for n in campaign.niches.all()]
    if niche_ids:
        mine = Creator.niches.through.objects.filter(creator_id=me, niche_id__in=niche_ids)
        shared = _Count(mine.order_by().values("id"))
        niche = _float(shared) / _v(len(set(niche_ids)))
    else:
        niche = _v(1)

    platforms = sorted(set(campaign.platforms))
    if platforms:
        accounts = SocialAccount.objects.filter(creator_id=me, platform__in=platforms)
        has = _Count(accounts.order_by().values("platform").distinct())
        platform = _float(has) / _v(len(platforms))
    else:
        platform = _v(1)

    if campaign.target_tiers:
        tier = Case(When(tier__in=campaign.target_tiers, then=_v(1)), default=_v(0), output_field=_F)
    else:
        tier = Case(When(tier__isnull=True, then=_v(UNKNOWN)), default=_v(1), output_field=_F)

    if campaign.countries:
        own = Case(When(country__in=campaign.countries, then=_v(1)), default=_v(0), output_field=_F)
        country = _audience_country(campaign, own)
    else:
        country = _v(1)
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
    rate = _rate_value(_v(fee), _min_price(me)) if fee is not None else _v(UNKNOWN)

    facts = _reputation_facts(me, mean)
    return {
        **facts,
        "match_niche": niche,
        "match_platform": platform,
        "match_tier": tier,
        "match_engagement": _engagement_value(SocialAccount.objects.filter(creator_id=me)),
        "match_audience": _v(0.5) * country + _v(0.5) * language,
        "match_rate": rate,
        "match_reputation": _reputation_value(me, mean),
    }


def recommended_creators_queryset(*, campaign: Campaign, mean=None) -> QuerySet[Creator]:
    """Every eligible creator without an application to ``campaign``, scored, best first (unsliced). ``mean``: an
    expression standing for μ (the fast path's one computation of it), else μ's own subquery."""
    signals = _creator_signals(campaign, mean)
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

    The same rows in the same order as ``recommended_creators_queryset`` (the formula above scores every row
    that is returned, with the same expressions), in one statement that scores only the creators who can reach
    the page (see ``_reachable_sql``) and computes the platform mean μ once. A raw queryset of ``Creator`` rows
    with the formula's annotations as attributes (``prefetch_related`` works on it)."""
    scored, s_params = _scored_sql(campaign, after)
    ctes, c_params, keep, k_params = _reachable_parts(campaign, limit=limit, after=after, scored=(scored, s_params))
    # "= ANY(ARRAY(...))" in the scored statement: PostgreSQL builds the kept ids once and fetches those rows by
    # primary key; with "IN" it guesses thousands of ids and hash-joins them against the whole table.
    sql = f"WITH {ctes}, {_IDS} AS MATERIALIZED ({keep}) {scored} LIMIT {int(limit)}"
    return Creator.objects.raw(sql, [*c_params, *k_params, *s_params])


def _after(after: tuple[float, int]) -> Q:
    score, pk = after
    return Q(match_score__lt=score) | Q(match_score=score, id__lt=pk)


# --- only score who can reach the page (issue 13) ----------------------------------------------------------
#
# Every creator has a narrow row of match features (campaigns.models.MatchFeatures, kept current by
# campaigns.match_features). From it an *upper bound* of each creator's score for a brief is column arithmetic:
# the formula above term by term, exact except for the reputation facts that change with time alone (their
# bound is taken). The statement then
#
#   1. takes a few seed creators (eligible, with every niche of the brief, from the top of the stored bound of
#      engagement + reputation points: see SEED_WINDOW) and scores them with the real formula: the page's
#      ``limit``-th (score, id) among them, T, is a lower bound of the page's last row;
#   2. keeps every eligible creator whose bound can reach T: a bound above T's score, or equal to it and an id
#      at least T's (ties: saturated signals give equal floats, and the order is score then id), narrowed first
#      by what the indexes serve: the stored bound ≥ T − the most the brief's other terms can add, and, when T is
#      higher than any creator missing a niche (or sharing none) can score, the niches themselves (GIN);
#   3. (the caller) scores those with the formula, orders by (score, id) and keeps ``limit``.
#
# So the rows and their order are the formula's by construction; the bound only has to be an upper bound.

SEED_WINDOW = 1_000  # creators with the highest stored bound the seeds are taken from first (a broad brief finds
# its page among them; at 1M a narrow one finds 1-3 and goes to the GIN index: the walk is what it wastes)
_EPS = 1e-9  # float sums in another order differ in the last bits (~1e-14 at 100)


def reputation_bound_sql(alias: str, mean: str) -> str:
    """SQL for an upper bound of the reputation signal (0..1) of the features row ``alias`` when the platform
    mean is ``mean`` (an SQL expression): exact unless a blind review or an undrafted deliverable is waiting."""
    m = PRIOR_REVIEWS
    rating = (
        f"(CASE WHEN {alias}.reviews_blind > 0 THEN 5.0 "
        f"ELSE ({m} * ({mean}) + {alias}.rating_sum) / ({m} + {alias}.reviews)::float8 END)"
    )
    on_time = f"(CASE WHEN {alias}.drafted > 0 THEN {alias}.on_time::float8 / {alias}.drafted ELSE {UNKNOWN} END)"
    track = f"LEAST(1.0, {alias}.completed::float8 / {REPUTATION_FULL_AT})"
    return f"(0.5 * ({rating} - 1) / 4 + 0.25 * {on_time} + 0.25 * {track})"


def _share_sql(column: str, values: list, kind: str = "varchar") -> str:
    """|values ∩ column| / |values| for the array ``column`` of the features row; 1 when ``values`` is empty."""
    if not values:
        return "1.0"
    hits = " + ".join(f"(CASE WHEN f.{column} @> %s::{kind}[] THEN 1 ELSE 0 END)" for _v in values)
    return f"(({hits})::float8 / {len(values)})"


def _bound_sql(campaign: Campaign) -> tuple[str, list, float]:
    """(the score's upper bound over the features row ``f`` as SQL with ``mu`` the platform mean, its params,
    the most the terms other than engagement and reputation can add for this brief)."""
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
        terms["tier"] = "(CASE WHEN f.tier = ANY(%s::varchar[]) THEN 1.0 ELSE 0.0 END)"
        params.append(list(campaign.target_tiers))
    else:
        terms["tier"] = f"(CASE WHEN f.tier IS NULL THEN {UNKNOWN} ELSE 1.0 END)"
    terms["engagement"] = "f.engagement"
    country = "1.0"
    if campaign.countries:
        country = "(CASE WHEN f.country = ANY(%s::varchar[]) THEN 1.0 ELSE 0.0 END)"
        params.append(list(campaign.countries))
    language = _share_sql("languages", languages)
    params += [[lang] for lang in languages]
    terms["audience"] = f"(0.5 * {country} + 0.5 * {language})"
    if fee is not None:
        terms["rate"] = f"LEAST(COALESCE(%s / NULLIF(f.min_price::float8, 0), {UNKNOWN}), 1.0)"
        params.append(float(fee))
    else:
        terms["rate"] = str(UNKNOWN)
    terms["reputation"] = reputation_bound_sql("f", "(SELECT mu FROM th)")
    sql = " + ".join(f"{WEIGHTS[name]} * {terms[name]}" for name in WEIGHTS)
    others = sum(WEIGHTS[n] for n in ("niche", "platform", "tier", "audience")) + WEIGHTS["rate"] * (
        1.0 if fee is not None else UNKNOWN
    )
    return f"({sql})", params, others


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


_IDS = "match_ids"  # the CTE of creator ids the compiled formula scores (seeds, then the kept creators)
_MEAN = "(SELECT mu FROM th)"  # μ in the fast path's statement: the CTE ``th``, computed once


def _scored_sql(campaign: Campaign, after: tuple[float, int] | None) -> tuple[str, list]:
    """The formula (``recommended_creators_queryset``) over the creators whose ids the CTE ``_IDS`` holds, after
    ``after``, best first, μ read from the CTE ``th``: compiled once, used for the seeds and for the page."""
    qs = recommended_creators_queryset(campaign=campaign, mean=RawSQL(_MEAN, [], output_field=_F))
    qs = qs.extra(where=[f'"creators_creator"."id" = ANY(ARRAY(SELECT creator_id FROM {_IDS}))'])
    if after is not None:
        qs = qs.filter(_after(after))
    return qs.query.sql_with_params()


def _mean_cte() -> tuple[str, list]:
    """``th AS (SELECT μ AS mu)``: the very expression the formula uses for μ (same SQL, same type and value)."""
    query = Creator.objects.all().query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(_platform_mean().resolve_expression(query))
    # current_schema() is marked parallel-unsafe: the statement then runs without parallel workers, whose start
    # (5-8 ms) costs more than the few hundred index-chosen rows it reads (a branch whose one-time filter is false
    # still started them).
    return f"th AS MATERIALIZED (SELECT {sql} AS mu, current_schema() AS serial)", list(params)


def _reachable_sql(campaign: Campaign, *, limit: int, after: tuple[float, int] | None) -> tuple[str, list]:
    """``SELECT creator_id`` of every creator who can be among the ``limit`` best (after ``after``): one statement
    of its own (the fast path puts the same CTEs and SELECT in front of the page's scoring)."""
    ctes, c_params, keep, k_params = _reachable_parts(campaign, limit=limit, after=after, scored=None)
    return f"WITH {ctes} {keep}", [*c_params, *k_params]


def _reachable_parts(campaign: Campaign, *, limit: int, after, scored) -> tuple[str, list, str, list]:
    """(the CTEs: μ, the seeds, T; their params; the SELECT of the kept creator ids; its params)."""
    table = MatchFeatures._meta.db_table
    eligible, e_params = _eligible_sql(campaign)
    bound, b_params, others = _bound_sql(campaign)
    niche_ids = sorted({n.pk for n in campaign.niches.all()})
    seed_n = 2 * limit
    # Seeds: among the SEED_WINDOW creators with the highest stored bound (a bounded walk of the bound index),
    # the eligible ones (with every niche of the brief, if it names any); only when those do not fill a page,
    # the eligible creators with every niche found through the filters' GIN index (``candidates``: no walk hoping
    # to meet a rare combination); only when those do not fill a page either, any eligible creators, best stored bound
    # first. Any real creators give a valid T; good ones give a high T.
    niche_filter = " AND f.niche_ids @> %s::int[]" if niche_ids else ""
    n_params = [niche_ids] if niche_ids else []
    # (A walk that stops at the seed_n-th hit: no ORDER BY outside, any eligible creators are valid seeds.)
    window = (
        f"SELECT f.creator_id FROM (SELECT * FROM {table} w WHERE w.approved "
        f"ORDER BY w.static_bound DESC, w.creator_id DESC LIMIT {SEED_WINDOW}) f "
        f"WHERE {eligible}{niche_filter} LIMIT {seed_n}"
    )
    seeds = [(f"seeds_window AS MATERIALIZED ({window})", [*e_params, *n_params])]
    so_far = "(SELECT count(*) FROM seeds_window)"
    if niche_ids:
        # When the window does not fill a page: every eligible creator with every niche, found once through the
        # filters' GIN index with their bound (the seeds are the best of them by stored bound, and when T then
        # leaves out whoever misses a niche, the kept creators are among them too).
        seeds.append(
            (
                f"candidates AS MATERIALIZED (SELECT f.creator_id, f.static_bound, {bound} AS bound "
                f"FROM {table} f WHERE {eligible}{niche_filter} AND {so_far} < {limit})",
                [*b_params, *e_params, *n_params],
            )
        )
        seeds.append(
            (
                "seeds_niches AS MATERIALIZED (SELECT creator_id FROM candidates "
                f"ORDER BY static_bound DESC, creator_id DESC LIMIT {seed_n})",
                [],
            )
        )
        so_far = "(SELECT count(*) FROM seeds_window) + (SELECT count(*) FROM seeds_niches)"
    seeds.append(
        (
            f"seeds_any AS MATERIALIZED (SELECT f.creator_id FROM {table} f WHERE {eligible} AND {so_far} < {limit} "
            f"ORDER BY f.static_bound DESC, f.creator_id DESC LIMIT {seed_n})",
            e_params,
        )
    )
    union = " UNION ".join(
        f"SELECT creator_id FROM {sql.split(' ', 1)[0]}" for sql, _p in seeds if not sql.startswith("candidates")
    )
    if scored is None:
        scored = _scored_sql(campaign, after)
    s_sql, s_params = scored
    seed_scored = s_sql.replace(_IDS, "match_seeds")
    mean_cte, mean_params = _mean_cte()
    # T = (score, id) of the page's last row among the seeds; none (t = -1, below any score) when the seeds do not
    # fill a page (fewer eligible creators than a page): then every eligible creator is kept.
    ctes = ", ".join(
        [
            mean_cte,
            *(sql for sql, _p in seeds),
            f"match_seeds AS MATERIALIZED ({union})",
            f"match_t AS MATERIALIZED (SELECT COALESCE(x.match_score, -1) - {_EPS} AS t, x.id AS t_id "
            f"FROM (SELECT 1) one LEFT JOIN (SELECT s.match_score, s.id FROM ({seed_scored}) s "
            f"ORDER BY s.match_score DESC, s.id DESC OFFSET {int(limit) - 1} LIMIT 1) x ON true)",
        ]
    )
    c_params = [*mean_params, *(p for _sql, ps in seeds for p in ps), *s_params]
    # Kept: a bound above T's score, or (ties, the common case when signals saturate: equal inputs give equal
    # floats) a bound equal to it and an id the order puts first (score desc, id desc).
    t = "(SELECT t FROM match_t)"

    def reaches(b: str, pk: str) -> str:
        t_id = "(SELECT t_id FROM match_t)"
        return f"{b} >= {t} AND ({b} > {t} + {2 * _EPS} OR {t_id} IS NULL OR {pk} >= {t_id})"

    keep = f"{reaches(bound, 'f.creator_id')} AND f.static_bound >= {t} - {others}"
    base = f"SELECT f.creator_id FROM {table} f WHERE {eligible} AND {keep}"
    base_params = [*e_params, *b_params, *b_params]
    # When the window filled a page, T is high and the stored bound's range (≥ T − the other terms) holds few
    # creators: read it from the bound index alone (OFFSET 0 keeps the planner, who cannot see T, from choosing
    # the filters' GIN index, i.e. every eligible creator of a broad brief).
    window_filled = f"(SELECT count(*) FROM seeds_window) >= {limit}"
    fenced = (
        f"SELECT f.creator_id FROM (SELECT * FROM {table} f WHERE f.approved AND f.static_bound >= {t} - {others} "
        f"OFFSET 0) f WHERE {eligible} AND {reaches(bound, 'f.creator_id')} AND {window_filled}"
    )
    if not niche_ids:
        return (
            ctes,
            c_params,
            f"{fenced} UNION ALL {base} AND NOT {window_filled}",
            [*e_params, *b_params, *b_params, *base_params],
        )
    # The most a creator sharing fewer than all the brief's niches (or none) can score.
    static_most = WEIGHTS["engagement"] + WEIGHTS["reputation"]
    most_without_any = others - WEIGHTS["niche"] + static_most
    most_without = most_without_any + WEIGHTS["niche"] * (len(niche_ids) - 1) / len(niche_ids)
    branches = [
        (
            f"{fenced} AND f.niche_ids @> %s::int[] AND {t} > {most_without}",
            [*e_params, *b_params, *b_params, niche_ids],
        ),
        (
            f"SELECT c.creator_id FROM candidates c WHERE {reaches('c.bound', 'c.creator_id')} "
            f"AND {t} > {most_without} AND NOT {window_filled}",
            [],
        ),
        (
            f"{base} AND f.niche_ids && %s::int[] AND {t} <= {most_without} AND {t} > {most_without_any}",
            [*base_params, niche_ids],
        ),
        (f"{base} AND {t} <= {most_without_any}", base_params),
    ]
    return ctes, c_params, " UNION ALL ".join(sql for sql, _p in branches), [p for _sql, ps in branches for p in ps]


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
