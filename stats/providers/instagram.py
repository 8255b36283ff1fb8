"""Instagram Graph API adapter (Business Discovery).

Business Discovery lets our own business account (``ig_user_id`` + its token)
read another *Business or Creator* account by username: one call per handle,
with the recent media expanded inline. Personal accounts cannot be read at all
through the official API; they come back as "Cannot find User" → AccountGone.

Hidden likes: when media is read indirectly like this, ``like_count`` is 0 if
the owner hid like counts (Graph API changelog, 26 May 2021). A 0 is therefore
stored as ``likes=None, likes_hidden=True`` so it never drags an engagement
rate down; a genuinely unliked post is indistinguishable and is lost, which is
the lesser error.

Rate limits are usage percentages in the ``X-App-Usage`` and
``X-Business-Use-Case-Usage`` headers rather than a fixed number; we expose
the highest percentage seen (``usage_percent``) so the scheduler can back off
before Meta starts refusing calls at 100 %.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import requests

from .base import (
    AccountGone,
    AccountRef,
    AccountStats,
    AuthError,
    Demographics,
    FetchResult,
    FoundPost,
    HttpProvider,
    MalformedResponse,
    NotAccountPost,
    PostMetrics,
    PostRef,
    PostStats,
    ProviderError,
    RateLimited,
    TransientError,
    as_int,
    finish_after_call_failure,
    parse_iso_datetime,
    parse_retry_after,
)

# Instagram usernames: letters, digits, '.', '_', at most 30. Anything else would
# also be injected into the field-expansion expression, so it is refused up front.
_USERNAME = re.compile(r"^[A-Za-z0-9._]{1,30}$")
_RATE_CODES = {4, 17, 32, 613, 80002}
_TRANSIENT_CODES = {1, 2}
_NOT_FOUND_SUBCODES = {2207013}
# Lifetime metrics of one media (Instagram Media Insights): what a sponsored post's report needs.
MEDIA_METRICS = "views,reach,likes,comments,shares,saved"
_IG_GENDERS = {"F": "female", "M": "male", "U": "other"}
# How far back a post is looked for through business_discovery (one page of the media edge).
MEDIA_LOOKBACK = 50


class InstagramProvider(HttpProvider):
    """Followers and recent media of Business/Creator accounts via business_discovery.

    ``requests_per_minute`` defaults to 3: the Platform rate limit for an app
    token is 200 calls per user per hour (≈3.3/min); Business Use Case limits
    scale with impressions and are watched through ``usage_percent`` instead.
    """

    platform = "instagram"
    max_batch = 25
    requests_per_minute = 3
    default_base_url = "https://graph.facebook.com"

    def __init__(
        self,
        access_token: str,
        ig_user_id: str,
        *,
        base_url: str = default_base_url,
        api_version: str = "v25.0",
        recent_posts: int = 12,
        timeout: float | tuple[float, float] = (5.0, 20.0),
        session: requests.Session | None = None,
        requests_per_minute: int | None = None,
    ) -> None:
        super().__init__(base_url, timeout=timeout, session=session, requests_per_minute=requests_per_minute)
        self.access_token = access_token
        self.ig_user_id = ig_user_id
        self.api_version = api_version
        self.recent_posts = recent_posts
        self.usage_percent: float = 0.0  # highest seen by this instance
        self.last_usage_percent: float | None = None  # from the latest response that carried the headers
        self._regain_after: float | None = None

    # -- HTTP -------------------------------------------------------------

    def _after_response(self, response: requests.Response) -> None:
        percents: list[float] = []
        regain: list[float] = []
        app = response.headers.get("X-App-Usage")
        if app:
            try:
                data = json.loads(app)
                percents += [float(v) for v in data.values() if isinstance(v, (int, float))]
            except (ValueError, AttributeError):
                pass
        buc = response.headers.get("X-Business-Use-Case-Usage")
        if buc:
            try:
                for entries in json.loads(buc).values():
                    for entry in entries:
                        for name, value in entry.items():
                            if name == "estimated_time_to_regain_access" and isinstance(value, (int, float)):
                                regain.append(float(value) * 60.0)  # documented in minutes
                            elif name != "type" and isinstance(value, (int, float)):
                                percents.append(float(value))
            except (ValueError, AttributeError, TypeError):
                pass
        self._regain_after = max(regain) if regain else None
        if percents:
            self.last_usage_percent = max(percents)
            self.usage_percent = max(self.usage_percent, self.last_usage_percent)

    def _platform_error(self, response: requests.Response, body: Any) -> ProviderError | None:
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return None
        code = error.get("code")
        subcode = error.get("error_subcode")
        text = " ".join(str(error.get(k, "")) for k in ("message", "error_user_title", "error_user_msg"))
        message = f"instagram: code {code}/{subcode}: {text.strip()}"
        if code == 190 or code in (10, 200) or (isinstance(code, int) and 200 <= code <= 299):
            return AuthError(message)
        if code in _RATE_CODES or response.status_code == 429:
            default = self._regain_after if self._regain_after else 60.0
            return RateLimited(message, retry_after=parse_retry_after(response.headers.get("Retry-After"), default))
        if (
            code == 110
            or subcode in _NOT_FOUND_SUBCODES
            or (
                code == 100
                and re.search(r"cannot find user|cannot be found|not found|does not exist", text, re.IGNORECASE)
            )
        ):
            return AccountGone(message)
        if code in _TRANSIENT_CODES or error.get("is_transient") is True or response.status_code >= 500:
            return TransientError(message)
        return ProviderError(message)

    # -- fetch ------------------------------------------------------------

    def _fields(self, username: str) -> str:
        media = (
            f"media.limit({self.recent_posts}){{id,timestamp,like_count,comments_count,media_type,media_product_type}}"
        )
        return f"business_discovery.username({username}){{followers_count,follows_count,media_count,{media}}}"

    def _fetch_one(self, ref: AccountRef) -> AccountStats:
        username = ref.handle.lstrip("@")
        if not _USERNAME.match(username):
            raise AccountGone(f"instagram: {ref.handle!r} is not a valid username")
        body = self._request(
            "GET",
            f"/{self.api_version}/{self.ig_user_id}",
            params={"fields": self._fields(username), "access_token": self.access_token},
        )
        return self._parse(username, body)

    @staticmethod
    def _parse(username: str, body: dict[str, Any]) -> AccountStats:
        discovery = body.get("business_discovery")
        if not isinstance(discovery, dict) or "id" not in discovery:
            raise MalformedResponse("instagram: no business_discovery object")
        media = discovery.get("media") or {}
        data = media.get("data", []) if isinstance(media, dict) else None
        if not isinstance(data, list):
            raise MalformedResponse("instagram: media.data is not a list")
        posts = []
        for item in data:
            if not isinstance(item, dict) or "id" not in item:
                raise MalformedResponse("instagram: media item without id")
            likes = as_int(item.get("like_count"))
            hidden = likes == 0
            posts.append(
                PostStats(
                    external_id=str(item["id"]),
                    published_at=parse_iso_datetime(item.get("timestamp")),
                    likes=None if hidden else likes,
                    comments=as_int(item.get("comments_count")),
                    views=None,  # not exposed through business_discovery
                    likes_hidden=hidden,
                )
            )
        posts.sort(key=lambda p: (p.published_at is not None, p.published_at), reverse=True)
        return AccountStats(
            external_id=str(discovery["id"]),
            handle=username,
            followers=as_int(discovery.get("followers_count")),
            following=as_int(discovery.get("follows_count")),
            posts_count=as_int(discovery.get("media_count")),
            total_views=None,
            total_likes=None,
            posts=tuple(posts),
        )

    def fetch(self, refs: Sequence[AccountRef]) -> FetchResult:
        results: FetchResult = {}
        for ref in refs:
            try:
                results[ref.key] = self._fetch_one(ref)
            except AccountGone as exc:
                results[ref.key] = exc
            except MalformedResponse as exc:
                # One odd profile must not cost the rest of the batch.
                results[ref.key] = exc
            except ProviderError as exc:
                # Token, rate limit, 5xx, timeout: every later call would fail the same way.
                return finish_after_call_failure(results, refs, exc)
        return results

    # -- followed posts (issue 11) --------------------------------------------------------

    def _recent_media(self, handle: str, fields: str) -> list[dict[str, Any]]:
        username = handle.lstrip("@")
        if not _USERNAME.match(username):
            raise AccountGone(f"instagram: {handle!r} is not a valid username")
        expansion = f"business_discovery.username({username}){{id,media.limit({MEDIA_LOOKBACK}){{{fields}}}}}"
        body = self._request(
            "GET",
            f"/{self.api_version}/{self.ig_user_id}",
            params={"fields": expansion, "access_token": self.access_token},
        )
        discovery = body.get("business_discovery")
        media = discovery.get("media") if isinstance(discovery, dict) else None
        data = media.get("data", []) if isinstance(media, dict) else []
        if not isinstance(data, list) or not all(isinstance(item, dict) and "id" in item for item in data):
            raise MalformedResponse("instagram: media.data is not a list of media")
        return data

    def find_post(self, account: AccountRef, post_id: str) -> FoundPost:
        """The account's recent media (business_discovery) must hold a permalink with this shortcode."""
        for item in self._recent_media(account.handle, "id,permalink,timestamp"):
            segments = [s for s in str(item.get("permalink") or "").split("?")[0].split("/") if s]
            if post_id in segments:
                return FoundPost(str(item["id"]), parse_iso_datetime(item.get("timestamp")))
        raise NotAccountPost(
            f"instagram: {post_id} is not among the last {MEDIA_LOOKBACK} posts of @{account.handle.lstrip('@')}"
        )

    def _insights(self, ref: PostRef) -> PostMetrics:
        body = self._request(
            "GET",
            f"/{self.api_version}/{ref.post_id}/insights",
            params={"metric": MEDIA_METRICS, "access_token": ref.account.access_token},
        )
        data = body.get("data")
        if not isinstance(data, list):
            raise MalformedResponse("instagram: insights data is not a list")
        values: dict[str, int | None] = {}
        for metric in data:
            points = metric.get("values") if isinstance(metric, dict) else None
            if not isinstance(points, list) or not points or not isinstance(points[0], dict):
                raise MalformedResponse("instagram: insight without values")
            values[str(metric.get("name"))] = as_int(points[0].get("value"))
        return PostMetrics(
            ref.post_id,
            views=values.get("views"),
            reach=values.get("reach"),
            likes=values.get("likes"),
            comments=values.get("comments"),
            shares=values.get("shares"),
            saves=values.get("saved"),
        )

    def fetch_posts(self, refs: Sequence[PostRef]) -> dict[str, PostMetrics | ProviderError]:
        """With the owner's token (an account its creator connected): Media Insights, every number.
        Without: the likes and comments business_discovery shows of the account's recent media."""
        results: dict[str, PostMetrics | ProviderError] = {}
        by_handle: dict[str, list[PostRef]] = {}
        try:
            for ref in refs:
                if not ref.account.access_token:
                    by_handle.setdefault(ref.account.handle.lstrip("@").lower(), []).append(ref)
                    continue
                try:
                    results[ref.key] = self._insights(ref)
                except AccountGone as exc:  # the media is deleted (or not this token's)
                    results[ref.key] = NotAccountPost(str(exc))
                except (AuthError, MalformedResponse) as exc:  # this creator's token, this body
                    results[ref.key] = exc
            for handle, group in by_handle.items():
                try:
                    media = {
                        str(item["id"]): item for item in self._recent_media(handle, "id,like_count,comments_count")
                    }
                except (AccountGone, MalformedResponse) as exc:
                    for ref in group:
                        results[ref.key] = exc
                    continue
                for ref in group:
                    item = media.get(ref.post_id)
                    if item is None:
                        results[ref.key] = NotAccountPost(
                            f"instagram: media {ref.post_id} is not among the last {MEDIA_LOOKBACK} of @{handle}"
                        )
                        continue
                    likes = as_int(item.get("like_count"))
                    results[ref.key] = PostMetrics(
                        ref.post_id,
                        views=None,
                        reach=None,
                        likes=None if likes == 0 else likes,  # 0 = hidden likes, read indirectly
                        comments=as_int(item.get("comments_count")),
                        shares=None,
                        saves=None,
                    )
        except ProviderError as exc:
            return finish_after_call_failure(results, refs, exc)
        return results

    # -- audience demographics (issue 11) -----------------------------------------------------------

    def fetch_demographics(self, account: AccountRef) -> Demographics:
        """``GET /{ig-user-id}/insights?metric=follower_demographics&period=lifetime&metric_type=total_value
        &breakdown=country|age|gender`` with the owner's token: follower counts per value (three calls)."""
        if not account.access_token or not account.external_id.isdigit():
            raise AuthError("instagram: the owner has not connected this account (no token or IG user id)")
        groups: dict[str, dict[str, float]] = {}
        for breakdown in ("country", "age", "gender"):
            body = self._request(
                "GET",
                f"/{self.api_version}/{account.external_id}/insights",
                params={
                    "metric": "follower_demographics",
                    "period": "lifetime",
                    "metric_type": "total_value",
                    "breakdown": breakdown,
                    "access_token": account.access_token,
                },
            )
            try:
                (metric,) = body["data"]
                (block,) = metric["total_value"]["breakdowns"]
                results = block["results"]
                counts = {str(r["dimension_values"][0]): float(r["value"]) for r in results}
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                raise MalformedResponse(f"instagram: follower_demographics by {breakdown}: {exc!r}") from None
            if breakdown == "gender":
                counts = {_IG_GENDERS[k]: v for k, v in counts.items() if k in _IG_GENDERS}
            elif breakdown == "country":
                counts = {k.upper(): v for k, v in counts.items()}
            groups[breakdown] = counts
        return Demographics(countries=groups["country"], ages=groups["age"], genders=groups["gender"])
