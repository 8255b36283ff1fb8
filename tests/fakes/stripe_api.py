"""A fake Stripe API (real HTTP on 127.0.0.1) speaking Stripe's JSON, for the real ``stripe`` SDK.

Covers what the payments app calls: Checkout sessions (and a fake hosted Checkout page), payment intents,
transfers (listed by transfer group), refunds, Connect accounts and account links. Idempotency keys are honoured
as Stripe does: the same key replays the first answer (and a different body under the same key is a 400).
``pay(session_id)`` completes a session as a card payment would, and ``event(...)`` builds a signed webhook
(the ``Stripe-Signature`` header Stripe sends, computed with the webhook secret).

For browser tests the fake also serves what a person clicks through: the hosted Checkout page ("Pay") and the
Connect onboarding page an account link opens ("Agree and submit"). With ``webhook_url`` set, each of them then
sends its signed webhook there (``checkout.session.completed``, ``account.updated``), as Stripe would, before
sending the browser back to the success or return address.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from html import escape
from typing import Any
from urllib.parse import parse_qsl

from .server import FakePlatform, Reply, Request

_ids = itertools.count(1)


def _id(prefix: str) -> str:
    return f"{prefix}_fake{next(_ids):06d}"


def _error(status: int, kind: str, message: str, code: str = "") -> Reply:
    return Reply(status, {"error": {"type": kind, "message": message, **({"code": code} if code else {})}})


def nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (``a[b][0][c]=v``) back into nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt_is_index = not last and parts[i + 1].isdigit()
            if isinstance(node, list):
                idx = int(part)
                while len(node) <= idx:
                    node.append({} if not last else None)
                if last:
                    node[idx] = value
                else:
                    if not isinstance(node[idx], (dict, list)):
                        node[idx] = [] if nxt_is_index else {}
                    node = node[idx]
            else:
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, [] if nxt_is_index else {})
    return root


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<link rel='icon' href='data:,'><title>{title}</title></head>"  # no favicon request to the fake
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    )


class FakeStripe(FakePlatform):
    name = "stripe"

    def __init__(self, *, api_key: str = "sk_test_fake", webhook_secret: str = "whsec_fake") -> None:
        super().__init__(generate_missing=False)
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.sessions: dict[str, dict] = {}
        self.payment_intents: dict[str, dict] = {}
        self.transfers: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.accounts: dict[str, dict] = {}
        self.account_links: list[dict] = []
        self.idempotency_keys: list[str] = []
        self._replies: dict[str, tuple[str, Reply]] = {}
        self._state = threading.Lock()
        self.balance = 10**9  # platform balance (minor units) available for transfers
        self.webhook_url: str | None = None  # where the hosted pages send their webhooks (browser tests)
        self.deliveries: list[tuple[str, int]] = []  # (event type, HTTP status the endpoint answered)

    # -- HTTP ---------------------------------------------------------------

    def route(self, request: Request) -> Reply:
        if request.path.startswith("/checkout/pay/"):
            return self._hosted_checkout(request)
        if request.path.startswith("/connect/onboarding/"):
            return self._hosted_onboarding(request)
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(401, "invalid_request_error", "Invalid API Key provided.")
        if request.method == "POST":
            key = request.headers.get("idempotency-key")
            if key:
                self.idempotency_keys.append(key)
                with self._state:
                    seen = self._replies.get(key)
                    if seen is not None:
                        if seen[0] != request.body.decode():
                            return _error(
                                400,
                                "idempotency_error",
                                "Keys for idempotent requests can only be "
                                "used with the same parameters they were first used with.",
                            )
                        return Reply(seen[1].status, seen[1].body, {**seen[1].headers, "Idempotent-Replayed": "true"})
                    reply = self._route(request)
                    self._replies[key] = (request.body.decode(), reply)
                    return reply
        with self._state:
            return self._route(request)

    def _route(self, request: Request) -> Reply:
        form = nest(parse_qsl(request.body.decode(), keep_blank_values=True))
        if request.method == "GET" and request.query:
            form = nest(list(request.query.items()))
        parts = [p for p in request.path.split("/") if p]
        m = request.method
        if parts[:3] == ["v1", "checkout", "sessions"]:
            if m == "POST" and len(parts) == 3:
                return self._create_session(form)
            if m == "GET" and len(parts) == 4:
                return self._get(self.sessions, parts[3], "checkout.session")
        if parts[:2] == ["v1", "payment_intents"] and m == "GET" and len(parts) == 3:
            return self._get(self.payment_intents, parts[2], "payment_intent")
        if parts == ["v1", "transfers"]:
            if m == "POST":
                return self._create_transfer(form)
            return self._list_transfers(form)
        if parts == ["v1", "refunds"] and m == "POST":
            return self._create_refund(form)
        if parts == ["v1", "accounts"] and m == "POST":
            acct = {
                "id": _id("acct"),
                "object": "account",
                "type": form.get("type", "express"),
                "email": form.get("email"),
                "charges_enabled": False,
                "payouts_enabled": False,
                "details_submitted": False,
                "metadata": form.get("metadata", {}),
            }
            self.accounts[acct["id"]] = acct
            return Reply(200, acct)
        if parts[:2] == ["v1", "accounts"] and m == "GET" and len(parts) == 3:
            return self._get(self.accounts, parts[2], "account")
        if parts == ["v1", "account_links"] and m == "POST":
            if form.get("account") not in self.accounts:
                return _error(400, "invalid_request_error", "No such account", "resource_missing")
            link = {
                "object": "account_link",
                "created": int(time.time()),
                "expires_at": int(time.time()) + 300,
                "url": f"{self.url}/connect/onboarding/{form['account']}",
                "account": form["account"],
                "return_url": form.get("return_url"),
                "refresh_url": form.get("refresh_url"),
            }
            self.account_links.append(link)
            return Reply(200, link)
        return _error(404, "invalid_request_error", f"Unrecognized request URL ({m}: {request.path}).")

    def _get(self, table: dict, key: str, kind: str) -> Reply:
        if key not in table:
            return _error(404, "invalid_request_error", f"No such {kind}: '{key}'", "resource_missing")
        return Reply(200, table[key])

    def _create_session(self, form: dict) -> Reply:
        items = form.get("line_items") or []
        try:
            amount = sum(int(i["price_data"]["unit_amount"]) * int(i.get("quantity", 1)) for i in items)
            currency = items[0]["price_data"]["currency"]
        except (KeyError, IndexError, ValueError, TypeError):
            return _error(400, "invalid_request_error", "line_items is invalid", "parameter_invalid")
        sid = _id("cs_test")
        session = {
            "id": sid,
            "object": "checkout.session",
            "mode": form.get("mode"),
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount,
            "currency": currency,
            "client_reference_id": form.get("client_reference_id"),
            "metadata": form.get("metadata", {}),
            "payment_intent": None,
            "success_url": form.get("success_url"),
            "cancel_url": form.get("cancel_url"),
            "url": f"{self.url}/checkout/pay/{sid}",
            "payment_intent_data": form.get("payment_intent_data", {}),
        }
        self.sessions[sid] = session
        return Reply(200, session)

    def _create_transfer(self, form: dict) -> Reply:
        dest = form.get("destination")
        if dest not in self.accounts:
            return _error(400, "invalid_request_error", f"No such destination: '{dest}'", "resource_missing")
        amount = int(form.get("amount", 0))
        if amount > self.balance:
            return _error(400, "invalid_request_error", "Insufficient funds", "balance_insufficient")
        self.balance -= amount
        transfer = {
            "id": _id("tr"),
            "object": "transfer",
            "amount": amount,
            "currency": form.get("currency"),
            "destination": dest,
            "transfer_group": form.get("transfer_group"),
            "metadata": form.get("metadata", {}),
            "reversed": False,
            "created": int(time.time()),
        }
        self.transfers[transfer["id"]] = transfer
        return Reply(200, transfer)

    def _list_transfers(self, form: dict) -> Reply:
        """``GET /v1/transfers``: newest first, ``transfer_group`` filter, ``limit`` (1..100, default 10) and
        ``starting_after`` paging, in Stripe's list envelope (``has_more`` says whether another page follows)."""
        group = form.get("transfer_group")
        try:
            limit = int(form.get("limit", 10))
        except ValueError:
            return _error(400, "invalid_request_error", "Invalid integer: limit", "parameter_invalid_integer")
        if not 1 <= limit <= 100:
            return _error(400, "invalid_request_error", "limit must be between 1 and 100", "parameter_invalid")
        rows = [t for t in reversed(list(self.transfers.values())) if group is None or t["transfer_group"] == group]
        after = form.get("starting_after")
        if after:
            ids = [t["id"] for t in rows]
            if after not in ids:
                return _error(400, "invalid_request_error", f"No such transfer: '{after}'", "resource_missing")
            rows = rows[ids.index(after) + 1 :]
        page = rows[:limit]
        return Reply(200, {"object": "list", "url": "/v1/transfers", "has_more": len(rows) > limit, "data": page})

    def _create_refund(self, form: dict) -> Reply:
        pi = self.payment_intents.get(form.get("payment_intent", ""))
        if pi is None or pi["status"] != "succeeded":
            return _error(400, "invalid_request_error", "No such payment_intent", "resource_missing")
        refunded = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == pi["id"])
        try:
            amount = int(form.get("amount", pi["amount"] - refunded))
        except ValueError:
            return _error(400, "invalid_request_error", "Invalid integer: amount", "parameter_invalid_integer")
        if amount <= 0 or amount > pi["amount"] - refunded:
            return _error(
                400,
                "invalid_request_error",
                "Refund amount is greater than unrefunded amount on charge.",
                "amount_too_large",
            )
        refund = {
            "id": _id("re"),
            "object": "refund",
            "amount": amount,
            "currency": pi["currency"],
            "payment_intent": pi["id"],
            "status": "succeeded",
            "metadata": form.get("metadata", {}),
        }
        self.refunds[refund["id"]] = refund
        return Reply(200, refund)

    def _hosted_checkout(self, request: Request) -> Reply:
        """The fake hosted Checkout page: a "Pay" button that completes the session and goes to success_url."""
        sid = request.path.rsplit("/", 1)[-1]
        session = self.sessions.get(sid)
        if session is None:
            return Reply(404, "<html><body>No such session</body></html>")
        if request.method == "POST":
            paid = self.pay(sid)
            self.deliver("checkout.session.completed", paid)
            return Reply(303, "", {"Location": session["success_url"]})
        return Reply(
            200,
            _page(
                "Fake Checkout",
                f"<p>{session['amount_total']} {escape(str(session['currency']))}</p>"
                "<form method='post'><button type='submit'>Pay</button></form>",
            ),
        )

    def _hosted_onboarding(self, request: Request) -> Reply:
        """The Connect Express onboarding an account link opens: "Agree and submit" makes the account able to
        receive payouts, sends ``account.updated`` and goes back to the link's return_url."""
        account_id = request.path.rsplit("/", 1)[-1]
        link = next((lk for lk in reversed(self.account_links) if lk["account"] == account_id), None)
        if account_id not in self.accounts or link is None:
            return Reply(404, _page("Fake Connect", "<p>No such account link</p>"))
        if request.method == "POST":
            self.deliver("account.updated", self.enable_payouts(account_id))
            return Reply(303, "", {"Location": link["return_url"]})
        return Reply(
            200,
            _page(
                "Fake Connect onboarding",
                f"<p>Account {escape(account_id)}</p>"
                "<form method='post'><button type='submit'>Agree and submit</button></form>",
            ),
        )

    def deliver(self, kind: str, obj: dict) -> int | None:
        """Send a signed webhook to ``webhook_url`` (if set), as Stripe does; returns the endpoint's status."""
        if not self.webhook_url:
            return None
        body, signature = self.event(kind, obj)
        request = urllib.request.Request(
            self.webhook_url,
            data=body,
            headers={"Content-Type": "application/json", "Stripe-Signature": signature},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - a local test address
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        self.deliveries.append((kind, status))
        return status

    # -- what Stripe does by itself ------------------------------------------

    def pay(self, session_id: str) -> dict:
        """The customer pays: the session completes, a payment intent succeeds. Returns the session."""
        with self._state:
            session = self.sessions[session_id]
            if session["payment_intent"] is None:
                pi = {
                    "id": _id("pi"),
                    "object": "payment_intent",
                    "amount": session["amount_total"],
                    "currency": session["currency"],
                    "status": "succeeded",
                    "transfer_group": (session.get("payment_intent_data") or {}).get("transfer_group"),
                    "latest_charge": _id("ch"),
                }
                self.payment_intents[pi["id"]] = pi
                session.update(status="complete", payment_status="paid", payment_intent=pi["id"])
            return dict(session)

    def enable_payouts(self, account_id: str) -> dict:
        with self._state:
            self.accounts[account_id].update(payouts_enabled=True, charges_enabled=True, details_submitted=True)
            return dict(self.accounts[account_id])

    def event(
        self,
        kind: str,
        obj: dict,
        *,
        event_id: str | None = None,
        secret: str | None = None,
        timestamp: int | None = None,
    ) -> tuple[bytes, str]:
        """A webhook delivery: (body, Stripe-Signature header), signed as Stripe signs (HMAC-SHA256, v1)."""
        body = json.dumps(
            {
                "id": event_id or _id("evt"),
                "object": "event",
                "type": kind,
                "api_version": "2025-01-01",
                "created": int(time.time()),
                "livemode": False,
                "data": {"object": obj},
            }
        ).encode()
        ts = int(time.time()) if timestamp is None else timestamp
        signature = hmac.new(
            (secret or self.webhook_secret).encode(), f"{ts}.".encode() + body, hashlib.sha256
        ).hexdigest()
        return body, f"t={ts},v1={signature}"

    def failure_reply(self, mode: str, request: Request, retry_after: float) -> Reply:
        if mode in ("rate_limit", "quota"):
            return Reply(
                429, {"error": {"type": "invalid_request_error", "code": "rate_limit", "message": "Too many requests"}}
            )
        if mode == "auth":
            return _error(401, "invalid_request_error", "Invalid API Key provided.")
        return _error(500, "api_error", "Something went wrong on Stripe's end.")
