"""The offline provider: the same ledger, an admin marks the brand's payment and the creator's payout."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.test import RequestFactory

from audit.models import AuditEntry
from campaigns import services as campaign_services
from payments import ledger
from payments.models import Funding, FundingStatus, LedgerTransaction
from tests.factories import UserFactory

from .conftest import approve_all


def _admin_action(name: str, funding: Funding, user) -> None:
    from django.contrib.messages.storage.fallback import FallbackStorage

    model_admin = site._registry[Funding]
    request = RequestFactory().post("/admin/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    getattr(model_admin, name)(request, Funding.objects.filter(pk=funding.pk))


def test_accepting_asks_the_brand_for_fee_plus_platform_fee(offline, hire):
    funding = Funding.objects.get(application=hire)
    assert (funding.fee, funding.platform_fee, funding.total, funding.currency) == (15000, 1500, 16500, "USD")
    assert funding.status == FundingStatus.REQUESTED
    assert funding.provider == "offline"
    assert LedgerTransaction.objects.count() == 0


def test_platform_fee_percent_is_a_setting(offline, settings, member, application):
    settings.PAYMENTS_PLATFORM_FEE_PERCENT = "12.5"
    campaign_services.application_accept(application=application, actor=member.user)
    assert Funding.objects.get(application=application).platform_fee == 1875


def test_the_campaign_fee_is_used_without_a_proposed_rate(offline, member, campaign, creator):
    application = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=None
    )
    campaign_services.application_accept(application=application, actor=member.user)
    assert Funding.objects.get(application=application).fee == 20000


def test_offline_journey_hold_release_payout(
    offline, hire, member, creator, django_capture_on_commit_callbacks, client
):
    staff = UserFactory(is_staff=True, is_superuser=True)
    funding = Funding.objects.get(application=hire)
    _admin_action("mark_paid", funding, staff)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.HELD
    assert ledger.balances(application=hire) == {"brand_funding": {"USD": -16500}, "held": {"USD": 16500}}

    client.force_login(creator.user)
    page = client.get(f"/payments/applications/{hire.pk}/")
    assert page.status_code == 200
    assert "Funded" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        approve_all(hire, member, creator)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.RELEASED  # offline: the payout waits for an admin
    _admin_action("mark_payout_paid", funding, staff)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.PAID_OUT
    assert ledger.balances(application=hire) == {
        "brand_funding": {"USD": -16500},
        "held": {"USD": 0},
        "creator_owed": {"USD": 0},
        "platform_fee": {"USD": 1500},
        "paid_out": {"USD": 15000},
    }
    moves = list(
        AuditEntry.objects.filter(target_id=funding.pk, target_type__model="funding").values_list(
            "from_state", "to_state"
        )
    )
    assert moves == [("", "requested"), ("requested", "held"), ("held", "released"), ("released", "paid_out")]
    call_command("check_ledger")


def test_release_waits_for_every_deliverable(offline, member, campaign, creator, django_capture_on_commit_callbacks):
    from tests.factories import DeliverableSpecFactory

    DeliverableSpecFactory(campaign=campaign)
    application = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=100
    )
    campaign_services.application_accept(application=application, actor=member.user)
    funding = Funding.objects.get(application=application)
    from payments import services

    services.funding_mark_held(funding=funding, amount=11000, currency="USD")
    first, second = application.deliverables.all()
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.deliverable_submit(deliverable=first, actor=creator.user, link="https://example.com/a")
        campaign_services.deliverable_approve(deliverable=first, actor=member.user)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.HELD
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.deliverable_submit(deliverable=second, actor=creator.user, link="https://example.com/b")
        campaign_services.deliverable_approve(deliverable=second, actor=member.user)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.RELEASED


def test_cancelling_the_campaign_refunds_what_is_held(offline, hire, member, django_capture_on_commit_callbacks):
    from payments import services

    funding = Funding.objects.get(application=hire)
    services.funding_mark_held(funding=funding, amount=16500, currency="USD")
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.campaign_cancel(campaign=hire.campaign, actor=member.user)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.REFUNDED
    assert ledger.balances(application=hire)["refunded"] == {"USD": 16500}
    assert ledger.balances(application=hire)["held"] == {"USD": 0}


def test_a_payment_of_the_wrong_amount_is_not_held(offline, hire):
    from payments import services

    funding = Funding.objects.get(application=hire)
    with pytest.raises(services.PaymentError):
        services.funding_mark_held(funding=funding, amount=100, currency="USD")
    funding.refresh_from_db()
    assert funding.status == FundingStatus.REQUESTED
    assert LedgerTransaction.objects.count() == 0


def test_gifted_work_asks_for_no_money(offline, member, creator):
    from tests.campaigns.world import make_open_campaign

    campaign = make_open_campaign(member, compensation_type="gifted", fee_per_creator=None, gifted_product="Oats")
    application = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=None
    )
    campaign_services.application_accept(application=application, actor=member.user)
    assert not Funding.objects.filter(application=application).exists()
