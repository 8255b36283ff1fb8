"""Money: a double-entry ledger (integer minor units + currency) and the funding of each hired application.

Every movement is one ``LedgerTransaction`` whose ``Entry`` rows sum to zero per currency. The database refuses
anything else: a deferred constraint trigger (migration 0002) checks each touched transaction at commit, and
entries can be neither changed nor deleted. Balances are sums of entries, never stored.

Sign convention: money arriving in an account is positive, money leaving it negative. The brand's funding
account goes negative by what the brand paid in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Application
from creators.models import Creator


class Account(models.TextChoices):
    BRAND_FUNDING = "brand_funding", _("Brand funding")
    HELD = "held", _("Held for the application")
    PLATFORM_FEE = "platform_fee", _("Platform fee")
    CREATOR_OWED = "creator_owed", _("Owed to the creator")
    PAID_OUT = "paid_out", _("Paid out")
    REFUNDED = "refunded", _("Refunded")


class Movement(models.TextChoices):
    HOLD = "hold", _("Funds held")  # brand_funding → held (the brand paid)
    RELEASE = "release", _("Released")  # held → owed to the creator + platform fee (work approved)
    PAYOUT = "payout", _("Paid out")  # owed → paid out (transfer to the creator's account)
    REFUND = "refund", _("Refunded")  # held → refunded (cancelled before release)
    SPLIT = "split", _("Split")  # held → owed to the creator + platform fee + refunded (dispute split, pro rata)


# The moves that empty a hold: at most one of them per application (a DB constraint, migration 0003).
SETTLEMENTS = (Movement.RELEASE, Movement.REFUND, Movement.SPLIT)


class LedgerTransaction(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="ledger_transactions")
    kind = models.CharField(max_length=16, choices=Movement.choices)
    reference = models.CharField(max_length=255, blank=True, help_text=_("provider object id (transfer, refund…)"))
    memo = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Each movement happens at most once per application: a release (or hold, payout, refund) can never
            # be written twice, whatever the retries or concurrent workers do.
            models.UniqueConstraint(fields=["application", "kind"], name="ledger_one_movement_per_kind"),
            # A hold is settled once: release, refund or split, never two of them (disputes and pro rata refunds).
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind__in=["release", "refund", "split"]),
                name="ledger_one_settlement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} (application {self.application_id})"


class Entry(models.Model):
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.CharField(max_length=16, choices=Account.choices)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="ledger_entries")
    amount = models.BigIntegerField(help_text=_("minor units (cents); positive in, negative out"))
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = _("entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ledger_entry_currency_iso"),
        ]
        indexes = [models.Index(fields=["application", "account"], name="ledger_entry_app_account")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount} {self.currency}"


class FundingStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the brand's payment")
    HELD = "held", _("Funded")
    RELEASED = "released", _("Released, payout pending")
    PAID_OUT = "paid_out", _("Paid out")
    REFUNDED = "refunded", _("Refunded")
    CANCELLED = "cancelled", _("Cancelled")


class Funding(models.Model):
    """What a brand owes for one hired application, and where that money is."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="funding")
    provider = models.CharField(max_length=16)
    currency = models.CharField(max_length=3)
    fee = models.BigIntegerField(help_text=_("the creator's fee, minor units"))
    platform_fee = models.BigIntegerField(help_text=_("minor units"))
    status = models.CharField(
        max_length=16, choices=FundingStatus.choices, default=FundingStatus.REQUESTED, db_index=True
    )
    checkout_session_id = models.CharField(max_length=255, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True)
    charge_id = models.CharField(max_length=255, blank=True)
    transfer_id = models.CharField(max_length=255, blank=True)
    refund_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gt=0) & Q(platform_fee__gte=0), name="funding_amounts_valid"),
        ]

    def __str__(self) -> str:
        return f"Funding of application {self.application_id} ({self.status})"

    @property
    def total(self) -> int:
        return self.fee + self.platform_fee

    @property
    def fee_display(self) -> str:
        return _amount(self.fee, self.currency)

    @property
    def platform_fee_display(self) -> str:
        return _amount(self.platform_fee, self.currency)

    @property
    def total_display(self) -> str:
        return _amount(self.total, self.currency)


def _amount(minor: int, currency: str) -> str:
    return f"{minor // 100:,}.{minor % 100:02d} {currency}"


class PayoutAccount(models.Model):
    """A creator's connected account (Stripe Connect Express) or, offline, a note that payouts are settled by hand."""

    creator = models.OneToOneField(Creator, on_delete=models.CASCADE, related_name="payout_account")
    provider = models.CharField(max_length=16)
    external_id = models.CharField(max_length=255, blank=True)
    payouts_enabled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.provider} payout account of creator {self.creator_id}"


class WebhookEvent(models.Model):
    """Each provider event is applied once: its id is unique, and it is marked processed in the same transaction."""

    provider = models.CharField(max_length=16)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=64)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")]

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class DisputeSide(models.TextChoices):
    BRAND = "brand", _("The brand")
    CREATOR = "creator", _("The creator")


class DisputeOutcome(models.TextChoices):
    RELEASE = "release", _("Release all to the creator")
    REFUND = "refund", _("Refund all to the brand")
    SPLIT = "split", _("Split")


class Dispute(models.Model):
    """One side disagrees about a funded hire: while open, the held money does not move (payments/disputes.py)."""

    REASON_MAX = 2000

    funding = models.ForeignKey(Funding, on_delete=models.PROTECT, related_name="disputes")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="disputes")
    side = models.CharField(max_length=8, choices=DisputeSide.choices)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(max_length=REASON_MAX)
    status = models.CharField(max_length=8, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    outcome = models.CharField(max_length=8, choices=DisputeOutcome.choices, blank=True)
    to_creator = models.BigIntegerField(null=True, blank=True, help_text=_("minor units, on resolution"))
    to_platform = models.BigIntegerField(null=True, blank=True, help_text=_("minor units, on resolution"))
    to_brand = models.BigIntegerField(null=True, blank=True, help_text=_("minor units refunded, on resolution"))
    resolution_note = models.TextField(max_length=REASON_MAX, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["funding"], condition=Q(status="open"), name="dispute_one_open_per_funding"
            ),
            models.CheckConstraint(
                condition=Q(status="open", outcome="") | (Q(status="resolved") & ~Q(outcome="")),
                name="dispute_outcome_when_resolved",
            ),
        ]

    def __str__(self) -> str:
        return f"Dispute #{self.pk} on application {self.application_id} ({self.status})"

    @property
    def currency(self) -> str:
        return self.funding.currency

    @property
    def outcome_or_none(self) -> str | None:
        return self.outcome or None


# Receipts and statements (issue 10) live in their own module; imported here so Django sees their models.
from .document_models import PREFIXES, Document, DocumentCounter, DocumentKind, document_number  # noqa: E402

__all__ = [
    "PREFIXES",
    "Account",
    "Dispute",
    "DisputeOutcome",
    "DisputeSide",
    "DisputeStatus",
    "Document",
    "DocumentCounter",
    "DocumentKind",
    "Entry",
    "Funding",
    "FundingStatus",
    "LedgerTransaction",
    "Movement",
    "PayoutAccount",
    "WebhookEvent",
    "document_number",
]
