"""Fake Instagram Graph API: ``GET /vXX.X/{ig-user-id}?fields=business_discovery.username(x){...}``,
``GET /vXX.X/{ig-media-id}/insights?metric=...`` (Media Insights, with the media owner's token) and
``GET /vXX.X/{ig-user-id}/insights?metric=follower_demographics&breakdown=...`` (with the account owner's token).

It parses the Graph field-expansion syntax for real (nested ``{}``,
``.username()``/``.limit()`` modifiers) and returns only the fields asked for,
so a client asking for the wrong fields gets the wrong answer, as it would in
production. Errors use the Graph envelope
``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`` and
every response carries ``X-App-Usage`` / ``X-Business-Use-Case-Usage``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .data import FakeAccount, generated_account, stable_hex
from .server import FakePlatform, Reply, Request, retry_after_header

_PATH = re.compile(r"^/(v\d+\.\d+)/(\d+)$")
_INSIGHTS_PATH = re.compile(r"^/(v\d+\.\d+)/(\d+)/insights$")
MEDIA_METRICS = {"views", "reach", "likes", "comments", "shares", "saved", "total_interactions"}
BREAKDOWNS = {"country", "age", "gender", "city"}

Fields = dict[str, tuple[dict[str, str], "Fields | None"]]


def parse_fields(text: str) -> Fields:
    """``a,b.limit(3){c,d}`` → ``{"a": ({}, None), "b": ({"limit": "3"}, {"c":..., "d":...})}``."""
    fields, pos = _parse(text, 0)
    if pos != len(text):
        raise ValueError(f"unexpected {text[pos:]!r}")
    return fields


def _parse(text: str, pos: int) -> tuple[Fields, int]:
    fields: Fields = {}
    while pos < len(text) and text[pos] != "}":
        match = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(text, pos)
        if not match:
            raise ValueError(f"bad field at {pos}: {text[pos : pos + 20]!r}")
        name, pos = match.group(), match.end()
        modifiers: dict[str, str] = {}
        while pos < len(text) and text[pos] == ".":
            mod = re.compile(r"\.([A-Za-z_]+)\(([^()]*)\)").match(text, pos)
            if not mod:
                raise ValueError(f"bad modifier at {pos}")
            modifiers[mod.group(1)] = mod.group(2)
            pos = mod.end()
        sub: Fields | None = None
        if pos < len(text) and text[pos] == "{":
            sub, pos = _parse(text, pos + 1)
            if pos >= len(text) or text[pos] != "}":
                raise ValueError("unbalanced {")
            pos += 1
        fields[name] = (modifiers, sub)
        if pos < len(text) and text[pos] == ",":
            pos += 1
    return fields, pos


def _graph_error(status: int, code: int, message: str, *, subcode: int | None = None, **extra: Any) -> Reply:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEfFake"}
    if subcode is not None:
        error["error_subcode"] = subcode
    error.update(extra)
    return Reply(status, {"error": error})


class FakeInstagram(FakePlatform):
    name = "instagram"

    def __init__(
        self, *, access_token: str | None = "IGQ-test", ig_user_id: str = "17841405309211844", **kw: Any
    ) -> None:
        super().__init__(**kw)
        self.access_token = access_token
        self.ig_user_id = ig_user_id
        self.accounts: dict[str, FakeAccount] = {}
        self.gone: set[str] = set()
        self.usage_percent: float | None = None  # force the usage headers; else derived from the quota window
        self.owner_tokens: dict[str, FakeAccount] = {}  # a creator's own token → their account (insights)
        # follower_demographics per account id: {"country": {"US": 120, ...}, "age": {...}, "gender": {"F": ...}}
        self.demographics: dict[str, dict[str, dict[str, int]]] = {}

    def link(self, token: str, account: FakeAccount) -> FakeAccount:
        """``token`` is the account owner's own token (Instagram Login): it reads that account's insights."""
        self.owner_tokens[token] = account
        return self.add(account)

    @staticmethod
    def shortcode(post) -> str:
        return post.shortcode or stable_hex("shortcode", post.id, length=11)

    def add(self, account: FakeAccount) -> FakeAccount:
        self.accounts[account.handle.lower()] = account
        return account

    def _account(self, username: str) -> FakeAccount | None:
        key = username.lower()
        if key in self.gone:
            return None
        if key in self.accounts:
            return self.accounts[key]
        if self.generate_missing:
            return generated_account("instagram", "1784" + str(int(stable_hex("ig", key, length=12), 16))[:13], key)
        return None

    def _usage_headers(self) -> dict[str, str]:
        percent = self.usage_percent
        if percent is None:
            percent = self.quota_fill_percent() or 1.0
        percent = round(percent)
        return {
            "X-App-Usage": json.dumps(
                {"call_count": percent, "total_cputime": max(1, percent // 2), "total_time": max(1, percent // 2)}
            ),
            "X-Business-Use-Case-Usage": json.dumps(
                {
                    self.ig_user_id: [
                        {
                            "type": "instagram",
                            "call_count": percent,
                            "total_cputime": 1,
                            "total_time": 1,
                            "estimated_time_to_regain_access": 0,
                        }
                    ]
                }
            ),
        }

    def dispatch(self, request: Request) -> Reply:
        reply = super().dispatch(request)
        if isinstance(reply.body, dict):
            reply.headers.update(self._usage_headers())
        return reply

    def failure_reply(self, mode: str, request: Request, retry_after: float) -> Reply:
        if mode == "rate_limit":
            reply = _graph_error(429, 4, "Application request limit reached", is_transient=True)
            reply.headers.update(retry_after_header(retry_after))
            return reply
        if mode == "quota":
            return _graph_error(
                403, 80002, "There have been too many calls to this Instagram account.", is_transient=True
            )
        if mode == "auth":
            return _graph_error(400, 190, "Error validating access token: Session has expired.", subcode=463)
        if mode == "gone":
            return _graph_error(
                400,
                110,
                "Invalid user id",
                subcode=2207013,
                error_user_title="Cannot find User",
                error_user_msg="The user with username: x cannot be found.",
            )
        raise ValueError(mode)

    def route(self, request: Request) -> Reply:
        insights = _INSIGHTS_PATH.match(request.path)
        if request.method == "GET" and insights:
            return self._insights(request, insights.group(2))
        match = _PATH.match(request.path)
        if request.method != "GET" or not match:
            return _graph_error(400, 2500, "Unknown path components")
        if self.access_token is not None and request.query.get("access_token") != self.access_token:
            return self.failure_reply("auth", request, 0)
        if match.group(2) != self.ig_user_id:
            return _graph_error(400, 100, "Unsupported get request. Object does not exist", subcode=33)
        try:
            fields = parse_fields(request.query.get("fields", ""))
        except ValueError as exc:
            return _graph_error(400, 100, f"Syntax error: {exc}")
        if "business_discovery" not in fields:
            return Reply(200, {"id": self.ig_user_id})
        modifiers, sub = fields["business_discovery"]
        username = modifiers.get("username", "")
        account = self._account(username) if username else None
        if account is None:
            return self.failure_reply("gone", request, 0)
        return Reply(200, {"business_discovery": self._render(account, sub or {}), "id": self.ig_user_id})

    def _render(self, account: FakeAccount, sub: Fields) -> dict[str, Any]:
        values: dict[str, Any] = {
            "followers_count": account.followers,
            "follows_count": account.following,
            "media_count": account.posts_count,
            "username": account.handle,
            "name": account.handle.title(),
        }
        out: dict[str, Any] = {name: values[name] for name in sub if name in values}
        if "media" in sub:
            modifiers, media_fields = sub["media"]
            limit = int(modifiers.get("limit", "25"))
            wanted = media_fields or {"id": ({}, None)}
            data = []
            for post in account.posts[:limit]:
                item = {
                    "id": post.id,
                    "timestamp": post.published_at.strftime("%Y-%m-%dT%H:%M:%S+0000"),
                    # Read through business_discovery, hidden likes come back as 0.
                    "like_count": 0 if account.likes_hidden or post.likes is None else post.likes,
                    "comments_count": post.comments or 0,
                    "media_type": "VIDEO",
                    "media_product_type": "REELS",
                    "permalink": f"https://www.instagram.com/reel/{self.shortcode(post)}/",
                }
                data.append({k: v for k, v in item.items() if k in wanted})
            media: dict[str, Any] = {"data": data}
            if len(account.posts) > limit:
                media["paging"] = {"cursors": {"after": stable_hex("after", account.id, limit)}}
            out["media"] = media
        out["id"] = account.id
        return out

    # -- insights (the owner's token) ---------------------------------------------------------

    def _insights(self, request: Request, object_id: str) -> Reply:
        owner = self.owner_tokens.get(request.query.get("access_token", ""))
        if owner is None:
            return self.failure_reply("auth", request, 0)
        metrics = [m for m in request.query.get("metric", "").split(",") if m]
        if object_id == owner.id:
            return self._demographics(request, owner, metrics)
        post = next((p for p in owner.posts if p.id == object_id), None)
        if post is None:  # someone else's media, or deleted: the Graph API's "does not exist" answer
            return _graph_error(
                400,
                100,
                f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be loaded due to "
                "missing permissions, or does not support this operation.",
                subcode=33,
            )
        unknown = [m for m in metrics if m not in MEDIA_METRICS]
        if not metrics or unknown:
            return _graph_error(
                400, 100, f"(#100) metric[0] must be one of the following values: {sorted(MEDIA_METRICS)}"
            )
        values = {
            "views": post.views,
            "reach": post.reach,
            "likes": post.likes,
            "comments": post.comments,
            "shares": post.shares,
            "saved": post.saves,
        }
        values["total_interactions"] = sum(v or 0 for k, v in values.items() if k not in ("views", "reach"))
        data = [
            {
                "name": m,
                "period": "lifetime",
                "values": [{"value": values[m] or 0}],
                "title": m.replace("_", " ").title(),
                "description": f"The number of {m} of this media.",
                "id": f"{object_id}/insights/{m}/lifetime",
            }
            for m in metrics
        ]
        return Reply(200, {"data": data})

    def _demographics(self, request: Request, owner: FakeAccount, metrics: list[str]) -> Reply:
        breakdown = request.query.get("breakdown", "")
        if (
            metrics != ["follower_demographics"]
            or request.query.get("period") != "lifetime"
            or request.query.get("metric_type") != "total_value"
            or breakdown not in BREAKDOWNS
        ):
            return _graph_error(400, 100, "(#100) Incompatible metric, period, metric_type or breakdown")
        counts = self.demographics.get(owner.id, {}).get(breakdown, {})
        results = [{"dimension_values": [key], "value": value} for key, value in counts.items()]
        return Reply(
            200,
            {
                "data": [
                    {
                        "name": "follower_demographics",
                        "period": "lifetime",
                        "title": "Follower demographics",
                        "description": "The demographic characteristics of followers.",
                        "total_value": {"breakdowns": [{"dimension_keys": [breakdown], "results": results}]},
                        "id": f"{owner.id}/insights/follower_demographics/lifetime",
                    }
                ]
            },
        )
