"""TikTok API v2 adapter (Login Kit / Display API).

TikTok only lets a creator's own OAuth token read their stats, so every
``AccountRef`` carries its ``access_token`` and each account costs one
``/v2/user/info/`` call plus one or more ``/v2/video/list/`` pages. There is
no batching across accounts, which is why ``max_batch`` is only a task-size
hint. A bad token is that creator's problem (AuthError in their entry), not
the batch's; a 429 stops the batch (every later call would get one too).
TikTok documents no "account gone" error: a deleted account or a revoked
authorisation shows up as ``access_token_invalid``, hence AuthError (re-link).

Paging: ``video/list`` takes ``{"max_count": 20, "cursor": <ms>}`` and may
return fewer than ``max_count`` even when ``has_more`` is true, so we loop on
``has_more``/``cursor`` until ``recent_posts`` videos are in hand, with a page
cap so a server that never advances its cursor cannot keep us spinning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import requests

from .base import (
    AccountRef,
    AccountStats,
    AuthError,
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
    chunks,
    finish_after_call_failure,
    parse_retry_after,
    utc_from_timestamp,
)

USER_FIELDS = "open_id,username,follower_count,following_count,likes_count,video_count"
VIDEO_FIELDS = "id,create_time,like_count,comment_count,share_count,view_count"
MAX_COUNT = 20  # the documented maximum page size
MAX_QUERY_IDS = 20  # video/query: at most 20 video ids per call
_AUTH_CODES = {"access_token_invalid", "scope_not_authorized", "scope_permission_missed", "token_expired"}


class TikTokProvider(HttpProvider):
    """Creator-authorised TikTok stats; 600 requests per minute per endpoint (sliding window)."""

    platform = "tiktok"
    max_batch = 25
    requests_per_minute = 600
    default_base_url = "https://open.tiktokapis.com"

    def __init__(
        self,
        *,
        base_url: str = default_base_url,
        recent_posts: int = 12,
        timeout: float | tuple[float, float] = (5.0, 20.0),
        session: requests.Session | None = None,
        requests_per_minute: int | None = None,
    ) -> None:
        super().__init__(base_url, timeout=timeout, session=session, requests_per_minute=requests_per_minute)
        self.recent_posts = recent_posts

    def _platform_error(self, response: requests.Response, body: Any) -> ProviderError | None:
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return None
        code = error.get("code")
        if code == "ok" and response.status_code < 400:
            return None
        detail = f"{error.get('message', '')} (log_id {error.get('log_id', '')})"
        message = f"tiktok: HTTP {response.status_code}: {code}: {detail}"
        if code == "rate_limit_exceeded" or response.status_code == 429:
            return RateLimited(message, retry_after=parse_retry_after(response.headers.get("Retry-After"), 60.0))
        if code in _AUTH_CODES or response.status_code == 401:
            return AuthError(message)
        if response.status_code >= 500 or code == "internal_error":
            return TransientError(message)
        return ProviderError(message)

    def _fetch_one(self, ref: AccountRef) -> AccountStats:
        if not ref.access_token:
            raise AuthError("tiktok: no access token for this account; the creator must link TikTok")
        headers = {"Authorization": f"Bearer {ref.access_token}"}
        body = self._request("GET", "/v2/user/info/", params={"fields": USER_FIELDS}, headers=headers)
        user = (body.get("data") or {}).get("user") if isinstance(body.get("data"), dict) else None
        if not isinstance(user, dict):
            raise MalformedResponse("tiktok: data.user missing")
        posts = self._recent_videos(headers) if self.recent_posts > 0 else []
        return AccountStats(
            external_id=str(user.get("open_id") or ref.external_id),
            handle=str(user.get("username") or ref.handle),
            # Missing without the user.info.stats scope: unknown, not zero.
            followers=as_int(user.get("follower_count")),
            following=as_int(user.get("following_count")),
            posts_count=as_int(user.get("video_count")),
            total_views=None,
            total_likes=as_int(user.get("likes_count")),
            posts=tuple(posts),
        )

    def _recent_videos(self, headers: dict[str, str]) -> list[PostStats]:
        posts: list[PostStats] = []
        cursor: Any = None
        max_pages = math.ceil(self.recent_posts / MAX_COUNT) + 5
        for _ in range(max_pages):
            payload: dict[str, Any] = {"max_count": min(MAX_COUNT, self.recent_posts - len(posts))}
            if cursor is not None:
                payload["cursor"] = cursor
            body = self._request(
                "POST", "/v2/video/list/", params={"fields": VIDEO_FIELDS}, json_body=payload, headers=headers
            )
            data = body.get("data")
            if not isinstance(data, dict) or not isinstance(data.get("videos", []), list):
                raise MalformedResponse("tiktok: data.videos missing")
            for video in data.get("videos", []):
                if not isinstance(video, dict) or "id" not in video:
                    raise MalformedResponse("tiktok: video without id")
                posts.append(
                    PostStats(
                        external_id=str(video["id"]),
                        published_at=utc_from_timestamp(video.get("create_time")),
                        likes=as_int(video.get("like_count")),
                        comments=as_int(video.get("comment_count")),
                        views=as_int(video.get("view_count")),
                        shares=as_int(video.get("share_count")),
                    )
                )
            next_cursor = data.get("cursor")
            if len(posts) >= self.recent_posts or not data.get("has_more") or next_cursor in (None, cursor):
                break
            cursor = next_cursor
        posts = posts[: self.recent_posts]
        posts.sort(key=lambda p: (p.published_at is not None, p.published_at), reverse=True)
        return posts

    def fetch(self, refs: Sequence[AccountRef]) -> FetchResult:
        results: FetchResult = {}
        for ref in refs:
            try:
                results[ref.key] = self._fetch_one(ref)
            except (AuthError, MalformedResponse) as exc:
                results[ref.key] = exc
            except ProviderError as exc:
                return finish_after_call_failure(results, refs, exc)
        return results

    # -- followed posts (issue 11) --------------------------------------------------------

    def _query(self, token: str, video_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``POST /v2/video/query/``: the creator's own videos among ``video_ids`` (others' simply do not come back)."""
        body = self._request(
            "POST",
            "/v2/video/query/",
            params={"fields": VIDEO_FIELDS},
            json_body={"filters": {"video_ids": list(video_ids)}},
            headers={"Authorization": f"Bearer {token}"},
        )
        data = body.get("data")
        videos = data.get("videos", []) if isinstance(data, dict) else None
        if not isinstance(videos, list) or not all(isinstance(v, dict) and "id" in v for v in videos):
            raise MalformedResponse("tiktok: data.videos missing")
        return {str(v["id"]): v for v in videos}

    def find_post(self, account: AccountRef, post_id: str) -> FoundPost:
        """The handle in the address is checked by the caller; with the creator's token, video/query confirms it."""
        if not account.access_token:
            return FoundPost(post_id)
        video = self._query(account.access_token, [post_id]).get(post_id)
        if video is None:
            raise NotAccountPost(f"tiktok: video {post_id} is not a video of this account")
        return FoundPost(post_id, utc_from_timestamp(video.get("create_time")))

    def fetch_posts(self, refs: Sequence[PostRef]) -> dict[str, PostMetrics | ProviderError]:
        results: dict[str, PostMetrics | ProviderError] = {}
        by_token: dict[str, list[PostRef]] = {}
        for ref in refs:
            if ref.account.access_token:
                by_token.setdefault(ref.account.access_token, []).append(ref)
            else:
                results[ref.key] = AuthError("tiktok: no access token for this account; the creator must link TikTok")
        try:
            for token, group in by_token.items():
                for batch in chunks(group, MAX_QUERY_IDS):
                    try:
                        videos = self._query(token, list(dict.fromkeys(ref.post_id for ref in batch)))
                    except (AuthError, MalformedResponse) as exc:  # this creator's token, this body
                        for ref in batch:
                            results[ref.key] = exc
                        continue
                    for ref in batch:
                        video = videos.get(ref.post_id)
                        if video is None:
                            results[ref.key] = NotAccountPost(f"tiktok: video {ref.post_id} is gone")
                            continue
                        results[ref.key] = PostMetrics(
                            ref.post_id,
                            views=as_int(video.get("view_count")),
                            reach=None,
                            likes=as_int(video.get("like_count")),
                            comments=as_int(video.get("comment_count")),
                            shares=as_int(video.get("share_count")),
                            saves=None,
                            published_at=utc_from_timestamp(video.get("create_time")),
                        )
        except ProviderError as exc:
            return finish_after_call_failure(results, refs, exc)
        return results
