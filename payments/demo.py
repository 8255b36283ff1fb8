"""Demo money for `make run` (offline): every funding state on the campaigns demo's hires.

The campaigns demo hires creators, and each hire asked for funding (campaigns.hooks). Here the completed
campaign's first hire is paid out and the others released; Casey's hire in progress is funded ("Funded" on her
page); any other hire waits for the brand's payment (as every hire made while the demo runs does). Runs once:
it does nothing if the ledger has entries.
"""

from __future__ import annotations

from collections.abc import Callable

from campaigns.models import ApplicationStatus

from . import services
from .models import Funding, FundingStatus, LedgerTransaction


def seed(log: Callable[[str], None]) -> None:
    if LedgerTransaction.objects.exists():
        return
    fundings = list(
        Funding.objects.filter(status=FundingStatus.REQUESTED)
        .select_related("application")
        .order_by("application__created_at", "pk")
    )
    completed = [f for f in fundings if f.application.status == ApplicationStatus.COMPLETED]
    live = [f for f in fundings if f.application.status == ApplicationStatus.ACCEPTED]
    casey_first = sorted(live, key=lambda f: f.application.creator.handle != "casey")
    for i, funding in enumerate(completed):
        services.funding_mark_held(
            funding=funding, amount=funding.total, currency=funding.currency, reference="demo bank transfer"
        )
        services.funding_release(application_id=funding.application_id)
        if i == 0:
            services.funding_payout(funding_id=funding.pk, reference="demo payout")
    for funding in casey_first[:1]:
        services.funding_mark_held(
            funding=funding, amount=funding.total, currency=funding.currency, reference="demo bank transfer"
        )
    log(
        f"Demo money: {len(completed)} released or paid out, {min(len(live), 1)} funded, "
        f"{max(len(live) - 1, 0)} waiting for payment."
    )
