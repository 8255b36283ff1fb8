"""What payments does when campaigns moves (registered in PaymentsConfig.ready through campaigns.hooks)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.hooks import CampaignMoney, MoneyStatus

from . import services, tasks
from .models import Dispute, DisputeStatus, Funding, FundingStatus


def on_application_accepted(*, application, actor) -> None:
    services.funding_request(application=application, actor=actor)


def on_deliverable_approved(*, deliverable, actor) -> None:
    application_id = deliverable.application_id
    transaction.on_commit(lambda: tasks.release_application.delay(application_id))


def on_application_ended(*, application, actor) -> None:
    application_id = application.pk
    transaction.on_commit(lambda: tasks.refund_application.delay(application_id))


def money_status(application) -> MoneyStatus | None:
    """The funding's label ("Funded", "Waiting for the brand's payment"…) and its page; one query."""
    open_dispute = Dispute.objects.filter(funding=OuterRef("pk"), status=DisputeStatus.OPEN)
    funding = (
        Funding.objects.filter(application_id=application.pk)
        .annotate(disputed=Exists(open_dispute))
        .only("status")
        .first()
    )
    if funding is None:
        return None
    label = _("Funded · disputed") if funding.disputed else str(funding.get_status_display())
    return MoneyStatus(label=str(label), url=reverse("payments:funding", args=[application.pk]))


_STAGES = {
    FundingStatus.REQUESTED: "asked",
    FundingStatus.HELD: "held",
    FundingStatus.RELEASED: "released",
    FundingStatus.PAID_OUT: "paid_out",
    FundingStatus.REFUNDED: "refunded",
}


def campaign_money(campaign) -> CampaignMoney:
    """The creators' fees of the campaign's fundings by stage, for the budget tracker; one query. A cancelled
    request counts nowhere; zeros when nothing was asked yet."""
    rows = (
        Funding.objects.filter(application__campaign_id=campaign.pk)
        .values_list("status")
        .annotate(fees=Sum("fee"))
        .order_by()
    )
    by_stage = {_STAGES[status]: Decimal(fees) / 100 for status, fees in rows if status in _STAGES}
    return CampaignMoney(**by_stage)
