"""Settling a hold in one move: all to the creator, all back to the brand, or a split (disputes, pro rata refunds).

Amounts (integer minor units, docs/PAYMENTS.md "Splits and pro rata"):

- ``split_amounts``: the creator gets ``to_creator`` (0..fee); the platform keeps its fee in proportion to what the
  creator gets (platform fee × to_creator / fee, rounded half up); the brand is refunded the rest of what it paid.
  All to the creator is a plain release (the whole platform fee), nothing to the creator a whole refund.
- ``deliverable_shares``: the creator's fee split over the hire's deliverables (oldest first), in whole minor
  units; the remainder cents go one each to the first ones: 100.00 over 3 → 33.34, 33.33, 33.33.

``settle`` writes one balanced ledger transaction (kind release, refund or split: the database lets a hold be
settled once), refunds the brand's part through the provider (an idempotency key per funding) and moves the
funding: released (payout queued) when the creator gets something, refunded otherwise. The caller holds the
funding's row lock and has checked it is HELD.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from . import ledger, tasks
from .models import Account, Funding, FundingStatus, Movement
from .providers import provider


def split_amounts(funding: Funding, to_creator: int) -> tuple[int, int, int]:
    """(to the creator, kept by the platform, refunded to the brand), summing to what the brand paid."""
    if not 0 <= to_creator <= funding.fee:
        raise ValueError(f"{to_creator} is not between 0 and the fee {funding.fee}")
    platform = int(
        (Decimal(funding.platform_fee) * to_creator / funding.fee).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    return to_creator, platform, funding.total - to_creator - platform


def deliverable_shares(fee: int, count: int) -> list[int]:
    """``fee`` over ``count`` deliverables in whole minor units; the first ``fee % count`` get one unit more."""
    if count <= 0:
        return []
    base, extra = divmod(fee, count)
    return [base + 1] * extra + [base] * (count - extra)


def settle(funding: Funding, *, to_creator: int, actor=None, note: str = "", memo: str = "") -> tuple[int, int, int]:
    """Empty the hold of a locked, HELD funding: ``to_creator`` owed to the creator, the platform's share, the rest
    refunded to the brand through the provider. Returns the three amounts."""
    from .services import _move  # the services module imports this one lazily too (no cycle at import time)

    assert funding.status == FundingStatus.HELD, funding.status
    creator, platform, brand = split_amounts(funding, to_creator)
    refund_id = ""
    if brand:
        refund_id = provider(funding.provider).refund(funding, amount=None if brand == funding.total else brand)
    if creator == funding.fee:
        kind = Movement.RELEASE
    elif creator == 0:
        kind = Movement.REFUND
    else:
        kind = Movement.SPLIT
    lines = [
        (Account.HELD, -funding.total),
        (Account.CREATOR_OWED, creator),
        (Account.PLATFORM_FEE, platform),
        (Account.REFUNDED, brand),
    ]
    ledger.post(
        application=funding.application,
        kind=kind,
        currency=funding.currency,
        lines=[(account, amount) for account, amount in lines if amount],
        reference=refund_id,
        memo=memo[:255],
    )
    if creator:
        fields = []
        if refund_id:
            funding.refund_id = refund_id
            fields = ["refund_id"]
        _move(funding, FundingStatus.RELEASED, actor=actor, note=note, fields=fields)
        pk = funding.pk
        transaction.on_commit(lambda: tasks.payout_funding.delay(pk))
    else:
        funding.refund_id = refund_id
        _move(funding, FundingStatus.REFUNDED, actor=actor, note=note or refund_id, fields=["refund_id"])
    return creator, platform, brand
