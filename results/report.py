"""The campaign report: per hired creator and in total, every number with its formula (issue 11).

Definitions (also on the page, beside each number):

- reach, views: the posts' latest numbers (stats.Post), summed over the hire's live posts;
- engagements = likes + comments + shares + saves (a count the platform does not give counts as 0);
- engagement rate = engagements ÷ views × 100;
- clicks: counted clicks on the hire's tracked link (known bots left out), unique clicks beside them;
- CTR = clicks ÷ views × 100;
- conversions, revenue: orders the brand recorded against the hire's link or promo code;
- spend: what the brand paid for the hire — the funding's total (creator's fee + platform fee) once funded
  (held, released or paid out); before that, or with no funding, the accepted fee (the creator's proposed rate,
  else the campaign's fee per creator);
- CPM = spend ÷ views × 1000; CPE = spend ÷ engagements; CPC = spend ÷ clicks; CPA = spend ÷ conversions;
- ROAS = revenue ÷ spend (revenue per 1 of spend);
- EMV = Σ over posts of views ÷ 1000 × the platform's CPM rate (EMV_CPM below).

A division by zero (or by an unknown) is shown as "—" and is ``None`` in the API, never an error.

Queries: a fixed number whatever the number of creators (hires, posts, clicks, conversions, snapshots, click days).
The posts' numbers and their daily snapshots (stats.Post, stats.PostSnapshot) are read through
``campaigns.Deliverable.post``, so results imports nothing of stats (docs/ARCHITECTURE.md: stats is used through
``stats.api`` only, and this app only reads what the live-post pipeline writes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Sum
from django.utils.translation import get_language, gettext, gettext_noop

from campaigns.models import Application, ApplicationStatus, Deliverable
from payments.models import FundingStatus

from .models import ClickDay, Conversion

HIRED = (ApplicationStatus.ACCEPTED, ApplicationStatus.COMPLETED)
FUNDED = (FundingStatus.HELD, FundingStatus.RELEASED, FundingStatus.PAID_OUT)

# EMV: what the same views would cost as paid media, in USD per 1,000 views, per platform.
# Instagram and TikTok: the middle of the $5–15 CPM guide; YouTube: the middle of its $15–30 [T22, research file
# §3.4]; any other platform: Upfluence's "industry standard" CPM of $6.50 [UP1].
EMV_CPM = {
    "instagram": Decimal("10.00"),
    "tiktok": Decimal("10.00"),
    "youtube": Decimal("22.50"),
}
EMV_CPM_OTHER = Decimal("6.50")
DASH = "—"
CENT = Decimal("0.01")


def emv_rate(platform: str) -> Decimal:
    return EMV_CPM.get(platform, EMV_CPM_OTHER)


@dataclass
class Numbers:
    """Raw sums for one hire or the total. Money in minor units (``emv`` in minor units, possibly fractional)."""

    reach: int | None = None
    views: int | None = None
    engagements: int | None = None
    clicks: int = 0
    unique_clicks: int = 0
    conversions: int = 0
    revenue: int = 0
    spend: int = 0
    emv: Decimal = Decimal(0)
    posts: int = 0
    views_by_platform: dict[str, int] = field(default_factory=dict)  # for EMV's formula

    def add(self, other: Numbers) -> None:
        for name in ("reach", "views", "engagements"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is not None:
                setattr(self, name, (mine or 0) + theirs)
        for name in ("clicks", "unique_clicks", "conversions", "revenue", "spend", "emv", "posts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for platform, views in other.views_by_platform.items():
            self.views_by_platform[platform] = self.views_by_platform.get(platform, 0) + views


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: Decimal | int | None  # None: unknown, or a division by zero
    display: str
    formula: str  # the formula with this row's numbers, e.g. "300.00 ÷ 12,000 × 1000"
    definition: str  # the formula in words, e.g. "spend ÷ views × 1000"

    @property
    def computed(self) -> bool:
        """Worked out from other numbers (a ratio, EMV), so its formula is worth showing in a table cell."""
        return "÷" in self.formula


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _int(n: int | None) -> str:
    return DASH if n is None else f"{n:,}"


def _money(minor: int | Decimal, currency: str) -> str:
    return f"{_q(Decimal(minor) / 100):,} {currency}"


def _major(minor: int | Decimal) -> str:
    return f"{_q(Decimal(minor) / 100):,}"


def _ratio(top, bottom, scale: int = 1) -> Decimal | None:
    if top is None or not bottom:
        return None
    return _q(Decimal(top) * scale / Decimal(bottom))


# The report's words, translated once per language (500 rows × 25 lazy lookups cost more than the queries).
_WORDS = [
    gettext_noop("Reach"),
    gettext_noop("sum of the posts' reach"),
    gettext_noop("Views"),
    gettext_noop("sum of the posts' views"),
    gettext_noop("Engagements"),
    gettext_noop("likes + comments + shares + saves"),
    gettext_noop("Engagement rate"),
    gettext_noop("engagements ÷ views × 100"),
    gettext_noop("Clicks"),
    gettext_noop("clicks on the tracked link, bots left out"),
    gettext_noop("CTR"),
    gettext_noop("clicks ÷ views × 100"),
    gettext_noop("Conversions"),
    gettext_noop("orders recorded against the link or promo code"),
    gettext_noop("Revenue"),
    gettext_noop("sum of the orders' amounts"),
    gettext_noop("Spend"),
    gettext_noop("funded total (fee + platform fee), else the accepted fee"),
    gettext_noop("spend ÷ views × 1000"),
    gettext_noop("spend ÷ engagements"),
    gettext_noop("spend ÷ clicks"),
    gettext_noop("spend ÷ conversions"),
    gettext_noop("revenue ÷ spend (revenue per 1 of spend)"),
    gettext_noop("views ÷ 1000 × the platform's CPM rate"),
    gettext_noop("%(u)s unique"),
]


@lru_cache(maxsize=16)
def _words(language: str | None) -> dict[str, str]:
    return {w: gettext(w) for w in _WORDS}


def metrics(n: Numbers, currency: str) -> list[Metric]:
    """Every number of the report for one row, in order, each with its formula."""
    W = _words(get_language())  # noqa: N806 (translated once per language, not 25 times per row)
    spend = Decimal(n.spend) / 100
    revenue = Decimal(n.revenue) / 100
    er = _ratio(n.engagements, n.views, 100)
    ctr = _ratio(n.clicks, n.views, 100)
    cpm = _ratio(spend, n.views, 1000)
    cpe = _ratio(spend, n.engagements)
    cpc = _ratio(spend, n.clicks)
    cpa = _ratio(spend, n.conversions)
    roas = _ratio(revenue, spend)
    emv = _q(n.emv / 100)

    def pct(v):
        return DASH if v is None else f"{v}%"

    def cur(v):
        return DASH if v is None else f"{v:,} {currency}"

    s, v, e = _major(n.spend), _int(n.views), _int(n.engagements)
    emv_parts = " + ".join(
        f"{views:,} ÷ 1000 × {emv_rate(platform)}" for platform, views in sorted(n.views_by_platform.items())
    )
    return [
        Metric("reach", W["Reach"], n.reach, _int(n.reach), _int(n.reach), W["sum of the posts' reach"]),
        Metric("views", W["Views"], n.views, v, v, W["sum of the posts' views"]),
        Metric(
            "engagements",
            W["Engagements"],
            n.engagements,
            e,
            e,
            W["likes + comments + shares + saves"],
        ),
        Metric(
            "engagement_rate",
            W["Engagement rate"],
            er,
            pct(er),
            f"{e} ÷ {v} × 100",
            W["engagements ÷ views × 100"],
        ),
        Metric(
            "clicks",
            W["Clicks"],
            n.clicks,
            _int(n.clicks),
            str(W["%(u)s unique"] % {"u": _int(n.unique_clicks)}),
            W["clicks on the tracked link, bots left out"],
        ),
        Metric("ctr", W["CTR"], ctr, pct(ctr), f"{_int(n.clicks)} ÷ {v} × 100", W["clicks ÷ views × 100"]),
        Metric(
            "conversions",
            W["Conversions"],
            n.conversions,
            _int(n.conversions),
            _int(n.conversions),
            W["orders recorded against the link or promo code"],
        ),
        Metric(
            "revenue",
            W["Revenue"],
            _q(revenue),
            _money(n.revenue, currency),
            _major(n.revenue),
            W["sum of the orders' amounts"],
        ),
        Metric(
            "spend",
            W["Spend"],
            _q(spend),
            _money(n.spend, currency),
            s,
            W["funded total (fee + platform fee), else the accepted fee"],
        ),
        Metric("cpm", "CPM", cpm, cur(cpm), f"{s} ÷ {v} × 1000", W["spend ÷ views × 1000"]),
        Metric("cpe", "CPE", cpe, cur(cpe), f"{s} ÷ {e}", W["spend ÷ engagements"]),
        Metric("cpc", "CPC", cpc, cur(cpc), f"{s} ÷ {_int(n.clicks)}", W["spend ÷ clicks"]),
        Metric("cpa", "CPA", cpa, cur(cpa), f"{s} ÷ {_int(n.conversions)}", W["spend ÷ conversions"]),
        Metric(
            "roas",
            "ROAS",
            roas,
            DASH if roas is None else f"{roas}",
            f"{_major(n.revenue)} ÷ {s}",
            W["revenue ÷ spend (revenue per 1 of spend)"],
        ),
        Metric(
            "emv",
            "EMV",
            emv,
            f"{emv:,} USD",
            emv_parts or "0",
            W["views ÷ 1000 × the platform's CPM rate"],
        ),
    ]


@dataclass
class CreatorRow:
    application_id: int
    name: str
    handle: str
    link_code: str
    promo_code: str
    spend_source: str
    numbers: Numbers
    metrics: list[Metric] = field(default_factory=list)

    @property
    def by_key(self) -> dict[str, Metric]:
        return {m.key: m for m in self.metrics}


@dataclass
class Report:
    campaign: object
    currency: str
    rows: list[CreatorRow]
    total: Numbers
    total_metrics: list[Metric]
    views_series: list[tuple[dt.date, int]]
    clicks_series: list[tuple[dt.date, int]]

    @property
    def total_by_key(self) -> dict[str, Metric]:
        return {m.key: m for m in self.total_metrics}


def _spend(application, campaign) -> tuple[int, str]:
    from payments.ledger import to_minor

    try:
        funding = application.funding
    except Application.funding.RelatedObjectDoesNotExist:
        funding = None
    if funding is not None and funding.status in FUNDED:
        return funding.total, "funded"
    rate = application.proposed_rate or (campaign.fee_per_creator if campaign.pays_fee else None)
    return (to_minor(rate) if rate else 0), "accepted fee"


def _cumulative_views(campaign) -> list[tuple[dt.date, int]]:
    """Total views of the campaign's live posts by day: each post's latest snapshot on or before that day (carried
    forward). Read through ``Deliverable.post`` (stats' snapshots of the post), like the posts' numbers."""
    latest: dict[int, int] = {}
    by_day: dict[dt.date, int] = {}
    total = 0
    rows = (
        Deliverable.objects.filter(
            application__campaign=campaign,
            application__status__in=HIRED,
            post__snapshots__views__isnull=False,
        )
        .order_by("post__snapshots__period", "post_id")
        .values_list("post__snapshots__period", "post_id", "post__snapshots__views")
    )
    for day, post_id, views in rows:
        total += views - latest.get(post_id, 0)  # a post on two deliverables comes twice: the second adds 0
        latest[post_id] = views
        by_day[day] = total
    return sorted(by_day.items())


def build(campaign) -> Report:
    currency = settings.PAYMENTS_CURRENCY.upper()
    hires = list(
        Application.objects.filter(campaign=campaign, status__in=HIRED)
        .select_related("creator", "tracked_link", "funding")
        .order_by("creator__display_name", "pk")
    )
    numbers: dict[int, Numbers] = {a.pk: Numbers() for a in hires}
    seen_posts: set[int] = set()
    post_rows = (
        Deliverable.objects.filter(application__campaign=campaign, application__status__in=HIRED, post__isnull=False)
        .order_by("post_id")
        .values_list(
            "application_id",
            "post_id",
            "post__account__platform",
            "post__views",
            "post__reach",
            "post__likes",
            "post__comments",
            "post__shares",
            "post__saves",
        )
    )
    for app_id, post_id, platform, views, reach, likes, comments, shares, saves in post_rows:
        if post_id in seen_posts:  # two deliverables on one post count it once
            continue
        seen_posts.add(post_id)
        parts = [likes, comments, shares, saves]
        engagements = None if all(p is None for p in parts) else sum(p or 0 for p in parts)
        one = Numbers(reach=reach, views=views, engagements=engagements, posts=1)
        one.views_by_platform = {platform: views or 0}
        one.emv = Decimal(views or 0) * emv_rate(platform) * 100 / 1000
        numbers[app_id].add(one)

    link_to_app = {a.tracked_link.pk: a.pk for a in hires if _has_link(a)}
    clicks = (
        ClickDay.objects.filter(link__campaign=campaign)
        .values("link_id")
        .annotate(c=Sum("clicks"), u=Sum("unique_clicks"))
        .order_by()
    )
    for row in clicks:
        if row["link_id"] in link_to_app:
            n = numbers[link_to_app[row["link_id"]]]
            n.clicks, n.unique_clicks = row["c"] or 0, row["u"] or 0
    conversions = (
        Conversion.objects.filter(link__campaign=campaign)
        .values("link_id")
        .annotate(n=Count("id"), revenue=Sum("amount"))
        .order_by()
    )
    for row in conversions:
        if row["link_id"] in link_to_app:
            n = numbers[link_to_app[row["link_id"]]]
            n.conversions, n.revenue = row["n"], row["revenue"] or 0

    rows, total = [], Numbers()
    for application in hires:
        n = numbers[application.pk]
        n.spend, source = _spend(application, campaign)
        link = application.tracked_link if _has_link(application) else None
        rows.append(
            CreatorRow(
                application_id=application.pk,
                name=application.creator.display_name,
                handle=application.creator.handle,
                link_code=link.code if link else "",
                promo_code=link.promo_code if link else "",
                spend_source=source,
                numbers=n,
                metrics=metrics(n, currency),
            )
        )
        total.add(n)

    click_days = (
        ClickDay.objects.filter(link__campaign=campaign)
        .values("day")
        .annotate(c=Sum("clicks"))
        .order_by("day")
        .values_list("day", "c")
    )
    running, clicks_series = 0, []
    for day, count in click_days:
        running += count or 0
        clicks_series.append((day, running))
    return Report(
        campaign=campaign,
        currency=currency,
        rows=rows,
        total=total,
        total_metrics=metrics(total, currency),
        views_series=_cumulative_views(campaign),
        clicks_series=clicks_series,
    )


def _has_link(application) -> bool:
    try:
        return application.tracked_link is not None
    except Application.tracked_link.RelatedObjectDoesNotExist:
        return False


def as_json(report: Report) -> dict:
    def values(ms: list[Metric]) -> dict:
        return {
            m.key: {
                "value": None if m.value is None else (m.value if isinstance(m.value, int) else str(m.value)),
                "display": m.display,
                "formula": f"{m.definition} = {m.formula}",
            }
            for m in ms
        }

    return {
        "campaign": report.campaign.pk,
        "currency": report.currency,
        "emv_cpm_usd": {**{k: str(v) for k, v in EMV_CPM.items()}, "other": str(EMV_CPM_OTHER)},
        "total": values(report.total_metrics),
        "creators": [
            {
                "application": row.application_id,
                "creator": row.handle,
                "name": row.name,
                "link": f"/r/{row.link_code}" if row.link_code else None,
                "promo_code": row.promo_code or None,
                "spend_source": row.spend_source,
                "metrics": values(row.metrics),
            }
            for row in report.rows
        ],
        "views_over_time": [{"day": d.isoformat(), "views": v} for d, v in report.views_series],
        "clicks_over_time": [{"day": d.isoformat(), "clicks": c} for d, c in report.clicks_series],
    }


CSV_KEYS = [
    "reach",
    "views",
    "engagements",
    "engagement_rate",
    "clicks",
    "ctr",
    "conversions",
    "revenue",
    "spend",
    "cpm",
    "cpe",
    "cpc",
    "cpa",
    "roas",
    "emv",
]


def csv_rows(report: Report) -> list[list[str]]:
    """Header and one line per creator, then the total; plain numbers ("" for —), money in major units."""

    def cells(ms: list[Metric]) -> list[str]:
        by = {m.key: m for m in ms}
        return ["" if by[k].value is None else str(by[k].value) for k in CSV_KEYS]

    header = ["creator", "link", "promo_code", "unique_clicks", *CSV_KEYS, "currency"]
    out = [header]
    for row in report.rows:
        out.append(
            [
                row.handle,
                f"/r/{row.link_code}" if row.link_code else "",
                row.promo_code,
                str(row.numbers.unique_clicks),
                *cells(row.metrics),
                report.currency,
            ]
        )
    out.append(["TOTAL", "", "", str(report.total.unique_clicks), *cells(report.total_metrics), report.currency])
    return out
