"""Disputes: either side of a funded hire says something is wrong; the held money stays put until an admin decides.

- ``dispute_open``: a member of the hiring brand or the hired creator, on a HELD funding, with a reason. One open
  dispute per funding (the row lock, and a partial unique constraint). While it is open, neither a release (the
  brand's or the beat's approval still happens) nor a refund (campaign cancelled) moves the money.
- ``dispute_resolve``: an admin (the Django admin) releases all to the creator, refunds all to the brand, or
  splits with an amount for the creator; the platform fee follows ``settlement.split_amounts`` (kept in
  proportion to the creator's part). One balanced ledger transaction; resolving twice moves the money once.

Both are written to the audit log and told to both sides (bell + email, after commit).
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from campaigns.models import Application
from campaigns.permissions import can_review_application, is_application_creator
from campaigns.services import notify_on_commit
from core.models import User

from . import ledger
from .models import Dispute, DisputeOutcome, DisputeSide, DisputeStatus, Funding, FundingStatus
from .settlement import settle


class DisputeError(Exception):
    """A dispute move refused for a reason the person can act on; ``status_code`` for the API."""

    status_code = 400


class DisputeNotPermitted(DisputeError):
    status_code = 403


class DisputeConflict(DisputeError):
    status_code = 409


def clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DisputeError(_("Say what is wrong: the reason is required."))
    if len(reason) > Dispute.REASON_MAX:
        raise DisputeError(
            _("Keep the reason under %(n)s characters (it has %(len)s).")
            % {"n": f"{Dispute.REASON_MAX:,}", "len": len(reason)}
        )
    return reason


def side_of(user, application: Application) -> str | None:
    if is_application_creator(user, application):
        return DisputeSide.CREATOR
    if can_review_application(user, application):
        return DisputeSide.BRAND
    return None


def _party_ids(application: Application) -> list[int]:
    from brands.models import BrandMember

    members = BrandMember.objects.filter(brand_id=application.campaign.brand_id).values_list("user_id", flat=True)
    return [application.creator.user_id, *members]


def _page(application: Application) -> str:
    return reverse("payments:funding", args=[application.pk])


@transaction.atomic
def dispute_open(*, application: Application, actor, reason: str) -> Dispute:
    side = side_of(actor, application)
    if side is None:
        raise DisputeNotPermitted(_("Only the hiring brand's team or the hired creator can open a dispute."))
    reason = clean_reason(reason)
    funding = Funding.objects.filter(application=application).first()
    if funding is None:
        raise DisputeConflict(_("No money is held for this hire, so there is nothing to dispute."))
    funding = Funding.objects.select_for_update().select_related("application__campaign").get(pk=funding.pk)
    if funding.status != FundingStatus.HELD:
        raise DisputeConflict(
            _("Only money held for a hire can be disputed; this hire's payment is “%(s)s”.")
            % {"s": funding.get_status_display()}
        )
    if Dispute.objects.filter(funding=funding, status=DisputeStatus.OPEN).exists():
        raise DisputeConflict(_("A dispute is already open on this hire; the platform is looking into it."))
    dispute = Dispute.objects.create(
        funding=funding, application=application, side=side, opened_by=actor, reason=reason
    )
    record(
        dispute,
        action="opened",
        actor=actor,
        to_state=DisputeStatus.OPEN,
        note=reason,
        data={"application": application.pk, "funding": funding.pk, "side": side},
    )
    title = application.campaign.title
    held = ledger.format_minor(funding.total, funding.currency)
    notify_on_commit(
        user_ids=[uid for uid in _party_ids(application) if uid != actor.pk],
        verb=_("A dispute was opened on “%(t)s”: the %(amount)s held stays put until the platform resolves it.")
        % {"t": title, "amount": held},
        url=_page(application),
    )
    staff = User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True)
    notify_on_commit(
        user_ids=list(staff),
        verb=_("Dispute to resolve on “%(t)s” (%(amount)s held).") % {"t": title, "amount": held},
        url=reverse("admin:payments_dispute_change", args=[dispute.pk]),
    )
    return dispute


def amount_for(outcome: str, funding: Funding, to_creator: int | None) -> int:
    """What the creator gets for an outcome; a split's amount must be between 0 and the creator's fee."""
    if outcome == DisputeOutcome.RELEASE:
        return funding.fee
    if outcome == DisputeOutcome.REFUND:
        return 0
    if outcome != DisputeOutcome.SPLIT:
        raise DisputeError(_("Choose release, refund or split."))
    if to_creator is None:
        raise DisputeError(_("A split needs the amount for the creator."))
    if not 0 <= to_creator <= funding.fee:
        raise DisputeError(
            _("The creator's part must be between 0.00 and %(fee)s.")
            % {"fee": ledger.format_minor(funding.fee, funding.currency)}
        )
    return to_creator


@transaction.atomic
def dispute_resolve(
    *, dispute: Dispute | int, outcome: str, actor, to_creator: int | None = None, note: str = ""
) -> bool:
    """Settle the held money as an admin decided. False (and nothing moves) when it was resolved already: the
    funding's row lock, then the dispute's, so a second or concurrent resolution waits and finds it done."""
    pk = dispute.pk if isinstance(dispute, Dispute) else dispute
    funding_id = Dispute.objects.values_list("funding_id", flat=True).get(pk=pk)
    funding = (
        Funding.objects.select_for_update()
        .select_related("application__campaign", "application__creator")
        .get(pk=funding_id)
    )
    dispute = Dispute.objects.select_for_update().get(pk=pk)
    if dispute.status != DisputeStatus.OPEN:
        return False
    if funding.status != FundingStatus.HELD:
        raise DisputeConflict(_("The money of this hire is no longer held (%(s)s).") % {"s": funding.status})
    amount = amount_for(outcome, funding, to_creator)
    creator, platform, brand = settle(
        funding,
        to_creator=amount,
        actor=actor,
        note=_("Dispute #%(n)s resolved: %(o)s") % {"n": dispute.pk, "o": DisputeOutcome(outcome).label},
        memo=f"dispute {dispute.pk}",
    )
    dispute.status = DisputeStatus.RESOLVED
    dispute.outcome = outcome
    dispute.to_creator, dispute.to_platform, dispute.to_brand = creator, platform, brand
    dispute.resolution_note = (note or "").strip()[: Dispute.REASON_MAX]
    dispute.resolved_by = actor
    dispute.resolved_at = timezone.now()
    dispute.save()
    record(
        dispute,
        action="resolved",
        actor=actor,
        from_state=DisputeStatus.OPEN,
        to_state=DisputeStatus.RESOLVED,
        note=dispute.resolution_note,
        data={
            "outcome": outcome,
            "to_creator": creator,
            "to_platform": platform,
            "to_brand": brand,
            "currency": funding.currency,
        },
    )
    application = funding.application
    fmt = lambda minor: ledger.format_minor(minor, funding.currency)  # noqa: E731
    notify_on_commit(
        user_ids=_party_ids(application),
        verb=_("The dispute on “%(t)s” was resolved: %(c)s to the creator, %(b)s refunded to the brand.")
        % {"t": application.campaign.title, "c": fmt(creator), "b": fmt(brand)},
        url=_page(application),
    )
    return True


def open_dispute_of(funding: Funding | None) -> Dispute | None:
    if funding is None:
        return None
    return Dispute.objects.filter(funding=funding, status=DisputeStatus.OPEN).first()
