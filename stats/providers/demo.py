"""Deterministic demo statistics, the default when no platform credentials are set.

Why it exists: the whole product (tiers, matching, charts, authenticity
flags) must work offline and in tests without any platform account. So the
numbers have to *look* like real ones and behave over time like real ones:

* Followers are log-uniform between 300 and 2,000,000 (so every tier, and the
  "emerging" range below 1,000, is well populated), from a hash of
  ``platform|handle``: the same handle always gets the same account.
* Engagement sits inside the published benchmark band of the account's tier
  and platform (``stats.benchmarks.BENCHMARK_BANDS``), in the unit of that
  platform's formula (views for TikTok/YouTube, followers otherwise).
* History: ``fetch(refs, as_of=...)`` grows followers slowly (0.02–0.2 % a
  day, a few accounts shrink), new posts appear on the account's cadence and
  young posts are still collecting likes. Results depend only on the *date*
  of ``as_of``, so two refreshes on the same day agree.
* About 6 % of accounts are anomalous on purpose so the flags have something
  to find: a follower spike (+50 % overnight on a given day, likes do not
  follow), likes at or above views on video platforms, or engagement far
  below the tier band (bought followers).
* Realistic gaps: some Instagram accounts hide likes (likes None,
  likes_hidden), some YouTube channels hide their subscriber count, some
  videos have comments disabled. YouTube subscriber counts are abbreviated to
  3 significant figures, as the API does.
* Handles starting with ``gone_`` come back as AccountGone, to exercise the
  error path of the UI.
* Followed posts (issue 11, ``fetch_posts``): lifetime numbers that grow along a
  decay curve, most of them in the first days (about 40 % of the final views
  after one day, 83 % after four, a slow tail to day 90), from the post id and
  the account's audience. Every post address of a demo account is accepted
  (``find_post``): there is no platform to ask.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from ..benchmarks import BENCHMARK_BANDS
from .base import (
    AccountGone,
    AccountRef,
    AccountStats,
    Demographics,
    FetchResult,
    FoundPost,
    NotAccountPost,
    PostMetrics,
    PostRef,
    PostStats,
    Provider,
    ProviderError,
)

PLATFORMS = ("youtube", "instagram", "tiktok", "linkedin")
MIN_FOLLOWERS = 300
MAX_FOLLOWERS = 2_000_000
REFERENCE_DAY = date(2026, 1, 1)  # base followers are the numbers on this day
_EPOCH = datetime(2018, 1, 1, tzinfo=UTC)


def _unit(*parts: object) -> float:
    """A uniform number in [0, 1) fixed by ``parts``."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _hex(*parts: object, length: int = 16) -> str:
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=16).hexdigest()[:length]


def _thresholds_key() -> tuple[tuple[str, int], ...]:
    """CREATOR_TIER_THRESHOLDS as a hashable key, so cached profiles follow a change of the setting."""
    from django.conf import settings

    return tuple(sorted((str(k), int(v)) for k, v in settings.CREATOR_TIER_THRESHOLDS.items()))


def _three_significant(n: int) -> int:
    if n < 1000:
        return n
    scale: int = 10 ** (len(str(n)) - 3)
    return n // scale * scale


@dataclass(frozen=True)
class _Profile:
    platform: str
    handle: str
    external_id: str
    base_followers: float
    growth_per_day: float
    following: int | None
    engagement_percent: float  # in the platform's formula unit
    view_ratio: float  # views per follower on a mature video post
    cadence_days: int
    offset_hours: float
    start: datetime
    anomaly: str  # "", "spike", "likes_over_views", "low_engagement"
    spike_day: date
    hides_likes: bool
    hides_subscribers: bool


def _profile(platform: str, handle: str) -> _Profile:
    return _cached_profile(platform, handle, _thresholds_key())


@lru_cache(maxsize=65536)
def _cached_profile(platform: str, handle: str, thresholds: tuple[tuple[str, int], ...]) -> _Profile:
    from creators.tiers import tier_for  # the one tier rule (reads CREATOR_TIER_THRESHOLDS)

    def u(name: str) -> float:
        return _unit(platform, handle.lower(), name)

    base = math.exp(math.log(MIN_FOLLOWERS) + u("followers") * (math.log(MAX_FOLLOWERS) - math.log(MIN_FOLLOWERS)))
    growth = 0.0002 + u("growth") * 0.0018
    if u("shrinks") < 0.08:
        growth = -growth / 4
    tier = tier_for(int(base))
    low, high = (float(x) for x in BENCHMARK_BANDS[platform][tier.value if tier else "nano"])
    if tier is None:
        low, high = low * 1.1, high * 1.3  # emerging accounts engage a little more
    engagement = low + u("engagement") * (high - low)
    roll = u("anomaly")
    video = platform in ("tiktok", "youtube")
    if roll < 0.03:
        anomaly = "spike"
    elif roll < 0.05 and video:
        anomaly = "likes_over_views"
    elif roll < 0.06:
        anomaly = "low_engagement"
        engagement = low / 5
    else:
        anomaly = ""
    view_ratio = {"tiktok": 0.3 + u("views") * 1.2, "youtube": 0.05 + u("views") * 0.35}.get(platform, 0.0)
    if platform == "youtube":
        external_id = "UC" + _hex(platform, handle.lower(), "id", length=22)
    elif platform == "instagram":
        external_id = "178414" + str(int(u("id") * 1e11)).zfill(11)
    elif platform == "tiktok":
        external_id = _hex(platform, handle.lower(), "id", length=32)
    else:
        external_id = "urn:li:person:" + _hex(platform, handle.lower(), "id", length=10)
    following = None if platform == "youtube" else int(50 + u("following") ** 2 * 1450)
    return _Profile(
        platform=platform,
        handle=handle,
        external_id=external_id,
        base_followers=base,
        growth_per_day=growth,
        following=following,
        engagement_percent=engagement,
        view_ratio=view_ratio,
        cadence_days=1 + int(u("cadence") * 6),
        offset_hours=u("offset") * 24,
        start=_EPOCH + timedelta(days=int(u("start") * 2500)),
        anomaly=anomaly,
        spike_day=REFERENCE_DAY + timedelta(days=int(u("spike_day") * 120) - 60),
        hides_likes=platform == "instagram" and u("hides_likes") < 0.08,
        hides_subscribers=platform == "youtube" and u("hides_subscribers") < 0.02,
    )


class DemoProvider(Provider):
    """Offline stand-in for one platform; see the module docstring for the model."""

    max_batch = 500
    makes_requests = False
    requests_per_minute = 1_000_000  # no remote calls

    def __init__(self, platform: str, *, recent_posts: int = 12) -> None:
        super().__init__()
        if platform not in PLATFORMS:
            raise ValueError(f"unknown platform {platform!r}")
        self.platform = platform  # type: ignore[misc]  # per instance: one demo class serves every platform
        self.recent_posts = recent_posts

    def fetch(self, refs: Sequence[AccountRef], as_of: datetime | None = None) -> FetchResult:
        day = (as_of or datetime.now(UTC)).astimezone(UTC).date()
        results: FetchResult = {}
        for ref in refs:
            handle = ref.handle.lstrip("@")
            if handle.lower().startswith("gone_"):
                results[ref.key] = AccountGone(f"{self.platform}: demo account {handle!r} does not exist")
                continue
            results[ref.key] = self._account(_profile(self.platform, handle), ref, day)
        return results

    # -- model ------------------------------------------------------------

    @staticmethod
    def _organic_followers(p: _Profile, day: date) -> float:
        return p.base_followers * math.exp(p.growth_per_day * (day - REFERENCE_DAY).days)

    def _followers(self, p: _Profile, day: date) -> int:
        followers = self._organic_followers(p, day)
        if p.anomaly == "spike" and day >= p.spike_day:
            followers *= 1.5  # bought followers: likes keep following the organic audience
        return round(followers)

    def _account(self, p: _Profile, ref: AccountRef, day: date) -> AccountStats:
        # Observations are taken at noon UTC of the day so the result depends on the date only.
        now = datetime.combine(day, time(12), tzinfo=UTC)
        interval = timedelta(days=p.cadence_days)
        first = p.start + timedelta(seconds=int(p.offset_hours * 3600))
        count = 0 if now < first else int((now - first) / interval) + 1
        posts = tuple(
            self._post(p, k, first + k * interval, now)
            for k in range(count - 1, max(-1, count - 1 - self.recent_posts), -1)
        )
        followers: int | None = self._followers(p, day)
        if p.platform == "youtube":
            followers = None if p.hides_subscribers else _three_significant(followers or 0)
        total_views = total_likes = None
        if posts and p.platform in ("youtube", "tiktok"):
            views = [x.views for x in posts if x.views]
            likes = [x.likes for x in posts if x.likes]
            if p.platform == "youtube" and views:
                total_views = int(sum(views) / len(views) * count * 1.3)
            if p.platform == "tiktok" and likes:
                total_likes = int(sum(likes) / len(likes) * count)
        return AccountStats(
            external_id=ref.external_id or p.external_id,
            handle=p.handle,
            followers=followers,
            following=p.following,
            posts_count=count,
            total_views=total_views,
            total_likes=total_likes,
            posts=posts,
            self_reported=p.platform == "linkedin",  # the real LinkedIn numbers are self-reported too
            followers_hidden=p.platform == "youtube" and p.hides_subscribers,
        )

    def _post(self, p: _Profile, k: int, published: datetime, now: datetime) -> PostStats:
        def u(name: str) -> float:
            return _unit(p.platform, p.handle.lower(), "post", k, name)

        age_days = (now - published).total_seconds() / 86400
        maturity = max(0.05, 1 - math.exp(-age_days / 1.5))  # a young post is still collecting
        audience = self._organic_followers(p, published.date())
        spread = 0.6 + 0.8 * u("spread")
        rate = p.engagement_percent / 100 * spread
        post_id = f"{p.platform[:2]}{_hex(p.handle.lower(), k, length=12)}"
        if p.platform in ("instagram", "linkedin"):
            engagements = audience * rate * maturity
            comments = int(engagements * (0.02 + 0.04 * u("comments")))
            likes = int(engagements) - comments
            if p.hides_likes:
                return PostStats(post_id, published, None, comments, None, likes_hidden=True)
            return PostStats(post_id, published, likes, comments, None)
        views = int(audience * p.view_ratio * (0.5 + u("views")) * maturity) + 1
        engagements = views * rate
        video_comments = int(engagements * (0.03 + 0.05 * u("comments")))
        shares: int | None = None
        if p.platform == "tiktok":
            shares = int(engagements * (0.05 + 0.1 * u("shares")))
            likes = int(engagements) - video_comments - shares
        else:
            likes = int(engagements) - video_comments
        if p.anomaly == "likes_over_views":
            likes = int(views * (1.0 + 0.3 * u("fake")))
        comments_off = p.platform == "youtube" and u("comments_off") < 0.05  # commentCount absent
        return PostStats(post_id, published, likes, None if comments_off else video_comments, views, shares)

    # -- audience demographics (issue 11) -----------------------------------------------------------

    _DEMO_COUNTRIES = ("US", "GB", "DE", "FR", "ES", "IT", "CA", "AU", "IE", "NL", "BR", "IN", "MX", "SE", "PL")
    _DEMO_AGES = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")

    def fetch_demographics(self, account: AccountRef) -> Demographics:
        """A plausible audience from the handle: a home country with half the audience or so, then four more;
        the platform's typical age skew (TikTok younger, YouTube and LinkedIn older); a gender split."""
        handle = account.handle.lstrip("@").lower()

        def u(*name: object) -> float:
            return _unit(self.platform, handle, "audience", *name)

        pool = sorted(self._DEMO_COUNTRIES, key=lambda c: u("country", c))
        countries: dict[str, float] = {}
        left = 100.0
        for rank, code in enumerate(pool[:5]):
            share = left * ((0.35 + 0.3 * u("share", rank)) if rank == 0 else (0.15 + 0.25 * u("share", rank)))
            countries[code] = round(share, 1)
            left -= share
        peak = {"tiktok": 1, "instagram": 2, "youtube": 2, "linkedin": 3}[self.platform]
        weights = [math.exp(-((i - peak - u("skew")) ** 2) / 2.2) for i in range(len(self._DEMO_AGES))]
        total = sum(weights)
        ages = {bracket: math.floor(w / total * 1000) / 10 for bracket, w in zip(self._DEMO_AGES, weights, strict=True)}
        female = round(30 + 40 * u("female"), 1)
        other = round(0.5 + 2 * u("other"), 1)
        return Demographics(
            countries=countries,
            ages=ages,
            genders={"female": female, "male": round(100 - female - other, 1), "other": other},
        )

    # -- followed posts (issue 11) --------------------------------------------------------

    def find_post(self, account: AccountRef, post_id: str) -> FoundPost:
        if self.platform == "linkedin":
            raise NotAccountPost("linkedin: posts cannot be followed on this platform")
        return FoundPost(post_id)

    def fetch_posts(
        self, refs: Sequence[PostRef], as_of: datetime | None = None
    ) -> dict[str, PostMetrics | ProviderError]:
        now = as_of or datetime.now(UTC)
        results: dict[str, PostMetrics | ProviderError] = {}
        for ref in refs:
            if self.platform == "linkedin":
                results[ref.key] = NotAccountPost("linkedin: posts cannot be followed on this platform")
                continue
            results[ref.key] = self._post_metrics(ref, now)
        return results

    @staticmethod
    def share_of_final(age_days: float) -> float:
        """How much of its final numbers a post has at ``age_days``: a fast decay plus a slow tail."""
        age = max(0.0, age_days)
        return 0.92 * (1 - math.exp(-age / 1.8)) + 0.08 * (1 - math.exp(-age / 30))

    def _post_metrics(self, ref: PostRef, now: datetime) -> PostMetrics:
        p = _profile(self.platform, ref.account.handle.lstrip("@"))

        def u(name: str) -> float:
            return _unit(self.platform, ref.post_id, name)

        # The day counts, not the hour, so two refreshes on one day agree (as for accounts).
        day = now.astimezone(UTC).date()
        start = (ref.published_at or ref.first_seen_at or now).astimezone(UTC).date()
        share = self.share_of_final((day - start).days + 0.5)
        audience = self._organic_followers(p, start)
        rate = p.engagement_percent / 100 * (0.6 + 0.8 * u("rate"))
        if self.platform == "instagram":
            views = audience * (0.3 + 0.9 * u("views"))
            engagements = audience * rate
        else:
            views = audience * p.view_ratio * (0.5 + u("views"))
            engagements = views * rate
        comments = engagements * (0.03 + 0.04 * u("comments"))
        shares = engagements * (0.04 + 0.08 * u("shares"))
        saves = engagements * (0.05 + 0.1 * u("saves"))
        likes = engagements - comments - shares - saves
        ig, tt = self.platform == "instagram", self.platform == "tiktok"

        def n(value: float) -> int:
            return int(value * share)

        return PostMetrics(
            ref.post_id,
            views=n(views) + 1,
            reach=n(views * (0.65 + 0.2 * u("reach"))) + 1 if ig else None,
            likes=None if ig and p.hides_likes else n(likes),
            comments=n(comments),
            shares=n(shares) if ig or tt else None,
            saves=n(saves) if ig else None,
        )
