"""Reads about money, scoped through campaigns' visibility: another tenant's application is a 404."""

from __future__ import annotations

from campaigns import selectors as campaign_selectors
from campaigns.permissions import can_review_application

from . import ledger
from .models import Funding, LedgerTransaction


def funding_page_data(*, user, application_pk: int) -> dict:
    application = campaign_selectors.application_visible_to(user=user, pk=application_pk)  # 404 for others
    funding = Funding.objects.filter(application=application).first()
    movements = (
        LedgerTransaction.objects.filter(application=application)
        .prefetch_related("entries")
        .order_by("created_at", "id")
    )
    from .dispute_pages import dispute_context

    return {
        **dispute_context(user=user, application=application, funding=funding),
        "app": application,
        "funding": funding,
        "movements": list(movements),
        "balances": ledger.balances(application=application),
        "is_brand": can_review_application(user, application),
    }
