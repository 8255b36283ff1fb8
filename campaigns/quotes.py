"""The apply form's pre-filled rate: from the creator's rate card, for the brief's own platform and format rows,
with a sentence saying where the number comes from (issue 14, point 5). Never another platform's price."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Quote:
    amount: Decimal | None  # the pre-filled rate; None when the card cannot price the whole brief
    source: str  # shown under the field: where the number comes from, or why there is none


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}".replace(".00 ", " ")


def rate_card_quote(creator, campaign) -> Quote:
    """Sum of the card's prices for each of the brief's (platform, format) rows × quantity."""
    prices = {(e.platform, e.deliverable): e for e in creator.rates.all()}
    specs = list(campaign.deliverable_specs.all())
    if not specs:
        return Quote(None, "")
    missing = [s for s in specs if (s.platform, s.format) not in prices]
    if missing:
        names = ", ".join(f"{s.get_platform_display()} {s.get_format_display()}" for s in missing)
        return Quote(
            None,
            _(
                "Your rate card has no price for %(names)s, so nothing is filled in: "
                "enter what you ask for the whole brief."
            )
            % {"names": names},
        )
    entries = [(s, prices[(s.platform, s.format)]) for s in specs]
    currencies = {e.currency for _s, e in entries}
    if len(currencies) > 1:
        return Quote(
            None, _("Your rate card prices this brief's deliverables in different currencies, so nothing is filled in.")
        )
    currency = currencies.pop()
    total = sum((e.price * s.quantity for s, e in entries), Decimal(0))
    parts = " + ".join(
        f"{s.quantity} × {s.get_platform_display()} {s.get_format_display()} ({_money(e.price, currency)})"
        for s, e in entries
    )
    return Quote(
        total,
        _("Filled in from your rate card: %(parts)s = %(total)s. Change it if you like.")
        % {"parts": parts, "total": _money(total, currency)},
    )
