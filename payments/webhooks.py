"""Stripe's events: verified, stored once (unique event id), applied once, in any order."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import services
from .models import Funding, WebhookEvent
from .providers.stripe_provider import verify_event

log = logging.getLogger(__name__)

PAID_SESSION_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


def receive_stripe(payload: bytes, signature: str | None) -> WebhookEvent:
    """Raises ValueError on a bad signature or body. Returns the stored event (applied now or before)."""
    event = verify_event(payload, signature)
    if not isinstance(event.get("id"), str) or not isinstance(event.get("data"), dict):
        raise ValueError("not an event")  # noqa: TRY004 - the view answers 400 to any ValueError
    try:
        with transaction.atomic():
            stored, _ = WebhookEvent.objects.get_or_create(
                provider="stripe",
                event_id=event["id"],
                defaults={"type": str(event.get("type", ""))[:64], "payload": event},
            )
    except IntegrityError:  # a concurrent delivery stored it first
        stored = WebhookEvent.objects.get(provider="stripe", event_id=event["id"])
    with transaction.atomic():
        stored = WebhookEvent.objects.select_for_update().get(pk=stored.pk)
        if stored.processed_at is None:
            _apply(stored.type, stored.payload["data"].get("object") or {})
            stored.processed_at = timezone.now()
            stored.save(update_fields=["processed_at"])
    return stored


def _apply(kind: str, obj: dict) -> None:
    if kind in PAID_SESSION_EVENTS:
        if obj.get("payment_status") != "paid":
            return  # async methods: wait for async_payment_succeeded
        funding_id = (obj.get("metadata") or {}).get("funding_id") or obj.get("client_reference_id")
        funding = Funding.objects.filter(pk=int(funding_id)).first() if str(funding_id or "").isdigit() else None
        if funding is None:
            log.warning("stripe %s for an unknown funding %r", kind, funding_id)
            return
        try:
            services.funding_mark_held(
                funding=funding,
                amount=int(obj.get("amount_total") or 0),
                currency=str(obj.get("currency") or ""),
                reference=str(obj.get("id", "")),
                payment_intent=str(obj.get("payment_intent") or ""),
            )
        except services.PaymentError:
            log.error("stripe %s: amount mismatch for funding %s", kind, funding.pk)
    elif kind == "account.updated":
        services.payout_account_update(
            external_id=str(obj.get("id", "")), payouts_enabled=bool(obj.get("payouts_enabled"))
        )
