"""Stripe: Checkout on the platform account, "separate charges and transfers" (transfer_group = the application),
Connect Express accounts onboarded through account links. Every POST carries an idempotency key derived from the
object it is about, so a retry after a crash gets Stripe's first answer back instead of moving money twice."""

from __future__ import annotations

import uuid

import stripe
from django.conf import settings

from .base import Checkout, ProviderError, ProviderRefused


def transfer_group(application_id: int) -> str:
    return f"application-{application_id}"


def _client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE.rstrip("/")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses={"api": base, "connect": base}, max_network_retries=0
    )


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
        raise ProviderError(str(exc)) from exc
    except stripe.StripeError as exc:
        status = getattr(exc, "http_status", None) or 0
        if status >= 500 or status == 409:  # 409: an idempotent request still in flight
            raise ProviderError(str(exc)) from exc
        raise ProviderRefused(getattr(exc, "user_message", None) or str(exc)) from exc


class StripeProvider:
    name = "stripe"

    def start_checkout(self, funding, *, success_url: str, cancel_url: str) -> Checkout:
        application = funding.application
        session = _call(
            _client().v1.checkout.sessions.create,
            params={
                "mode": "payment",
                "client_reference_id": str(funding.pk),
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": funding.currency.lower(),
                            "unit_amount": funding.total,
                            "product_data": {
                                "name": f"{application.campaign.title} — {application.creator.display_name}"
                            },
                        },
                    }
                ],
                "payment_intent_data": {
                    "transfer_group": transfer_group(application.pk),
                    "metadata": {"funding_id": str(funding.pk)},
                },
                "metadata": {"funding_id": str(funding.pk), "application_id": str(application.pk)},
                "success_url": success_url,
                "cancel_url": cancel_url,
            },
            options={"idempotency_key": f"checkout-{funding.pk}"},
        )
        return Checkout(session_id=session.id, url=session.url)

    def transfer(self, funding, *, destination: str, amount: int | None = None) -> str:
        """``amount``: what is owed to the creator (the fee, or a split's part); the fee by default."""
        transfer = _call(
            _client().v1.transfers.create,
            params={
                "amount": funding.fee if amount is None else amount,
                "currency": funding.currency.lower(),
                "destination": destination,
                "transfer_group": transfer_group(funding.application_id),
                "metadata": {"funding_id": str(funding.pk)},
            },
            options={"idempotency_key": f"payout-{funding.pk}"},
        )
        return transfer.id

    def transfers_for(self, application_id: int) -> list[dict]:
        """Every transfer Stripe has for the application's transfer group (all pages)."""
        listing = _call(
            _client().v1.transfers.list, params={"transfer_group": transfer_group(application_id), "limit": 100}
        )
        return [
            {
                "id": t.id,
                "amount": t.amount,
                "currency": t.currency.upper(),
                "reversed": bool(getattr(t, "reversed", False)),
            }
            for t in _call(lambda: list(listing.auto_paging_iter()))
        ]

    def refund(self, funding, amount: int | None = None) -> str:
        """The whole payment, or ``amount`` of it (a split or a pro rata refund). One refund per funding: the key."""
        if not funding.payment_intent_id:
            raise ProviderRefused("No payment to refund.")
        refund = _call(
            _client().v1.refunds.create,
            params={
                "payment_intent": funding.payment_intent_id,
                **({"amount": amount} if amount is not None else {}),
                "metadata": {"funding_id": str(funding.pk)},
            },
            options={"idempotency_key": f"refund-{funding.pk}"},
        )
        return refund.id

    def create_account(self, creator) -> str:
        account = _call(
            _client().v1.accounts.create,
            params={
                "type": "express",
                "email": creator.user.email,
                "capabilities": {"transfers": {"requested": True}},
                "metadata": {"creator_id": str(creator.pk)},
            },
            options={"idempotency_key": f"account-creator-{creator.pk}"},
        )
        return account.id

    def account_link(self, account_id: str, *, refresh_url: str, return_url: str) -> str:
        link = _call(
            _client().v1.account_links.create,
            params={
                "account": account_id,
                "refresh_url": refresh_url,
                "return_url": return_url,
                "type": "account_onboarding",
            },
            options={"idempotency_key": f"account-link-{uuid.uuid4().hex}"},
        )  # links are single-use
        return link.url

    def payouts_enabled(self, account_id: str) -> bool:
        return bool(_call(_client().v1.accounts.retrieve, account_id).payouts_enabled)


def verify_event(payload: bytes, signature: str | None) -> dict:
    """The event, if ``signature`` (the Stripe-Signature header) is valid for our webhook secret; else ValueError."""
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=300)
    except stripe.SignatureVerificationError as exc:
        raise ValueError("bad signature") from exc
    return event.to_dict() if hasattr(event, "to_dict") else dict(event)
