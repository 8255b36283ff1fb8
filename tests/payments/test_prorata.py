"""Pro rata refunds (payments/settlement.py): a funded hire ends after some deliverables were approved; their share
of the fee goes to the creator (the platform keeps its fee in proportion), the rest back to the brand."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from campaigns import services as campaign_services
from payments import ledger, services
from payments.models import Document, Funding, FundingStatus, LedgerTransaction, Movement, PayoutAccount
from payments.settlement import deliverable_shares, split_amounts
from tests.campaigns.world import make_open_campaign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fee", "count", "shares"),
    [
        (10000, 3, [3334, 3333, 3333]),
        (10001, 3, [3334, 3334, 3333]),
        (15000, 4, [3750, 3750, 3750, 3750]),
        (2, 3, [1, 1, 0]),
        (999, 1, [999]),
        (500, 0, []),
    ],
)
def test_the_fee_splits_over_deliverables_remainder_first(fee, count, shares):
    assert deliverable_shares(fee, count) == shares
    assert sum(shares) == (fee if count else 0)


@pytest.mark.parametrize(
    ("fee", "platform_fee", "to_creator", "expected"),
    [
        (10000, 1000, 3334, (3334, 333, 7333)),  # 333.4 → 333
        (10000, 1000, 6667, (6667, 667, 3666)),  # 666.7 → 667
        (10000, 1000, 5000, (5000, 500, 5500)),
        (15000, 1500, 15000, (15000, 1500, 0)),
        (15000, 1500, 0, (0, 0, 16500)),
        (10000, 1250, 100, (100, 13, 11137)),  # 12.5 → 13 (half up)
    ],
)
def test_split_amounts(fee, platform_fee, to_creator, expected):
    funding = Funding(fee=fee, platform_fee=platform_fee)
    assert split_amounts(funding, to_creator) == expected
    assert sum(expected) == fee + platform_fee


def test_split_amounts_refuse_outside_zero_to_fee():
    funding = Funding(fee=100, platform_fee=10)
    for bad in (-1, 101):
        with pytest.raises(ValueError):
            split_amounts(funding, bad)


@pytest.fixture
def three(member, creator):
    """A hire of three deliverables at 100.00 (the brand funds 100.00 + 10.00)."""
    campaign = make_open_campaign(member, specs=3)
    application = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Three reels", proposed_rate=100
    )
    campaign_services.application_accept(application=application, actor=member.user)
    assert application.deliverables.count() == 3
    return application


def _approve(deliverable, member, creator):
    campaign_services.deliverable_submit(deliverable=deliverable, actor=creator.user, link="https://example.com/d")
    campaign_services.deliverable_approve(deliverable=deliverable, actor=member.user)


def _cancel(application, member, capture):
    with capture(execute=True):
        campaign_services.campaign_cancel(campaign=application.campaign, actor=member.user)


def test_one_of_three_approved_then_cancelled(
    offline, three, member, creator, django_capture_on_commit_callbacks, capsys
):
    funding = Funding.objects.get(application=three)
    services.funding_mark_held(funding=funding, amount=11000, currency="USD")
    first, _second, _third = three.deliverables.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        _approve(first, member, creator)
    _cancel(three, member, django_capture_on_commit_callbacks)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.RELEASED  # offline: the creator's part waits for an admin's payout
    assert ledger.balances(application=three) == {
        "brand_funding": {"USD": -11000},
        "held": {"USD": 0},
        "creator_owed": {"USD": 3334},
        "platform_fee": {"USD": 333},
        "refunded": {"USD": 7333},
    }
    split = LedgerTransaction.objects.get(application=three, kind=Movement.SPLIT)
    assert (split.memo, split.reference) == ("pro rata", "offline")
    assert services.funding_payout(funding_id=funding.pk, reference="offline by admin") is True
    assert ledger.balances(application=three)["paid_out"] == {"USD": 3334}
    call_command("check_ledger")
    assert capsys.readouterr().out.strip() == "ledger OK: 3 transactions checked"
    # The creator's statement says what was paid out, not the whole fee; the brand's receipt what it paid.
    statement = Document.objects.get(funding=funding, kind="statement")
    assert (statement.fee, statement.platform_fee, statement.currency) == (3334, 333, "USD")
    receipt = Document.objects.get(funding=funding, kind="receipt")
    assert (receipt.fee, receipt.platform_fee) == (10000, 1000)


def test_the_later_deliverables_carry_the_smaller_shares(
    offline, three, member, creator, django_capture_on_commit_callbacks
):
    funding = Funding.objects.get(application=three)
    services.funding_mark_held(funding=funding, amount=11000, currency="USD")
    _first, second, third = three.deliverables.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        _approve(second, member, creator)
        _approve(third, member, creator)
    _cancel(three, member, django_capture_on_commit_callbacks)
    assert ledger.balances(application=three)["creator_owed"] == {"USD": 6666}  # 3333 + 3333
    assert ledger.balances(application=three)["platform_fee"] == {"USD": 667}  # 666.6 → 667
    assert ledger.balances(application=three)["refunded"] == {"USD": 3667}


def test_none_approved_is_a_whole_refund(offline, three, member, django_capture_on_commit_callbacks):
    funding = Funding.objects.get(application=three)
    services.funding_mark_held(funding=funding, amount=11000, currency="USD")
    _cancel(three, member, django_capture_on_commit_callbacks)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.REFUNDED
    assert ledger.balances(application=three)["refunded"] == {"USD": 11000}
    assert list(LedgerTransaction.objects.filter(application=three).values_list("kind", flat=True)) == [
        "hold",
        "refund",
    ]


def test_pro_rata_through_stripe_refunds_the_part_and_pays_the_rest(
    fake_stripe, three, member, creator, client, django_capture_on_commit_callbacks, capsys
):
    from .test_stripe import _checkout, _deliver

    url = _checkout(client, member, three)
    _deliver(
        client, fake_stripe, fake_stripe.event("checkout.session.completed", fake_stripe.pay(url.rsplit("/", 1)[-1]))
    )
    funding = Funding.objects.get(application=three)
    assert funding.status == FundingStatus.HELD
    account = fake_stripe.accounts[
        services.payout_account_start(creator=creator, refresh_url="http://x/", return_url="http://x/").rsplit("/", 1)[
            -1
        ]
    ]
    fake_stripe.enable_payouts(account["id"])
    PayoutAccount.objects.filter(creator=creator).update(payouts_enabled=True)
    first = three.deliverables.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        _approve(first, member, creator)
    _cancel(three, member, django_capture_on_commit_callbacks)

    [refund] = fake_stripe.refunds.values()
    assert (refund["amount"], refund["payment_intent"]) == (7333, funding.payment_intent_id)
    assert f"refund-{funding.pk}" in fake_stripe.idempotency_keys
    [transfer] = fake_stripe.transfers.values()
    assert (transfer["amount"], transfer["destination"], transfer["transfer_group"]) == (
        3334,
        account["id"],
        f"application-{three.pk}",
    )
    funding.refresh_from_db()
    assert (funding.status, funding.refund_id, funding.transfer_id) == (
        FundingStatus.PAID_OUT,
        refund["id"],
        transfer["id"],
    )
    assert ledger.balances(application=three) == {
        "brand_funding": {"USD": -11000},
        "held": {"USD": 0},
        "creator_owed": {"USD": 0},
        "platform_fee": {"USD": 333},
        "refunded": {"USD": 7333},
        "paid_out": {"USD": 3334},
    }
    call_command("check_ledger")
    assert capsys.readouterr().out.strip() == "ledger OK: 3 transactions checked"


def test_a_refund_retried_after_a_crash_is_refunded_once(fake_stripe, three, member, creator, client):
    """Stripe refunded, the worker died before its commit: the retry's idempotency key gets the same refund back."""
    from payments.providers import provider

    from .test_stripe import _checkout, _deliver

    url = _checkout(client, member, three)
    _deliver(
        client, fake_stripe, fake_stripe.event("checkout.session.completed", fake_stripe.pay(url.rsplit("/", 1)[-1]))
    )
    funding = Funding.objects.get(application=three)
    first = three.deliverables.order_by("pk").first()
    _approve(first, member, creator)
    crashed = provider("stripe").refund(funding, amount=7333)
    assert services.funding_refund(application_id=three.pk) is True
    funding.refresh_from_db()
    assert funding.refund_id == crashed
    assert len(fake_stripe.refunds) == 1
