"""Reconciliation: Stripe's transfers per transfer group (one group per application) against the ledger's payouts.

Run hourly by the beat (``payments.tasks.reconcile_transfers``) and by ``manage.py reconcile_payments``.

- A transfer Stripe has and the ledger lacks, on a released funding, for exactly what is owed to the creator: the
  worker was killed between Stripe's answer and its commit. The payout is recorded once (the same service, under
  the funding's row lock; the ledger's unique (application, payout) refuses a second).
- Anything else that differs (an amount or currency mismatch, a ledger payout with no transfer, a second or a
  reversed transfer, a transfer for a funding that is not released) is reported, never "fixed": a warning in the
  log and one audit entry per funding and problem (``reconcile_discrepancy``), for a person to look at.

Which fundings: Stripe's, released (a payout may be in flight) or paid out within ``PAYMENTS_RECONCILE_DAYS``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import record

from . import ledger, services
from .models import Account, Entry, Funding, FundingStatus, Movement
from .providers import ProviderError, ProviderRefused, provider

log = logging.getLogger(__name__)


@dataclass
class ReconcileReport:
    checked: int = 0
    recorded: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unreachable: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        line = (
            f"reconciled {self.checked} fundings: {len(self.recorded)} payouts recorded, "
            f"{len(self.problems)} discrepancies"
        )
        return line + (f", {self.unreachable} not reachable" if self.unreachable else "")


def _report(report: ReconcileReport, funding: Funding, problem: str) -> None:
    report.problems.append(problem)
    log.warning("payments reconciliation: %s", problem)
    already = AuditEntry.objects.filter(
        target_type__app_label="payments",
        target_type__model="funding",
        target_id=funding.pk,
        action="reconcile_discrepancy",
        note=problem,
    ).exists()
    if not already:  # hourly runs report the same problem in the log, once in the audit log
        record(funding, action="reconcile_discrepancy", note=problem, data={"application": funding.application_id})


def _payout_of(funding: Funding) -> tuple[str, int] | None:
    """(reference, amount) of the ledger's payout for the funding, if there is one."""
    entry = (
        Entry.objects.filter(
            transaction__application_id=funding.application_id,
            transaction__kind=Movement.PAYOUT,
            account=Account.PAID_OUT,
        )
        .select_related("transaction")
        .first()
    )
    return (entry.transaction.reference, entry.amount) if entry else None


def _money(minor: int, currency: str) -> str:
    return ledger.format_minor(minor, currency)


def reconcile_funding(funding: Funding, report: ReconcileReport) -> None:
    app = funding.application_id
    try:
        transfers = provider(funding.provider).transfers_for(app)
    except (ProviderError, ProviderRefused) as exc:
        report.unreachable += 1
        log.warning("payments reconciliation: transfers of application %s not listed: %s", app, exc)
        return
    payout = _payout_of(funding)
    for t in transfers:
        if t["reversed"]:
            _report(report, funding, f"application {app}: Stripe transfer {t['id']} was reversed")
    if payout is None:
        if not transfers:
            return  # nothing sent yet (or the payout account is not ready)
        owed = ledger.balance(funding.application, Account.CREATOR_OWED, funding.currency)
        [first, *others] = transfers
        if (
            not others
            and funding.status == FundingStatus.RELEASED
            and not first["reversed"]
            and first["amount"] == owed
            and first["currency"] == funding.currency
        ):
            if services.funding_payout(funding_id=funding.pk, reference=first["id"]):
                record(
                    funding,
                    action="reconciled",
                    note=f"payout {first['id']} found at Stripe, recorded in the ledger",
                    data={"application": app, "transfer": first["id"], "amount": first["amount"]},
                )
                report.recorded.append(first["id"])
                log.warning("payments reconciliation: recorded payout %s of application %s", first["id"], app)
            return
        sent = ", ".join(f"{t['id']} {_money(t['amount'], t['currency'])}" for t in transfers)
        _report(
            report,
            funding,
            f"application {app}: Stripe has {sent}; the ledger has no payout "
            f"(owed {_money(owed, funding.currency)}, funding {funding.status})",
        )
        return
    reference, paid = payout
    match = [t for t in transfers if t["id"] == reference]
    if not match:
        _report(
            report,
            funding,
            f"application {app}: ledger payout {reference or '(no reference)'} of "
            f"{_money(paid, funding.currency)} has no Stripe transfer",
        )
    elif match[0]["amount"] != paid or match[0]["currency"] != funding.currency:
        _report(
            report,
            funding,
            f"application {app}: Stripe transfer {reference} is {_money(match[0]['amount'], match[0]['currency'])}, "
            f"the ledger paid out {_money(paid, funding.currency)}",
        )
    for t in transfers:
        if t["id"] != reference:
            _report(
                report,
                funding,
                f"application {app}: Stripe transfer {t['id']} of {_money(t['amount'], t['currency'])} "
                "is not in the ledger (a second transfer)",
            )


def reconcile_transfers(*, now: dt.datetime | None = None) -> ReconcileReport:
    now = now or timezone.now()
    since = now - dt.timedelta(days=int(settings.PAYMENTS_RECONCILE_DAYS))
    fundings = (
        Funding.objects.filter(provider="stripe")
        .filter(Q(status=FundingStatus.RELEASED) | Q(status=FundingStatus.PAID_OUT, updated_at__gte=since))
        .order_by("pk")
    )
    report = ReconcileReport()
    for funding in fundings:
        report.checked += 1
        reconcile_funding(funding, report)
    if report.problems or report.recorded:
        log.warning("payments reconciliation: %s", report.summary())
    else:
        log.info("payments reconciliation: %s", report.summary())
    return report
