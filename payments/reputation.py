"""A brand score from the ledger (issue 10): the median time from the work's approval (the RELEASE movement,
written when the last deliverable is approved) to the creator's payout (the PAYOUT movement). Registered in
``PaymentsConfig.ready`` through ``campaigns.hooks.register_brand_scores``; one query for any number of brands."""

from __future__ import annotations

import datetime as dt
import statistics

from django.utils.translation import gettext as _

from campaigns.reputation import Score

from .models import LedgerTransaction, Movement


def shown(delta: dt.timedelta) -> str:
    """Under a day in hours ("5.0 hours"), else in days ("3.0 days")."""
    seconds = delta.total_seconds()
    if seconds < 86400:
        return _("%(h)s hours") % {"h": f"{seconds / 3600:.1f}"}
    return _("%(d)s days") % {"d": f"{seconds / 86400:.1f}"}


def payout_time_scores(brand_ids: list[int]) -> dict[int, list[Score]]:
    rows = (
        LedgerTransaction.objects.filter(
            application__campaign__brand_id__in=list(brand_ids), kind__in=(Movement.RELEASE, Movement.PAYOUT)
        )
        .values_list("application_id", "application__campaign__brand_id", "kind", "created_at")
        .order_by()
    )
    moves: dict[int, dict[str, dt.datetime]] = {}
    brand_of: dict[int, int] = {}
    for application_id, brand_id, kind, at in rows:
        moves.setdefault(application_id, {})[kind] = at
        brand_of[application_id] = brand_id
    waits: dict[int, list[dt.timedelta]] = {pk: [] for pk in brand_ids}
    for application_id, at in moves.items():
        if Movement.RELEASE in at and Movement.PAYOUT in at:
            waits[brand_of[application_id]].append(at[Movement.PAYOUT] - at[Movement.RELEASE])
    out = {}
    for pk in brand_ids:
        median = statistics.median(waits[pk]) if waits[pk] else None
        out[pk] = [
            Score(
                "payout_time",
                _("Median time from approval to payout"),
                None if median is None else median.total_seconds() / 86400,
                "—" if median is None else shown(median),
                _("median over %(n)s paid-out hires") % {"n": len(waits[pk])},
            )
        ]
    return out
