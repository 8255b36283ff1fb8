"""YouTube Data API v3 adapter.

Quota is the scarce resource (10,000 units/day per project, 1 unit per list
call, invalid calls included), so the call pattern is the cheapest documented
one: ``channels.list`` for up to 50 channel ids at once (statistics + uploads
playlist), one ``playlistItems.list`` per channel for its recent video ids,
then ``videos.list`` for up to 50 video ids at once, mixing channels in a batch.
For a 50-channel batch with 12 recent videos each that is 1 + 50 + 12 = 63
units instead of 150. ``search.list`` is never used. Handles are resolved with
``channels.list?forHandle=`` (one call each, and only when we have no channel
id); that call returns the statistics too, so it is not repeated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
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
    QuotaExceeded,
    RateLimited,
    TransientError,
    as_int,
    chunks,
    finish_after_call_failure,
    parse_iso_datetime,
    parse_retry_after,
)

MAX_IDS_PER_CALL = 50
# YouTube Analytics API (v2 reports): its age groups → ours; genders → ours.
_YT_AGES = {
    "age13-17": "13-17",
    "age18-24": "18-24",
    "age25-34": "25-34",
    "age35-44": "35-44",
    "age45-54": "45-54",
    "age55-64": "55-64",
    "age65-": "65+",
}
_YT_GENDERS = {"female": "female", "male": "male", "user_specified": "other", "genderUserSpecified": "other"}
ANALYTICS_DAYS = 28

_QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded", "dailyLimitExceededUnreg"}
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
_AUTH_REASONS = {"keyInvalid", "keyExpired", "accessNotConfigured", "ipRefererBlocked", "authError", "forbidden"}
_GONE_REASONS = {"channelNotFound", "playlistNotFound", "videoNotFound", "notFound", "playlistItemsNotAccessible"}


class YouTubeProvider(HttpProvider):
    """Channel and recent-video statistics from the YouTube Data API v3.

    ``requests_per_minute`` defaults to 6: the 10,000-unit daily quota spread
    evenly over a day (10,000 / 1,440 ≈ 6.9). Operators with a raised quota
    pass their own number.
    """

    platform = "youtube"
    max_batch = MAX_IDS_PER_CALL
    requests_per_minute = 6
    daily_quota_units = 10_000
    default_base_url = "https://www.googleapis.com"
    default_analytics_base_url = "https://youtubeanalytics.googleapis.com"

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = default_base_url,
        analytics_base_url: str = default_analytics_base_url,
        recent_posts: int = 12,
        timeout: float | tuple[float, float] = (5.0, 20.0),
        session: requests.Session | None = None,
        requests_per_minute: int | None = None,
    ) -> None:
        super().__init__(base_url, timeout=timeout, session=session, requests_per_minute=requests_per_minute)
        if not 0 <= recent_posts <= MAX_IDS_PER_CALL:
            raise ValueError("recent_posts must be between 0 and 50 (one playlistItems page)")
        self.api_key = api_key
        self.analytics_base_url = analytics_base_url.rstrip("/")
        self.recent_posts = recent_posts
        self.quota_units_used = 0

    # -- HTTP -------------------------------------------------------------

    def _get(self, resource: str, params: Mapping[str, Any]) -> dict[str, Any]:
        # Every list call costs one unit, failed or not (the docs: invalid requests cost too).
        self.quota_units_used += 1
        return self._request("GET", f"/youtube/v3/{resource}", params={**params, "key": self.api_key})

    def _platform_error(self, response: requests.Response, body: Any) -> ProviderError | None:
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return None
        reasons = {e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)}
        message = f"youtube: HTTP {response.status_code}: {error.get('message', '')} {sorted(r for r in reasons if r)}"
        status = response.status_code
        if reasons & _QUOTA_REASONS:
            return QuotaExceeded(message)
        if reasons & _RATE_REASONS or status == 429:
            return RateLimited(message, retry_after=parse_retry_after(response.headers.get("Retry-After"), 60.0))
        if status >= 500 or reasons & {"backendError", "internalError"}:
            return TransientError(message)
        if reasons & _AUTH_REASONS or status == 401 or (status == 400 and "API key" in str(error.get("message"))):
            return AuthError(message)
        if reasons & _GONE_REASONS or status == 404:
            return AccountGone(message)
        return ProviderError(message)

    @staticmethod
    def _items(body: Mapping[str, Any]) -> list[dict[str, Any]]:
        # The API omits "items" entirely when nothing matched.
        items = body.get("items", [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise MalformedResponse("youtube: 'items' is not a list of objects")
        return items

    # -- parsing ----------------------------------------------------------

    @staticmethod
    def _channel_stats(ref: AccountRef, item: Mapping[str, Any]) -> tuple[AccountStats, str]:
        stats = item.get("statistics")
        channel_id = item.get("id")
        if not isinstance(stats, dict) or not isinstance(channel_id, str):
            raise MalformedResponse("youtube: channel without id or statistics")
        hidden = bool(stats.get("hiddenSubscriberCount"))
        uploads = ((item.get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads") or ""
        account = AccountStats(
            external_id=channel_id,
            handle=ref.handle,
            followers=None if hidden else as_int(stats.get("subscriberCount")),
            following=None,
            posts_count=as_int(stats.get("videoCount")),
            total_views=as_int(stats.get("viewCount")),
            total_likes=None,
            posts=(),
            followers_hidden=hidden,
        )
        return account, str(uploads)

    @staticmethod
    def _video_post(video_id: str, published: Any, item: Mapping[str, Any] | None) -> PostStats:
        stats = (item or {}).get("statistics") or {}
        if not isinstance(stats, dict):
            raise MalformedResponse("youtube: video statistics is not an object")
        return PostStats(
            external_id=video_id,
            published_at=parse_iso_datetime(published),
            likes=as_int(stats.get("likeCount")),  # absent when the owner hides likes: unknown, not 0
            comments=as_int(stats.get("commentCount")),  # absent when comments are disabled
            views=as_int(stats.get("viewCount")),
        )

    # -- fetch ------------------------------------------------------------

    def fetch(self, refs: Sequence[AccountRef]) -> FetchResult:
        results: FetchResult = {}
        found: list[tuple[AccountRef, dict[str, Any]]] = []
        try:
            for ref in refs:
                if ref.external_id:
                    continue
                handle = ref.handle if ref.handle.startswith("@") else f"@{ref.handle}"
                try:
                    items = self._items(
                        self._get("channels", {"part": "statistics,contentDetails", "forHandle": handle})
                    )
                except AccountGone as exc:
                    results[ref.key] = exc
                    continue
                if items:
                    found.append((ref, items[0]))
                else:
                    results[ref.key] = AccountGone(f"youtube: no channel for handle {handle}")
            with_id = [ref for ref in refs if ref.external_id]
            unique_ids = list(dict.fromkeys(ref.external_id for ref in with_id))
            for id_batch in chunks(unique_ids, MAX_IDS_PER_CALL):
                body = self._get("channels", {"part": "statistics,contentDetails", "id": ",".join(id_batch)})
                by_id = {item.get("id"): item for item in self._items(body)}
                wanted = set(id_batch)
                for ref in with_id:
                    if ref.external_id not in wanted:
                        continue
                    item = by_id.get(ref.external_id)
                    if item is None:
                        results[ref.key] = AccountGone(f"youtube: channel {ref.external_id} not found")
                    else:
                        found.append((ref, item))
        except ProviderError as exc:
            return finish_after_call_failure(results, refs, exc)

        parsed: list[tuple[AccountRef, AccountStats, str]] = []
        for ref, item in found:
            try:
                account, uploads = self._channel_stats(ref, item)
            except MalformedResponse as exc:
                results[ref.key] = exc
                continue
            parsed.append((ref, account, uploads))
        try:
            self._fetch_posts(parsed, results)
        except ProviderError as exc:
            return finish_after_call_failure(results, refs, exc)
        return results

    def _fetch_posts(self, parsed: list[tuple[AccountRef, AccountStats, str]], results: FetchResult) -> None:
        """Fill in recent videos, flushing ``videos.list`` whenever 50 ids are queued."""
        group: list[tuple[AccountRef, AccountStats, list[tuple[str, Any]]]] = []
        queued = 0
        for ref, account, uploads in parsed:
            if not uploads or self.recent_posts == 0:
                results[ref.key] = account
                continue
            try:
                body = self._get(
                    "playlistItems",
                    {"part": "contentDetails", "playlistId": uploads, "maxResults": self.recent_posts},
                )
                videos = []
                for item in self._items(body)[: self.recent_posts]:
                    details = item.get("contentDetails") or {}
                    if not isinstance(details, dict) or not isinstance(details.get("videoId"), str):
                        raise MalformedResponse("youtube: playlist item without contentDetails.videoId")
                    videos.append((details["videoId"], details.get("videoPublishedAt")))
            except AccountGone:
                # No uploads playlist (a channel that never uploaded): the channel numbers still count.
                results[ref.key] = account
                continue
            except MalformedResponse as exc:
                results[ref.key] = exc
                continue
            if queued + len(videos) > MAX_IDS_PER_CALL and group:
                self._flush_videos(group, results)
                group, queued = [], 0
            group.append((ref, account, videos))
            queued += len(videos)
        if group:
            self._flush_videos(group, results)

    def _flush_videos(
        self, group: list[tuple[AccountRef, AccountStats, list[tuple[str, Any]]]], results: FetchResult
    ) -> None:
        ids = list(dict.fromkeys(video_id for _, _, videos in group for video_id, _ in videos))
        by_id: dict[Any, dict[str, Any]] = {}
        if ids:
            body = self._get("videos", {"part": "statistics", "id": ",".join(ids)})
            by_id = {item.get("id"): item for item in self._items(body)}
        for ref, account, videos in group:
            try:
                posts = [
                    self._video_post(video_id, published, by_id[video_id])
                    for video_id, published in videos
                    if video_id in by_id  # deleted or private videos vanish from videos.list
                ]
            except MalformedResponse as exc:
                results[ref.key] = exc
                continue
            posts.sort(key=lambda p: (p.published_at is not None, p.published_at), reverse=True)
            results[ref.key] = replace(account, posts=tuple(posts))

    # -- followed posts (issue 11) --------------------------------------------------------

    def _channel_id(self, account: AccountRef) -> str:
        if account.external_id:
            return account.external_id
        handle = account.handle if account.handle.startswith("@") else f"@{account.handle}"
        items = self._items(self._get("channels", {"part": "id", "forHandle": handle}))
        if not items or not isinstance(items[0].get("id"), str):
            raise AccountGone(f"youtube: no channel for handle {handle}")
        return items[0]["id"]

    def find_post(self, account: AccountRef, post_id: str) -> FoundPost:
        """``videos.list?part=snippet``: the video's ``snippet.channelId`` must be the account's channel (1–2 units)."""
        items = self._items(self._get("videos", {"part": "snippet", "id": post_id}))
        if not items:
            raise NotAccountPost(f"youtube: no public video {post_id}")
        snippet = items[0].get("snippet")
        if not isinstance(snippet, dict) or not isinstance(snippet.get("channelId"), str):
            raise MalformedResponse("youtube: video without snippet.channelId")
        if snippet["channelId"] != self._channel_id(account):
            raise NotAccountPost(f"youtube: video {post_id} belongs to channel {snippet['channelId']}")
        return FoundPost(post_id, parse_iso_datetime(snippet.get("publishedAt")))

    def fetch_posts(self, refs: Sequence[PostRef]) -> dict[str, PostMetrics | ProviderError]:
        """``videos.list?part=statistics`` for up to 50 videos a call, whoever's they are (1 unit per 50)."""
        results: dict[str, PostMetrics | ProviderError] = {}
        unique = list(dict.fromkeys(ref.post_id for ref in refs))
        try:
            for id_batch in chunks(unique, MAX_IDS_PER_CALL):
                body = self._get("videos", {"part": "statistics", "id": ",".join(id_batch)})
                by_id = {item.get("id"): item for item in self._items(body)}
                wanted = set(id_batch)
                for ref in refs:
                    if ref.post_id not in wanted:
                        continue
                    item = by_id.get(ref.post_id)
                    if item is None:  # deleted or made private
                        results[ref.key] = NotAccountPost(f"youtube: video {ref.post_id} is gone")
                        continue
                    try:
                        stats = self._video_post(ref.post_id, None, item)
                    except MalformedResponse as exc:
                        results[ref.key] = exc
                        continue
                    results[ref.key] = PostMetrics(
                        ref.post_id, stats.views, None, stats.likes, stats.comments, None, None
                    )
        except ProviderError as exc:
            return finish_after_call_failure(results, refs, exc)
        return results

    # -- audience demographics (issue 11) -----------------------------------------------------------

    def _report(self, token: str, params: Mapping[str, Any]) -> list[list[Any]]:
        """One YouTube Analytics ``reports.query`` with the owner's OAuth token; its ``rows``."""
        base, self.base_url = self.base_url, self.analytics_base_url
        try:
            body = self._request(
                "GET",
                "/v2/reports",
                params={"ids": "channel==MINE", **params},
                headers={"Authorization": f"Bearer {token}"},
            )
        finally:
            self.base_url = base
        rows = body.get("rows", [])  # absent when the channel had no views in the period
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise MalformedResponse("youtube analytics: rows is not a list of lists")
        return rows

    def fetch_demographics(self, account: AccountRef, *, today: date | None = None) -> Demographics:
        """Viewer percentages by age group and gender, and views by country, over the last 28 full days."""
        if not account.access_token:
            raise AuthError("youtube: the owner has not connected this channel (no OAuth token)")
        end = (today or datetime.now(UTC).date()) - timedelta(days=1)
        period = {"startDate": (end - timedelta(days=ANALYTICS_DAYS - 1)).isoformat(), "endDate": end.isoformat()}
        ages: dict[str, float] = {}
        genders: dict[str, float] = {}
        try:
            for age_group, gender, percent in self._report(
                account.access_token, {**period, "metrics": "viewerPercentage", "dimensions": "ageGroup,gender"}
            ):
                if age_group in _YT_AGES:
                    ages[_YT_AGES[age_group]] = ages.get(_YT_AGES[age_group], 0.0) + float(percent)
                if gender in _YT_GENDERS:
                    genders[_YT_GENDERS[gender]] = genders.get(_YT_GENDERS[gender], 0.0) + float(percent)
            countries = {
                str(country).upper(): float(views)
                for country, views in self._report(
                    account.access_token,
                    {**period, "metrics": "views", "dimensions": "country", "sort": "-views", "maxResults": 25},
                )
            }
        except (TypeError, ValueError) as exc:
            raise MalformedResponse(f"youtube analytics: unexpected row {exc!r}") from None
        return Demographics(countries=countries, ages=ages, genders=genders)
