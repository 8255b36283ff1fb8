"""Fake TikTok API v2: ``GET /v2/user/info/``, ``POST /v2/video/list/`` and ``POST /v2/video/query/``.

Envelope ``{"data": {...}, "error": {"code": "ok", "message": "", "log_id": ...}}``;
a Bearer token per creator. Tokens registered with ``link(token, account)``
are used as is; with ``generate_missing`` any token starting ``act.`` maps to
a generated account, so a benchmark can invent 100,000 creators.
``page_cap`` makes video/list return fewer videos than ``max_count`` while
``has_more`` stays true, which the docs warn can happen.
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

from .data import FakeAccount, generated_account, stable_hex
from .server import FakePlatform, Reply, Request, retry_after_header

_log_ids = itertools.count(202606011200000000)


def _envelope(
    status: int, data: Any, code: str = "ok", message: str = "", headers: dict[str, str] | None = None
) -> Reply:
    return Reply(
        status,
        {"data": data, "error": {"code": code, "message": message, "log_id": str(next(_log_ids))}},
        headers or {},
    )


class FakeTikTok(FakePlatform):
    name = "tiktok"

    def __init__(self, *, page_cap: int | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.page_cap = page_cap
        self.tokens: dict[str, FakeAccount] = {}
        self.revoked: set[str] = set()
        self.missing_stats_scope: set[str] = set()
        self.video_list_bodies: deque[Any] = deque(maxlen=2000)

    def link(self, token: str, account: FakeAccount) -> FakeAccount:
        self.tokens[token] = account
        return account

    def _account(self, request: Request) -> FakeAccount | None:
        auth = request.headers.get("authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
        if not token or token in self.revoked:
            return None
        if token in self.tokens:
            return self.tokens[token]
        if self.generate_missing and token.startswith("act."):
            return generated_account("tiktok", stable_hex("tt", token, length=32), token[4:].lower())
        return None

    def failure_reply(self, mode: str, request: Request, retry_after: float) -> Reply:
        if mode in ("rate_limit", "quota"):
            return _envelope(
                429, {}, "rate_limit_exceeded", "API rate limit was exceeded.", retry_after_header(retry_after)
            )
        if mode in ("auth", "gone"):
            # A deleted account or a revoked authorisation both surface as an invalid token.
            return _envelope(
                401, {}, "access_token_invalid", "The access token is invalid or not found in the request."
            )
        raise ValueError(mode)

    def route(self, request: Request) -> Reply:
        account = self._account(request)
        if account is None:
            return self.failure_reply("auth", request, 0)
        fields = [f for f in request.query.get("fields", "").split(",") if f]
        if request.path == "/v2/user/info/" and request.method == "GET":
            return self._user_info(request, account, fields)
        if request.path == "/v2/video/list/" and request.method == "POST":
            return self._video_list(request, account, fields)
        if request.path == "/v2/video/query/" and request.method == "POST":
            return self._video_query(request, account, fields)
        return _envelope(404, {}, "invalid_params", f"No route {request.method} {request.path}")

    def _user_info(self, request: Request, account: FakeAccount, fields: list[str]) -> Reply:
        stats = {"follower_count", "following_count", "likes_count", "video_count"}
        token = request.headers.get("authorization", "")[len("Bearer ") :]
        if token in self.missing_stats_scope and stats & set(fields):
            return _envelope(401, {}, "scope_not_authorized", "The user did not authorize the scope required.")
        values = {
            "open_id": account.id,
            "union_id": stable_hex("union", account.id, length=32),
            "username": account.handle,
            "display_name": account.handle.title(),
            "follower_count": account.followers,
            "following_count": account.following,
            "likes_count": account.total_likes,
            "video_count": account.posts_count,
        }
        return _envelope(200, {"user": {f: values[f] for f in fields if f in values}})

    @staticmethod
    def _video_values(post) -> dict[str, Any]:
        return {
            "id": post.id,
            "create_time": int(post.published_at.timestamp()),
            "like_count": post.likes,
            "comment_count": post.comments,
            "share_count": post.shares,
            "view_count": post.views,
        }

    def _video_query(self, request: Request, account: FakeAccount, fields: list[str]) -> Reply:
        """Only the token owner's videos come back; ids of anyone else's are silently left out."""
        try:
            body = request.json() or {}
        except ValueError:
            return _envelope(400, {}, "invalid_params", "Body is not JSON")
        ids = (body.get("filters") or {}).get("video_ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not 1 <= len(ids) <= 20:
            return _envelope(400, {}, "invalid_params", "filters.video_ids must hold 1 to 20 ids")
        wanted = set(map(str, ids))
        videos = []
        for post in account.posts:
            if post.id in wanted:
                values = self._video_values(post)
                videos.append({f: values[f] for f in fields if f in values and values[f] is not None})
        return _envelope(200, {"videos": videos, "cursor": 0, "has_more": False})

    def _video_list(self, request: Request, account: FakeAccount, fields: list[str]) -> Reply:
        try:
            body = request.json() or {}
        except ValueError:
            return _envelope(400, {}, "invalid_params", "Body is not JSON")
        self.video_list_bodies.append(body)
        max_count = body.get("max_count", 10)
        if not isinstance(max_count, int) or not 1 <= max_count <= 20:
            return _envelope(400, {}, "invalid_params", "max_count must be between 1 and 20")
        cursor = body.get("cursor")
        posts = account.posts
        if cursor is not None:
            posts = [p for p in posts if p.published_at.timestamp() * 1000 < cursor]
        page_size = min(max_count, self.page_cap) if self.page_cap else max_count
        page = posts[:page_size]
        videos = []
        for post in page:
            values = {
                "id": post.id,
                "create_time": int(post.published_at.timestamp()),
                "like_count": post.likes,
                "comment_count": post.comments,
                "share_count": post.shares,
                "view_count": post.views,
            }
            videos.append({f: values[f] for f in fields if f in values and values[f] is not None})
        next_cursor = int(page[-1].published_at.timestamp() * 1000) if page else cursor or 0
        return _envelope(200, {"videos": videos, "cursor": next_cursor, "has_more": len(posts) > len(page)})
