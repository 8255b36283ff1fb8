"""Receipts and statements: issued when the money moves, read by their own side only, shown as a page and a PDF.

- A **receipt** is issued to the brand in the transaction that holds its payment (the ledger's HOLD movement),
  a **statement** to the creator in the transaction that pays them out (PAYOUT). Both come from the ledger:
  ``on_movement`` listens to new ``LedgerTransaction`` rows (connected in ``PaymentsConfig.ready``), so every
  path that moves money (Stripe's webhook, an admin offline, the Celery payout) issues them the same way, and a
  movement that rolls back takes its document and its number with it.
- Numbers: ``allocate`` locks the (kind, year) counter row; see ``payments/document_models.py``.
- Only the brand's members read a receipt, only the creator reads a statement; anyone else gets a 404.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from campaigns.permissions import brand_ids_of

from .ledger import format_minor
from .models import (
    Account,
    Document,
    DocumentCounter,
    DocumentKind,
    Entry,
    Funding,
    LedgerTransaction,
    Movement,
    document_number,
)

KIND_OF_MOVEMENT = {Movement.HOLD: DocumentKind.RECEIPT, Movement.PAYOUT: DocumentKind.STATEMENT}


@transaction.atomic
def allocate(kind: str, year: int) -> int:
    """The next number of ``kind`` in ``year``: 1, 2, 3… without gaps. The counter row is created on first use
    (a concurrent first use is absorbed by ``ignore_conflicts``) and locked until the caller's transaction ends,
    so the number is given out only if the caller commits."""
    DocumentCounter.objects.bulk_create([DocumentCounter(kind=kind, year=year, last=0)], ignore_conflicts=True)
    counter = DocumentCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def issue(*, funding: Funding, kind: str, movement: LedgerTransaction | None = None) -> Document:
    """The funding's document of ``kind``, issued now if it was not already (never twice, never renumbered)."""
    existing = Document.objects.filter(funding=funding, kind=kind).first()
    if existing is not None:
        return existing
    application = funding.application
    issued_at = movement.created_at if movement is not None else timezone.now()
    year = timezone.localdate(issued_at).year
    sequence = allocate(kind, year)
    return Document.objects.create(
        kind=kind,
        year=year,
        sequence=sequence,
        number=document_number(kind, year, sequence),
        funding=funding,
        transaction=movement,
        issued_at=issued_at,
        brand_name=application.campaign.brand.name,
        creator_name=application.creator.display_name,
        creator_handle=application.creator.handle,
        campaign_title=application.campaign.title,
        currency=funding.currency,
        **_amounts(funding, kind),
        reference=(movement.reference if movement is not None else "") or "",
        provider=funding.provider,
    )


def _amounts(funding: Funding, kind: str) -> dict[str, int]:
    """A receipt states what the brand paid; a statement what the creator was owed and paid (a dispute's split
    or a pro rata end pays less than the fee), read from the ledger's settlement entries, which precede the
    payout. The platform fee on a statement is what the platform kept of this hire."""
    if kind == DocumentKind.RECEIPT:
        return {"fee": funding.fee, "platform_fee": funding.platform_fee}
    kept = Entry.objects.filter(
        application_id=funding.application_id,
        account__in=[Account.CREATOR_OWED, Account.PLATFORM_FEE],
        amount__gt=0,
        currency=funding.currency,
    )
    sums = dict(kept.values_list("account").annotate(total=Sum("amount")).values_list("account", "total"))
    return {"fee": sums.get(Account.CREATOR_OWED, 0), "platform_fee": sums.get(Account.PLATFORM_FEE, 0)}


def on_movement(sender, instance: LedgerTransaction, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save of a ledger movement: a hold issues the brand's receipt, a payout the creator's statement."""
    kind = KIND_OF_MOVEMENT.get(instance.kind)
    if not created or raw or kind is None:
        return
    funding = (
        Funding.objects.select_related("application__campaign__brand", "application__creator")
        .filter(application_id=instance.application_id)
        .first()
    )
    if funding is not None:
        issue(funding=funding, kind=kind, movement=instance)


def issue_missing() -> int:
    """Documents for movements written before receipts existed (``manage.py issue_documents``), oldest first so
    the numbers follow the dates. Returns how many were issued; a second run issues none."""
    issued = 0
    movements = (
        LedgerTransaction.objects.filter(kind__in=list(KIND_OF_MOVEMENT), document__isnull=True)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    for pk in list(movements):
        with transaction.atomic():
            movement = LedgerTransaction.objects.get(pk=pk)
            funding = Funding.objects.select_related("application__campaign__brand", "application__creator").get(
                application_id=movement.application_id
            )
            kind = KIND_OF_MOVEMENT[movement.kind]
            if not Document.objects.filter(funding=funding, kind=kind).exists():
                issue(funding=funding, kind=kind, movement=movement)
                issued += 1
    return issued


# --- reading -------------------------------------------------------------------------------------------------


def can_read(user, document: Document) -> bool:
    """A receipt: the brand's members. A statement: the creator. Nobody else (staff read them in the admin)."""
    if not getattr(user, "is_authenticated", False):
        return False
    application = document.funding.application
    if document.kind == DocumentKind.RECEIPT:
        return application.campaign.brand_id in brand_ids_of(user)
    return application.creator.user_id == user.pk


def document_for(*, user, number: str) -> Document:
    document = (
        Document.objects.select_related("funding__application__campaign", "funding__application__creator")
        .filter(number=number)
        .first()
    )
    if document is None or not can_read(user, document):
        raise Http404
    return document


def documents_of(funding: Funding | None) -> dict[str, Document]:
    """{"receipt": …, "statement": …} of one funding, for the pages that show its status (one query)."""
    if funding is None:
        return {}
    found = Document.objects.filter(funding=funding).select_related(
        "funding__application__campaign", "funding__application__creator"
    )
    return {d.kind: d for d in found}


def lines(document: Document) -> dict[str, str]:
    """The document's amounts written with the ledger's money formatter (minor units, currency code)."""
    return {
        "fee": format_minor(document.fee, document.currency),
        "platform_fee": format_minor(document.platform_fee, document.currency),
        "total": format_minor(document.total, document.currency),
    }
