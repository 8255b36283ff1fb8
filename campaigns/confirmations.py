"""Moves that ask "are you sure?" first, and why (issue 14.6, issue 10's budget warning).

A move asks only when there is something to warn about; without a warning it stays one click. Pages render the
confirmation as a step (the same form posted again with ``confirm=true``), the API answers 400 with the warnings
unless the body says ``"confirm": true``, and the admin shows the same warnings next to the application. The
warnings are computed here, once, from the brief and the requirements in campaigns.eligibility.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _, ngettext

from core.formatting import money

from .eligibility import eligibility, invite_misses
from .models import Application, ApplicationStatus as A, Campaign
from .services import CampaignError

HIRED = (A.ACCEPTED, A.COMPLETED)


@dataclass(frozen=True)
class Confirmation:
    """What a person is asked before a move: the question, each warning with its numbers, the confirming button."""

    question: str
    warnings: list[str]
    button: str


class ConfirmationRequired(CampaignError):
    """The move needs an explicit confirmation (API: 400 naming the warnings, unless ``confirm`` is true)."""

    status_code = 400

    def __init__(self, confirmation: Confirmation):
        super().__init__(confirmation.question)
        self.confirmation = confirmation


@dataclass(frozen=True)
class Budget:
    total: Decimal
    committed: Decimal  # the fees of the hired creators: their proposed rate, else the brief's fee
    hired: int

    @property
    def left(self) -> Decimal:
        return self.total - self.committed


def committed_of(campaign: Campaign) -> tuple[Decimal, int]:
    """The fees of the campaign's hires (proposed rate, else the brief's fee) and how many they are; one query."""
    fee = Value(campaign.fee_per_creator or Decimal(0), output_field=DecimalField(max_digits=10, decimal_places=2))
    row = Application.objects.filter(campaign_id=campaign.pk, status__in=HIRED).aggregate(
        committed=Coalesce(
            Sum(Coalesce("proposed_rate", fee)),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
        hired=Count("pk"),
    )
    return row["committed"], row["hired"]


def budget_of(campaign: Campaign) -> Budget | None:
    """What is left of the campaign's budget (None when the brief has none); one query."""
    if campaign.total_budget is None:
        return None
    committed, hired = committed_of(campaign)
    return Budget(total=campaign.total_budget, committed=committed, hired=hired)


def accept_warnings(application: Application) -> list[str]:
    """Why accepting ``application`` deserves a second look: its rate above the fee per creator, above what is left
    of the budget, or a creator who no longer meets the brief's requirements. Empty: accept in one click."""
    campaign, creator = application.campaign, application.creator
    name = creator.display_name
    warnings: list[str] = []
    rate, fee = application.proposed_rate, campaign.fee_per_creator
    if rate is not None and fee is not None and rate > fee:
        warnings.append(
            _("%(c)s asks %(rate)s, %(over)s above the brief's fee per creator (%(fee)s).")
            % {"c": name, "rate": money(rate), "over": money(rate - fee), "fee": money(fee)}
        )
    cost = rate if rate is not None else fee
    budget = budget_of(campaign) if cost else None
    if budget is not None and cost > budget.left:
        warnings.append(
            ngettext(
                "Budget: %(cost)s for %(c)s is more than what is left, %(left)s of %(total)s (%(committed)s is "
                "committed to %(n)s hired creator).",
                "Budget: %(cost)s for %(c)s is more than what is left, %(left)s of %(total)s (%(committed)s is "
                "committed to %(n)s hired creators).",
                budget.hired,
            )
            % {
                "cost": money(cost),
                "c": name,
                "left": money(budget.left),
                "total": money(budget.total),
                "committed": money(budget.committed),
                "n": budget.hired,
            }
        )
    for missed in eligibility(creator, campaign):
        warnings.append(_("%(c)s no longer meets the brief. %(missed)s") % {"c": name, "missed": missed})
    return warnings


def accept_confirmation(application: Application) -> Confirmation | None:
    warnings = accept_warnings(application)
    if not warnings:
        return None
    return Confirmation(
        question=_("Accept %(c)s for “%(t)s”? They are hired, their deliverables are created and they are told.")
        % {"c": application.creator.display_name, "t": application.campaign.title},
        warnings=warnings,
        button=_("Accept anyway"),
    )


def invite_confirmation(creator, campaign: Campaign) -> Confirmation | None:
    """Inviting a creator who misses what the brief asks for (campaigns.eligibility) needs a confirmation."""
    missed = invite_misses(creator, campaign)
    if not missed:
        return None
    return Confirmation(
        question=_("%(c)s does not fit everything “%(t)s” asks for. Invite anyway?")
        % {"c": creator.display_name, "t": campaign.title},
        warnings=missed,
        button=_("Invite anyway"),
    )


def is_confirmed(value) -> bool:
    """``confirm`` as a form posts it: "true", "1", "on", "yes" (the API reads a strict boolean instead)."""
    return value is True or str(value or "").strip().lower() in ("true", "1", "on", "yes")
