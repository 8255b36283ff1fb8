"""The double-entry ledger: post one balanced movement; read balances (sums of entries, never stored)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Sum

from .models import Account, Entry, LedgerTransaction


class Unbalanced(ValueError):
    """The entries of one movement do not sum to zero per currency (the database would refuse them too)."""


def to_minor(amount: Decimal | int | str) -> int:
    """A decimal amount in major units (12.34) as integer minor units (1234), half up. Two-decimal currencies."""
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(minor: int, percent: Decimal | str) -> int:
    return int((Decimal(minor) * Decimal(str(percent)) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_minor(minor: int, currency: str) -> str:
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100:,}.{abs(minor) % 100:02d} {currency}"


@transaction.atomic
def post(
    *, application, kind: str, currency: str, lines: Iterable[tuple[str, int]], reference: str = "", memo: str = ""
) -> LedgerTransaction:
    """Write one movement: ``lines`` are (account, minor amount) pairs that must sum to zero.

    The unique (application, kind) constraint makes a second hold/release/payout/refund of one application an
    IntegrityError; callers lock the funding row first, so in practice they see the first one and stop.
    """
    lines = [(account, int(amount)) for account, amount in lines]
    if any(amount == 0 for _a, amount in lines) or len(lines) < 2:
        raise Unbalanced("A movement needs at least two non-zero entries.")
    if sum(amount for _a, amount in lines) != 0:
        raise Unbalanced(f"Entries of a {kind} sum to {sum(a for _x, a in lines)}, not 0.")
    if any(account not in Account.values for account, _m in lines):
        raise Unbalanced("Unknown account.")
    txn = LedgerTransaction.objects.create(application=application, kind=kind, reference=reference, memo=memo)
    Entry.objects.bulk_create(
        Entry(transaction=txn, account=account, application=application, amount=amount, currency=currency)
        for account, amount in lines
    )
    check_now()
    return txn


def check_now() -> None:
    """Run the deferred balance trigger now rather than at commit (so an error surfaces where it was made)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ledger_entry_balanced IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ledger_entry_balanced DEFERRED")


def balances(*, application=None, application_ids=None) -> dict[str, dict[str, int]]:
    """{account: {currency: minor}} over the given application(s), or the whole ledger."""
    qs = Entry.objects.all()
    if application is not None:
        qs = qs.filter(application=application)
    if application_ids is not None:
        qs = qs.filter(application_id__in=list(application_ids))
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in qs.values("account", "currency").annotate(total=Sum("amount")).order_by("account", "currency"):
        out[row["account"]][row["currency"]] = row["total"]
    return dict(out)


def balance(application, account: str, currency: str) -> int:
    return balances(application=application).get(account, {}).get(currency, 0)
