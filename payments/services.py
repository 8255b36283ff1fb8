"""Writes about money: one service per move, each locking the funding row first, each recorded in the audit log.

A move that needs the provider (a transfer, a refund) calls it while holding the funding's row lock, with an
idempotency key derived from the funding: a concurrent worker waits and then finds the move done; a worker killed
between the provider's answer and the commit is retried and gets the same answer back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import record
from campaigns.models import Application, ApplicationStatus, DeliverableStatus

from . import ledger, tasks
from .models import Account, Dispute, DisputeStatus, Funding, FundingStatus, Movement, PayoutAccount
from .providers import ProviderRefused, provider


class PaymentError(Exception):
    """A money move that cannot happen now, with a message for the person who asked."""


def _fee_of(application: Application) -> int:
    campaign = application.campaign
    rate = application.proposed_rate if application.proposed_rate else campaign.fee_per_creator
    if not rate or (not campaign.pays_fee and not application.proposed_rate):
        return 0
    return ledger.to_minor(rate)


def _locked(funding: Funding | int) -> Funding:
    pk = funding.pk if isinstance(funding, Funding) else funding
    return (
        Funding.objects.select_for_update()
        .select_related("application__campaign__brand", "application__creator__user")
        .get(pk=pk)
    )


def _move(funding: Funding, to: str, *, actor=None, note: str = "", fields=()) -> None:
    before = funding.status
    funding.status = to
    funding.save(update_fields=["status", "updated_at", *fields])
    record(
        funding,
        action="moved",
        actor=actor,
        from_state=before,
        to_state=to,
        note=note,
        data={
            "application": funding.application_id,
            "fee": funding.fee,
            "platform_fee": funding.platform_fee,
            "currency": funding.currency,
        },
    )


@transaction.atomic
def funding_request(*, application: Application, actor=None) -> Funding | None:
    """On hire: what the brand must fund (the creator's fee + the platform fee). None for unpaid (gifted) work."""
    fee = _fee_of(application)
    if fee <= 0:
        return None
    funding, created = Funding.objects.get_or_create(
        application=application,
        defaults={
            "provider": settings.PAYMENTS_PROVIDER,
            "currency": settings.PAYMENTS_CURRENCY.upper(),
            "fee": fee,
            "platform_fee": ledger.percent_of(fee, settings.PAYMENTS_PLATFORM_FEE_PERCENT),
        },
    )
    if created:
        record(
            funding,
            action="created",
            actor=actor,
            to_state=funding.status,
            data={"fee": funding.fee, "platform_fee": funding.platform_fee, "currency": funding.currency},
        )
    return funding


@transaction.atomic
def funding_checkout(*, funding: Funding, actor, success_url: str, cancel_url: str) -> str | None:
    """The address of the provider's payment page for the brand, or None offline (paid by invoice)."""
    funding = _locked(funding)
    if funding.status != FundingStatus.REQUESTED:
        raise PaymentError(_("This hire is already funded."))
    checkout = provider(funding.provider).start_checkout(funding, success_url=success_url, cancel_url=cancel_url)
    if checkout is None:
        return None
    funding.checkout_session_id = checkout.session_id
    funding.save(update_fields=["checkout_session_id", "updated_at"])
    return checkout.url


@transaction.atomic
def funding_mark_held(
    *, funding: Funding | int, amount: int, currency: str, reference: str = "", payment_intent: str = "", actor=None
) -> bool:
    """The brand's payment arrived (Stripe's webhook, or an admin offline): brand funding → held. Once only:
    a funding that is no longer waiting (held, released, refunded) ignores it, so replays and late events are
    harmless. A payment of the wrong amount or currency is refused. True when the ledger moved."""
    funding = _locked(funding)
    if funding.status != FundingStatus.REQUESTED:
        return False
    if amount != funding.total or currency.upper() != funding.currency:
        raise PaymentError(f"Paid {amount} {currency}, expected {funding.total} {funding.currency}.")
    ledger.post(
        application=funding.application,
        kind=Movement.HOLD,
        currency=funding.currency,
        lines=[(Account.BRAND_FUNDING, -funding.total), (Account.HELD, funding.total)],
        reference=reference,
    )
    funding.payment_intent_id = payment_intent or funding.payment_intent_id
    _move(funding, FundingStatus.HELD, actor=actor, note=reference, fields=["payment_intent_id"])
    return True


def _disputed(funding: Funding) -> bool:
    return Dispute.objects.filter(funding=funding, status=DisputeStatus.OPEN).exists()


def _all_approved(application: Application) -> bool:
    statuses = list(application.deliverables.values_list("status", flat=True))
    return bool(statuses) and all(s in (DeliverableStatus.APPROVED, DeliverableStatus.LIVE) for s in statuses)


@transaction.atomic
def funding_release(*, application_id: int, actor=None) -> bool:
    """Every deliverable approved: held → the creator's fee (owed) + the platform fee. Once only (the row lock,
    and the ledger's unique (application, kind)). Queues the payout. True when the ledger moved."""
    funding = Funding.objects.filter(application_id=application_id).first()
    if funding is None:
        return False
    funding = _locked(funding)
    if funding.status != FundingStatus.HELD or not _all_approved(funding.application):
        return False
    if _disputed(funding):
        return False  # frozen until an admin resolves the dispute (payments/disputes.py)
    ledger.post(
        application=funding.application,
        kind=Movement.RELEASE,
        currency=funding.currency,
        lines=[
            (Account.HELD, -funding.total),
            (Account.CREATOR_OWED, funding.fee),
            *([(Account.PLATFORM_FEE, funding.platform_fee)] if funding.platform_fee else []),
        ],
    )
    _move(funding, FundingStatus.RELEASED, actor=actor)
    transaction.on_commit(lambda: tasks.payout_funding.delay(funding.pk))
    return True


@transaction.atomic
def funding_payout(*, funding_id: int, actor=None, reference: str = "") -> bool:
    """Owed → paid out: a transfer to the creator's connected account (idempotency key per funding). Offline, or
    while the creator's payout account is not ready, the money waits (False). ``reference`` given: an admin
    records a payout made by hand."""
    funding = _locked(funding_id)
    if funding.status != FundingStatus.RELEASED:
        return False
    owed = ledger.balance(funding.application, Account.CREATOR_OWED, funding.currency)  # the fee, or a split's part
    if owed <= 0:
        return False
    if not reference:
        account = PayoutAccount.objects.filter(
            creator_id=funding.application.creator_id, provider=funding.provider, payouts_enabled=True
        ).first()
        if account is None and funding.provider != "offline":
            return False
        reference = provider(funding.provider).transfer(
            funding, destination=account.external_id if account else "", amount=owed
        )
        if reference is None:
            return False
    ledger.post(
        application=funding.application,
        kind=Movement.PAYOUT,
        currency=funding.currency,
        lines=[(Account.CREATOR_OWED, -owed), (Account.PAID_OUT, owed)],
        reference=reference,
    )
    funding.transfer_id = reference
    _move(funding, FundingStatus.PAID_OUT, actor=actor, note=reference, fields=["transfer_id"])
    return True


@transaction.atomic
def funding_refund(*, application_id: int, actor=None) -> bool:
    """A hire ends before release: held → refunded (the whole amount, through the provider); unpaid → cancelled.
    When some deliverables were approved already, their share goes to the creator and the rest back to the brand
    (pro rata, ``settlement.deliverable_shares``). An open dispute freezes it: the admin's resolution decides."""
    from .settlement import deliverable_shares, settle

    funding = Funding.objects.filter(application_id=application_id).first()
    if funding is None:
        return False
    funding = _locked(funding)
    if funding.status == FundingStatus.REQUESTED:
        _move(funding, FundingStatus.CANCELLED, actor=actor)
        return False
    if funding.status != FundingStatus.HELD or _disputed(funding):
        return False
    statuses = list(funding.application.deliverables.order_by("pk").values_list("status", flat=True))
    shares = deliverable_shares(funding.fee, len(statuses))
    earned = sum(
        share
        for share, status in zip(shares, statuses, strict=True)
        if status in (DeliverableStatus.APPROVED, DeliverableStatus.LIVE)
    )
    if earned:
        settle(
            funding,
            to_creator=earned,
            actor=actor,
            note=_("Pro rata: %(n)s of %(total)s deliverables approved")
            % {
                "n": sum(1 for s in statuses if s in (DeliverableStatus.APPROVED, DeliverableStatus.LIVE)),
                "total": len(statuses),
            },
            memo="pro rata",
        )
        return True
    refund_id = provider(funding.provider).refund(funding)
    ledger.post(
        application=funding.application,
        kind=Movement.REFUND,
        currency=funding.currency,
        lines=[(Account.HELD, -funding.total), (Account.REFUNDED, funding.total)],
        reference=refund_id,
    )
    funding.refund_id = refund_id
    _move(funding, FundingStatus.REFUNDED, actor=actor, note=refund_id, fields=["refund_id"])
    return True


@transaction.atomic
def payout_account_start(*, creator, refresh_url: str, return_url: str) -> str | None:
    """The creator's onboarding link (Connect Express), creating the connected account the first time."""
    p = provider()
    account = PayoutAccount.objects.select_for_update().filter(creator=creator, provider=p.name).first()
    if account is None:
        account = PayoutAccount.objects.create(
            creator=creator, provider=p.name, external_id=p.create_account(creator), payouts_enabled=p.name == "offline"
        )
    if not account.external_id:
        return None
    return p.account_link(account.external_id, refresh_url=refresh_url, return_url=return_url)


@transaction.atomic
def payout_account_update(*, external_id: str, payouts_enabled: bool) -> None:
    """The provider says whether the account can receive payouts; money waiting for it is sent."""
    account = PayoutAccount.objects.select_for_update().filter(external_id=external_id).first()
    if account is None or account.payouts_enabled == payouts_enabled:
        return
    account.payouts_enabled = payouts_enabled
    account.save(update_fields=["payouts_enabled", "updated_at"])
    if payouts_enabled:
        waiting = list(
            Funding.objects.filter(
                application__creator_id=account.creator_id, status=FundingStatus.RELEASED
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: [tasks.payout_funding.delay(pk) for pk in waiting])


def live_statuses() -> tuple[str, ...]:
    return (ApplicationStatus.ACCEPTED, ApplicationStatus.COMPLETED)


__all__ = [
    "PaymentError",
    "ProviderRefused",
    "funding_checkout",
    "funding_mark_held",
    "funding_payout",
    "funding_refund",
    "funding_release",
    "funding_request",
    "payout_account_start",
    "payout_account_update",
]


def payout_account_reminders() -> int:
    """Tell each creator whose released money waits for a payout account that can receive it (issue 10).

    Once per funding, through campaigns' one "each reminder once" mechanism (``ReminderSent``'s unique key
    decides a duplicated beat tick). Offline fundings are paid by hand and need no account. Returns how many
    fundings this run reminded about."""
    from campaigns.services import reminder_send_once

    ready = PayoutAccount.objects.filter(
        creator_id=OuterRef("application__creator_id"), provider=OuterRef("provider"), payouts_enabled=True
    )
    waiting = (
        Funding.objects.filter(status=FundingStatus.RELEASED)
        .exclude(provider="offline")
        .exclude(Exists(ready))
        .select_related("application__creator", "application__campaign")
        .order_by("pk")
    )
    sent = 0
    for funding in waiting:
        verb = _("%(amount)s for “%(title)s” is waiting for you: set up your payout account to receive it.") % {
            "amount": ledger.format_minor(funding.fee, funding.currency),
            "title": funding.application.campaign.title,
        }
        sent += reminder_send_once(
            "payout_account",
            [f"funding:{funding.pk}"],
            user_ids=[funding.application.creator.user_id],
            verb=verb,
            url=reverse("payments:payout_account"),
        )
    return sent
