"""Fake YouTube Data API v3: channels.list, playlistItems.list, videos.list.

Shapes follow research §4.1: counts as strings, ``items`` omitted when
nothing matched, errors as ``{"error": {"code", "message", "errors": [{"reason"}]}}``.
It also keeps a unit counter against ``daily_quota`` (1 unit per call, failed
calls included) and answers 403 quotaExceeded past it, like the real thing.
"""

from __future__ import annotations

from typing import Any

from .data import FakeAccount, FakePost, generated_account, stable_hex
from .server import FakePlatform, Reply, Request, retry_after_header

MAX_IDS = 50


def _error(code: int, reason: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    body = {
        "error": {
            "code": code,
            "message": message,
            "errors": [
                {"message": message, "domain": "youtube.quota" if "uota" in reason else "global", "reason": reason}
            ],
        }
    }
    return Reply(code, body, headers or {})


class FakeYouTube(FakePlatform):
    name = "youtube"

    def __init__(self, *, api_key: str | None = "test-key", daily_quota: int | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.api_key = api_key
        self.daily_quota = daily_quota
        self.units_used = 0
        self.accounts: dict[str, FakeAccount] = {}
        self.handles: dict[str, str] = {}
        self.videos: dict[str, FakePost] = {}
        self.video_channel: dict[str, str] = {}  # video id → channel id (videos.list snippet.channelId)
        self.gone: set[str] = set()  # channel ids or handles that answer as deleted
        self.max_ids_per_call = 0
        # YouTube Analytics (``GET /v2/reports``, the channel owner's OAuth token): token → channel id, and per
        # channel the rows of viewerPercentage by ageGroup,gender and of views by country.
        self.owner_tokens: dict[str, str] = {}
        self.age_gender_rows: dict[str, list[list[Any]]] = {}
        self.country_rows: dict[str, list[list[Any]]] = {}

    def add(self, account: FakeAccount) -> FakeAccount:
        self.accounts[account.id] = account
        self.handles[account.handle.lower().lstrip("@")] = account.id
        for post in account.posts:
            self.videos[post.id] = post
            self.video_channel[post.id] = account.id
        return account

    # -- lookup -----------------------------------------------------------

    def _by_id(self, channel_id: str) -> FakeAccount | None:
        if channel_id in self.gone:
            return None
        if channel_id in self.accounts:
            return self.accounts[channel_id]
        if self.generate_missing and channel_id.startswith("UC"):
            return generated_account("youtube", channel_id, "h" + channel_id[2:12].lower())
        return None

    def _by_handle(self, handle: str) -> FakeAccount | None:
        handle = handle.lstrip("@").lower()
        if handle in self.gone:
            return None
        if handle in self.handles:
            return self._by_id(self.handles[handle])
        if self.generate_missing:
            return generated_account("youtube", "UC" + stable_hex("yt", handle), handle)
        return None

    def _video(self, video_id: str) -> FakePost | None:
        if video_id in self.videos:
            return self.videos[video_id]
        channel_id, _, index = video_id.rpartition(".")
        account = self._by_id(channel_id) if channel_id not in self.accounts else None
        if account is not None and index.isdigit() and int(index) < len(account.posts):
            return account.posts[int(index)]
        return None

    # -- HTTP -------------------------------------------------------------

    def failure_reply(self, mode: str, request: Request, retry_after: float) -> Reply:
        if mode == "quota":
            return _error(403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota.")
        if mode == "rate_limit":
            return _error(429, "rateLimitExceeded", "The request was rate limited.", retry_after_header(retry_after))
        if mode == "auth":
            return _error(400, "keyInvalid", "API key not valid. Please pass a valid API key.")
        if mode == "gone":
            if request.path.endswith("/channels"):
                return Reply(
                    200, {"kind": "youtube#channelListResponse", "pageInfo": {"totalResults": 0, "resultsPerPage": 5}}
                )
            return _error(
                404,
                "playlistNotFound",
                "The playlist identified with the request's playlistId parameter cannot be found.",
            )
        raise ValueError(mode)

    def route(self, request: Request) -> Reply:
        if request.path == "/v2/reports":
            return self._analytics(request)
        self.units_used += 1
        if self.daily_quota is not None and self.units_used > self.daily_quota:
            return self.failure_reply("quota", request, 0)
        if self.api_key is not None and request.query.get("key") != self.api_key:
            return self.failure_reply("auth", request, 0)
        if request.method != "GET":
            return _error(405, "methodNotAllowed", "Method not allowed")
        handlers = {
            "/youtube/v3/channels": self._channels,
            "/youtube/v3/playlistItems": self._playlist_items,
            "/youtube/v3/videos": self._videos,
        }
        handler = handlers.get(request.path)
        if handler is None:
            return _error(404, "notFound", f"No such resource {request.path}")
        return handler(request)

    def _ids(self, request: Request) -> list[str] | Reply:
        ids = [i for i in request.query.get("id", "").split(",") if i]
        self.max_ids_per_call = max(self.max_ids_per_call, len(ids))
        if len(ids) > MAX_IDS:
            return _error(400, "invalidParameter", f"At most {MAX_IDS} ids may be given")
        return ids

    def _channels(self, request: Request) -> Reply:
        if "forHandle" in request.query:
            found = [self._by_handle(request.query["forHandle"])]
        else:
            ids = self._ids(request)
            if isinstance(ids, Reply):
                return ids
            found = [self._by_id(i) for i in ids]
        items = []
        for account in found:
            if account is None:
                continue
            items.append(
                {
                    "kind": "youtube#channel",
                    "etag": stable_hex("etag", account.id, length=27),
                    "id": account.id,
                    "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UU" + account.id[2:]}},
                    "statistics": {
                        "viewCount": str(account.total_views),
                        # The API reports 0 with hiddenSubscriberCount=true; the client must not believe it.
                        "subscriberCount": "0" if account.hidden_followers else str(account.followers),
                        "hiddenSubscriberCount": account.hidden_followers,
                        "videoCount": str(account.posts_count),
                    },
                }
            )
        body: dict[str, Any] = {
            "kind": "youtube#channelListResponse",
            "etag": "fake",
            "pageInfo": {"totalResults": len(items), "resultsPerPage": 5},
        }
        if items:  # omitted when nothing matched, as the real API does
            body["items"] = items
        return Reply(200, body)

    def _playlist_items(self, request: Request) -> Reply:
        playlist = request.query.get("playlistId", "")
        account = self._by_id("UC" + playlist[2:]) if playlist.startswith("UU") else None
        if account is None:
            return self.failure_reply("gone", request, 0)
        try:
            limit = int(request.query.get("maxResults", "5"))
        except ValueError:
            limit = -1
        if not 0 <= limit <= 50:
            return _error(400, "invalidParameter", "maxResults must be between 0 and 50")
        posts = account.posts[:limit]
        body: dict[str, Any] = {
            "kind": "youtube#playlistItemListResponse",
            "pageInfo": {"totalResults": len(account.posts), "resultsPerPage": limit},
            "items": [
                {
                    "kind": "youtube#playlistItem",
                    "id": stable_hex("pi", post.id),
                    "contentDetails": {
                        "videoId": post.id,
                        "videoPublishedAt": post.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    },
                }
                for post in posts
            ],
        }
        if len(account.posts) > limit:
            body["nextPageToken"] = "CAUQAA"
        return Reply(200, body)

    def _videos(self, request: Request) -> Reply:
        ids = self._ids(request)
        if isinstance(ids, Reply):
            return ids
        items = []
        for video_id in ids:
            post = self._video(video_id)
            if post is None:
                continue
            parts = set(request.query.get("part", "").split(","))
            item: dict[str, Any] = {"kind": "youtube#video", "id": video_id}
            if "snippet" in parts:
                item["snippet"] = {
                    "publishedAt": post.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "channelId": self.video_channel.get(video_id, video_id.rpartition(".")[0]),
                    "title": f"Video {video_id}",
                }
            if "statistics" in parts:
                stats = {"viewCount": str(post.views or 0), "favoriteCount": "0"}
                if post.likes is not None:  # hidden likes: the field is simply absent
                    stats["likeCount"] = str(post.likes)
                if post.comments is not None:  # comments disabled: absent too
                    stats["commentCount"] = str(post.comments)
                item["statistics"] = stats
            items.append(item)
        return Reply(
            200, {"kind": "youtube#videoListResponse", "pageInfo": {"totalResults": len(items)}, "items": items}
        )

    # -- YouTube Analytics API -----------------------------------------------------------------

    def _analytics(self, request: Request) -> Reply:
        auth = request.headers.get("authorization", "")
        channel = self.owner_tokens.get(auth[len("Bearer ") :] if auth.startswith("Bearer ") else "")
        if channel is None:
            return _error(401, "authError", "Request had invalid authentication credentials.")
        q = request.query
        if q.get("ids") != "channel==MINE" or not q.get("startDate") or not q.get("endDate"):
            return _error(400, "required", "ids, startDate and endDate are required")
        if (q.get("metrics"), q.get("dimensions")) == ("viewerPercentage", "ageGroup,gender"):
            headers = [("ageGroup", "DIMENSION", "STRING"), ("gender", "DIMENSION", "STRING")]
            headers.append(("viewerPercentage", "METRIC", "FLOAT"))
            rows = self.age_gender_rows.get(channel, [])
        elif (q.get("metrics"), q.get("dimensions")) == ("views", "country"):
            headers = [("country", "DIMENSION", "STRING"), ("views", "METRIC", "INTEGER")]
            rows = sorted(self.country_rows.get(channel, []), key=lambda r: -r[1])[: int(q.get("maxResults", "100"))]
        else:
            return _error(400, "badRequest", "Unsupported query")
        body: dict[str, Any] = {
            "kind": "youtubeAnalytics#resultTable",
            "columnHeaders": [{"name": n, "columnType": c, "dataType": d} for n, c, d in headers],
        }
        if rows:  # omitted when the channel had no views in the period
            body["rows"] = rows
        return Reply(200, body)
