"""Receipts (for the brand, one per funding, when its money is held) and statements (for the creator, one per
payout), numbered without gaps per kind and per year: R-2026-000001, S-2026-000001.

A document is a snapshot: the parties, the campaign, the amounts and the provider's reference are copied when it
is issued, so it reads the same forever (a brand renamed later does not rewrite last year's receipt). It is issued
once per funding and kind (a unique constraint) and never renumbered.

Numbers come from one ``DocumentCounter`` row per (kind, year), locked (``SELECT … FOR UPDATE``) inside the
transaction that issues the document: concurrent issuers queue on the row, and a rolled-back issue rolls its
increment back too, so the sequence has no gaps and no duplicates. Imported by ``payments.models``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    STATEMENT = "statement", _("Payout statement")


PREFIXES = {DocumentKind.RECEIPT: "R", DocumentKind.STATEMENT: "S"}


class DocumentCounter(models.Model):
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0, help_text=_("the last number given out this year"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="document_counter_per_kind_year")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class Document(models.Model):
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=20, unique=True)
    funding = models.ForeignKey("payments.Funding", on_delete=models.PROTECT, related_name="documents")
    transaction = models.OneToOneField(
        "payments.LedgerTransaction", on_delete=models.PROTECT, related_name="document", null=True, blank=True
    )
    issued_at = models.DateTimeField(help_text=_("when the money moved (the hold, or the payout)"))
    # The snapshot printed on the document.
    brand_name = models.CharField(max_length=120)
    creator_name = models.CharField(max_length=120)
    creator_handle = models.CharField(max_length=60)
    campaign_title = models.CharField(max_length=200)
    currency = models.CharField(max_length=3)
    fee = models.BigIntegerField(help_text=_("the creator's fee, minor units"))
    platform_fee = models.BigIntegerField(help_text=_("minor units"))
    reference = models.CharField(max_length=255, blank=True, help_text=_("the provider's payment or transfer id"))
    provider = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["funding", "kind"], name="document_once_per_funding_kind"),
            models.UniqueConstraint(fields=["kind", "year", "sequence"], name="document_sequence_unique"),
            models.CheckConstraint(condition=Q(sequence__gt=0), name="document_sequence_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def total(self) -> int:
        return self.fee + self.platform_fee

    @property
    def is_receipt(self) -> bool:
        return self.kind == DocumentKind.RECEIPT


def document_number(kind: str, year: int, sequence: int) -> str:
    return f"{PREFIXES[kind]}-{year}-{sequence:06d}"
