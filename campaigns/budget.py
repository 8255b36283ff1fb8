"""The budget tracker on the brand's campaign page (issue 10): budget, committed, funded, released, paid out,
remaining.

Campaigns knows the budget and what the hires cost (``confirmations.committed_of``); where the money is comes
from whoever answers ``hooks.campaign_money`` (payments: its fundings). Without an answer the tracker shows
budget, committed and remaining only. Two queries at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from . import hooks
from .confirmations import committed_of
from .models import Campaign


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    offset: Decimal  # where it starts, percent of the bar's width
    percent: Decimal  # its width, percent of the bar's width


@dataclass(frozen=True)
class BudgetTracker:
    budget: Decimal | None  # None: the brief sets no budget
    committed: Decimal  # the hires' fees
    hired: int
    money: hooks.CampaignMoney | None  # None: no payments app answered

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed

    @property
    def over_budget(self) -> bool:
        return self.remaining is not None and self.remaining < 0

    @property
    def overrun(self) -> Decimal:
        """How far the hires' fees go past the budget (0 within it)."""
        return max(-(self.remaining or Decimal(0)), Decimal(0))

    @property
    def not_funded(self) -> Decimal:
        """Committed but not paid in (asked, or gifted work that asks no money)."""
        return max(self.committed - (self.money.funded if self.money else Decimal(0)), Decimal(0))

    def segments(self) -> list[Segment]:
        """The bar: paid out, released, held, committed but not funded, then what is left, as shares of the
        budget (or of what is committed, when that is more). Drawn as SVG rectangles: the CSP allows no inline
        style attributes."""
        whole = max(self.budget or Decimal(0), self.committed)
        if whole <= 0:
            return []
        parts = []
        if self.money:
            parts += [
                ("paid_out", _("Paid out"), self.money.paid_out),
                ("released", _("Released"), self.money.released),
            ]
            parts += [("held", _("Held"), self.money.held)]
        parts.append(("unfunded", _("Committed, not funded"), self.not_funded))
        if self.remaining is not None and self.remaining > 0:
            parts.append(("left", _("Remaining"), self.remaining))
        out, offset = [], Decimal(0)
        for key, label, amount in parts:
            if amount <= 0:
                continue
            percent = (amount * 100 / whole).quantize(Decimal("0.1"))
            out.append(Segment(key, label, offset, percent))
            offset += percent
        return out


def budget_tracker(campaign: Campaign) -> BudgetTracker:
    committed, hired = committed_of(campaign)
    return BudgetTracker(
        budget=campaign.total_budget, committed=committed, hired=hired, money=hooks.campaign_money(campaign)
    )
