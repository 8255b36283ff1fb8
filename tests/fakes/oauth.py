"""Fake OAuth servers of Instagram (Instagram API with Instagram Login), TikTok (Login Kit v2) and Google.

One HTTP server plays every host the flows touch; the product reaches it through
``OAUTH_ENDPOINT_OVERRIDE``, which sends ``https://HOST/PATH`` to ``<fake>/HOST/PATH``. It speaks each
platform's documented JSON:

* consent pages (``/www.tiktok.com/v2/auth/authorize/``, ``/api.instagram.com/oauth/authorize``,
  ``/accounts.google.com/o/oauth2/v2/auth``) answer 302 to ``redirect_uri`` with ``code`` and ``state``
  (or ``error=access_denied`` after ``deny_next()``), as the real page does once the person consents;
* code exchanges check the client credentials, the ``redirect_uri`` of the consent and PKCE's
  ``code_verifier`` (S256) when the consent carried a challenge; a code works once;
* refresh grants (TikTok and Google) and Instagram's long-lived token exchange and refresh;
* the profile calls: TikTok ``/v2/user/info/``, Instagram ``graph.instagram.com/me``, Google's userinfo
  and YouTube's ``channels.list?mine=true``.

``consent(provider, handle=..., external_id=...)`` says who signs in on the next consent page.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from .server import FakePlatform, Reply, Request

_ids = itertools.count(1)


@dataclass
class Person:
    provider: str
    handle: str
    external_id: str


@dataclass
class Grant:
    person: Person
    client_id: str
    redirect_uri: str
    challenge: str


class FakeOAuth(FakePlatform):
    name = "oauth"

    def __init__(self, *, clients: dict[str, tuple[str, str]], **kw: Any) -> None:
        super().__init__(**kw)
        self.clients = clients  # provider → (client id, secret)
        self.next_person: dict[str, Person] = {}
        self.deny: set[str] = set()
        self.codes: dict[str, Grant] = {}
        self.access: dict[str, Person] = {}  # token → who
        self.refresh: dict[str, Person] = {}
        self.exchanges: list[dict[str, str]] = []

    # -- test controls -------------------------------------------------------

    def consent(self, provider: str, *, handle: str, external_id: str) -> Person:
        person = Person(provider, handle, external_id)
        self.next_person[provider] = person
        return person

    def deny_next(self, provider: str) -> None:
        self.deny.add(provider)

    def revoke_refresh_tokens(self) -> None:
        self.refresh.clear()

    # -- dispatch -------------------------------------------------------------

    def failure_reply(self, mode: str, request: Request, retry_after: float) -> Reply:
        if mode in ("rate_limit", "quota"):
            return Reply(429, {"error": "rate_limited"}, {"Retry-After": str(int(retry_after) or 1)})
        return Reply(401, {"error": "invalid_token"})

    def route(self, request: Request) -> Reply:
        host, _, path = request.path.lstrip("/").partition("/")
        path = "/" + path
        form = {k: v[-1] for k, v in parse_qs(request.body.decode() or "", keep_blank_values=True).items()}
        table = {
            ("www.tiktok.com", "/v2/auth/authorize/"): lambda: self._authorize("tiktok", request, "client_key"),
            ("api.instagram.com", "/oauth/authorize"): lambda: self._authorize("instagram", request, "client_id"),
            ("accounts.google.com", "/o/oauth2/v2/auth"): lambda: self._authorize("google", request, "client_id"),
            ("open.tiktokapis.com", "/v2/oauth/token/"): lambda: self._tiktok_token(form),
            ("open.tiktokapis.com", "/v2/user/info/"): lambda: self._tiktok_user(request),
            ("api.instagram.com", "/oauth/access_token"): lambda: self._instagram_code(form),
            ("graph.instagram.com", "/access_token"): lambda: self._instagram_long(request.query),
            ("graph.instagram.com", "/refresh_access_token"): lambda: self._instagram_refresh(request.query),
            ("graph.instagram.com", "/me"): lambda: self._instagram_me(request.query),
            ("oauth2.googleapis.com", "/token"): lambda: self._google_token(form),
            ("www.googleapis.com", "/oauth2/v2/userinfo"): lambda: self._google_userinfo(request),
            ("www.googleapis.com", "/youtube/v3/channels"): lambda: self._youtube_channels(request),
        }
        handler = table.get((host, path))
        if handler is None:
            return Reply(404, {"error": f"no route {request.method} {host}{path}"})
        return handler()

    # -- consent and code exchange ---------------------------------------------

    def _authorize(self, provider: str, request: Request, client_param: str) -> Reply:
        query = request.query
        redirect_uri = query.get("redirect_uri", "")
        if query.get(client_param) != self.clients[provider][0] or not redirect_uri:
            return Reply(400, "<html><body>Invalid client</body></html>")
        state = query.get("state", "")
        if provider in self.deny:
            self.deny.discard(provider)
            params = {"error": "access_denied", "error_description": "The user denied the request", "state": state}
            return Reply(302, "", {"Location": f"{redirect_uri}?{urlencode(params)}"})
        person = self.next_person.get(provider)
        if person is None:
            return Reply(400, "<html><body>Nobody is signed in on the fake</body></html>")
        code = f"code-{provider}-{next(_ids)}-{secrets.token_hex(4)}"
        self.codes[code] = Grant(person, query[client_param], redirect_uri, query.get("code_challenge", ""))
        params = {"code": code, "state": state}
        return Reply(302, "", {"Location": f"{redirect_uri}?{urlencode(params)}"})

    def _redeem(self, provider: str, form: dict[str, str], client_param: str) -> Person | None:
        client_id, secret = self.clients[provider]
        self.exchanges.append({"provider": provider, **{k: v for k, v in form.items() if k != "client_secret"}})
        if form.get(client_param) != client_id or form.get("client_secret") != secret:
            return None
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or grant.redirect_uri != form.get("redirect_uri"):
            return None
        if grant.challenge:
            verifier = form.get("code_verifier", "").encode()
            expected = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if expected != grant.challenge:
                return None
        return grant.person

    def _tokens(self, person: Person, prefix: str) -> tuple[str, str]:
        access, refresh = f"{prefix}.{secrets.token_hex(8)}", f"r{prefix}.{secrets.token_hex(8)}"
        self.access[access] = person
        self.refresh[refresh] = person
        return access, refresh

    def _bearer(self, request: Request) -> Person | None:
        auth = request.headers.get("authorization", "")
        return self.access.get(auth[len("Bearer ") :]) if auth.startswith("Bearer ") else None

    # -- TikTok -------------------------------------------------------------------

    def _tiktok_token(self, form: dict[str, str]) -> Reply:
        if form.get("grant_type") == "refresh_token":
            self.exchanges.append({"provider": "tiktok", "grant_type": "refresh_token"})
            person = self.refresh.pop(form.get("refresh_token", ""), None)
            ok = form.get("client_key") == self.clients["tiktok"][0]
        else:
            person, ok = self._redeem("tiktok", form, "client_key"), True
        if person is None or not ok:
            return Reply(400, {"error": "invalid_grant", "error_description": "Authorization code is expired."})
        access, refresh = self._tokens(person, "act")
        return Reply(
            200,
            {
                "access_token": access,
                "expires_in": 86400,
                "open_id": person.external_id,
                "refresh_expires_in": 31536000,
                "refresh_token": refresh,
                "scope": "user.info.basic,user.info.profile,user.info.stats,video.list",
                "token_type": "Bearer",
            },
        )

    def _tiktok_user(self, request: Request) -> Reply:
        person = self._bearer(request)
        error = {"code": "ok", "message": "", "log_id": "20261207000000"}
        if person is None:
            error = {**error, "code": "access_token_invalid", "message": "The access token is invalid."}
            return Reply(401, {"data": {}, "error": error})
        values = {"open_id": person.external_id, "username": person.handle, "display_name": person.handle.title()}
        fields = [f for f in request.query.get("fields", "").split(",") if f]
        return Reply(200, {"data": {"user": {f: values[f] for f in fields if f in values}}, "error": error})

    # -- Instagram ----------------------------------------------------------------

    def _instagram_code(self, form: dict[str, str]) -> Reply:
        person = self._redeem("instagram", form, "client_id")
        if person is None:
            return Reply(
                400, {"error_type": "OAuthException", "code": 400, "error_message": "Invalid authorization code"}
            )
        access, _refresh = self._tokens(person, "IGshort")
        return Reply(
            200,
            {"access_token": access, "user_id": int(person.external_id), "permissions": ["instagram_business_basic"]},
        )

    def _instagram_long(self, query: dict[str, str]) -> Reply:
        person = self.access.get(query.get("access_token", ""))
        if person is None or query.get("client_secret") != self.clients["instagram"][1]:
            return Reply(400, {"error": {"message": "Invalid OAuth access token", "type": "OAuthException"}})
        access, _refresh = self._tokens(person, "IGlong")
        return Reply(200, {"access_token": access, "token_type": "bearer", "expires_in": 5183944})

    def _instagram_refresh(self, query: dict[str, str]) -> Reply:
        token = query.get("access_token", "")
        person = self.access.get(token) if token.startswith("IGlong") else None
        if person is None or query.get("grant_type") != "ig_refresh_token":
            return Reply(400, {"error": {"message": "Invalid OAuth access token", "type": "OAuthException"}})
        access, _refresh = self._tokens(person, "IGlong")
        return Reply(200, {"access_token": access, "token_type": "bearer", "expires_in": 5183944})

    def _instagram_me(self, query: dict[str, str]) -> Reply:
        person = self.access.get(query.get("access_token", ""))
        if person is None:
            return Reply(400, {"error": {"message": "Invalid OAuth access token", "type": "OAuthException"}})
        return Reply(200, {"id": person.external_id, "username": person.handle})

    # -- Google / YouTube -----------------------------------------------------------

    def _google_token(self, form: dict[str, str]) -> Reply:
        if form.get("grant_type") == "refresh_token":
            self.exchanges.append({"provider": "google", "grant_type": "refresh_token"})
            person = self.refresh.get(form.get("refresh_token", ""))  # Google's refresh token stays valid
            if person is None or form.get("client_id") != self.clients["google"][0]:
                return Reply(400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
            access = f"ya29.{secrets.token_hex(8)}"
            self.access[access] = person
            return Reply(200, {"access_token": access, "expires_in": 3599, "token_type": "Bearer"})
        person = self._redeem("google", form, "client_id")
        if person is None:
            return Reply(400, {"error": "invalid_grant", "error_description": "Bad Request"})
        access, refresh = self._tokens(person, "ya29")
        scope = "https://www.googleapis.com/auth/youtube.readonly"
        return Reply(
            200,
            {
                "access_token": access,
                "expires_in": 3599,
                "refresh_token": refresh,
                "scope": scope,
                "token_type": "Bearer",
            },
        )

    def _google_userinfo(self, request: Request) -> Reply:
        person = self._bearer(request)
        if person is None:
            return Reply(401, {"error": {"code": 401, "message": "Invalid Credentials", "status": "UNAUTHENTICATED"}})
        return Reply(200, {"id": f"1{person.external_id[-8:].encode().hex()}", "name": person.handle.title()})

    def _youtube_channels(self, request: Request) -> Reply:
        person = self._bearer(request)
        if person is None:
            return Reply(401, {"error": {"code": 401, "message": "Invalid Credentials", "status": "UNAUTHENTICATED"}})
        if request.query.get("mine") != "true":
            return Reply(400, {"error": {"code": 400, "message": "No filter selected."}})
        items = (
            []
            if not person.external_id
            else [
                {
                    "kind": "youtube#channel",
                    "etag": "fake",
                    "id": person.external_id,
                    "snippet": {"title": person.handle.title(), "customUrl": f"@{person.handle}"},
                }
            ]
        )
        return Reply(200, {"kind": "youtube#channelListResponse", "etag": "fake", "items": items})
