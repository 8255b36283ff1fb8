"""Reconciliation (payments/reconcile.py): Stripe's transfers per transfer group vs the ledger, with the real SDK
against the fake Stripe. A transfer the ledger missed (a killed worker) is recorded once; every other difference is
reported (log warning, audit entry, summary line), never fixed."""

from __future__ import annotations

import logging

import pytest
import stripe
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from marketplace.celery import app as celery_app
from payments import ledger, services, tasks
from payments.models import Funding, FundingStatus, LedgerTransaction, Movement, PayoutAccount
from payments.providers import provider
from payments.reconcile import reconcile_transfers

from .conftest import approve_all

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for the worker process dying: not an Exception, so nothing on the way catches it."""


@pytest.fixture
def released(fake_stripe, hire, member, creator):
    """A Stripe funding, released, whose creator's payout account is ready: the next step is the transfer."""
    funding = Funding.objects.get(application=hire)
    services.funding_mark_held(funding=funding, amount=16500, currency="USD", payment_intent="pi_x")
    link = services.payout_account_start(creator=creator, refresh_url="http://x/", return_url="http://x/")
    account_id = link.rsplit("/", 1)[-1]
    fake_stripe.enable_payouts(account_id)
    PayoutAccount.objects.filter(external_id=account_id).update(payouts_enabled=True)
    approve_all(hire, member, creator)
    assert services.funding_release(application_id=hire.pk) is True
    funding.refresh_from_db()
    return funding


def _kill_after_the_transfer(monkeypatch):
    real_post = ledger.post

    def post(**kwargs):
        if kwargs["kind"] == Movement.PAYOUT:
            raise WorkerKilled  # Stripe answered; the process dies before the ledger write commits
        return real_post(**kwargs)

    monkeypatch.setattr(ledger, "post", post)


def test_fake_stripe_lists_transfers_per_group_in_pages(fake_stripe, released, hire):
    """GET /v1/transfers?transfer_group=… speaks Stripe's list JSON (newest first, limit, has_more, starting_after);
    the SDK pages through it."""
    client = stripe.StripeClient("sk_test_fake", base_addresses={"api": fake_stripe.url})
    account_id = PayoutAccount.objects.get().external_id
    group = f"application-{hire.pk}"

    def send(amount, transfer_group):
        params = {"amount": amount, "currency": "usd", "destination": account_id, "transfer_group": transfer_group}
        return client.v1.transfers.create(params=params).id

    made = [send(100 + n, group) for n in range(3)]
    send(999, "application-0")  # another group's transfer is not listed
    page = client.v1.transfers.list(params={"transfer_group": group, "limit": 2})
    assert (page.object, page.has_more, [t.id for t in page.data]) == ("list", True, [made[2], made[1]])
    assert [t.id for t in page.auto_paging_iter()] == [made[2], made[1], made[0]]
    assert provider("stripe").transfers_for(hire.pk) == [
        {"id": made[2], "amount": 102, "currency": "USD", "reversed": False},
        {"id": made[1], "amount": 101, "currency": "USD", "reversed": False},
        {"id": made[0], "amount": 100, "currency": "USD", "reversed": False},
    ]
    with pytest.raises(stripe.InvalidRequestError, match="limit must be between 1 and 100"):
        client.v1.transfers.list(params={"limit": 101})


def test_a_killed_worker_is_recorded_once_by_reconciliation(released, fake_stripe, hire, monkeypatch, caplog, capsys):
    _kill_after_the_transfer(monkeypatch)
    with pytest.raises(WorkerKilled):
        tasks.payout_funding.apply(args=[released.pk], throw=True)
    monkeypatch.undo()
    released.refresh_from_db()
    assert released.status == FundingStatus.RELEASED  # the database write was lost…
    [transfer] = fake_stripe.transfers.values()  # …Stripe's transfer was not
    assert transfer["amount"] == 15000
    assert not LedgerTransaction.objects.filter(application=hire, kind=Movement.PAYOUT).exists()

    with caplog.at_level(logging.WARNING, logger="payments.reconcile"):
        report = reconcile_transfers()
    assert report.summary() == "reconciled 1 fundings: 1 payouts recorded, 0 discrepancies"
    assert f"recorded payout {transfer['id']} of application {hire.pk}" in caplog.text
    released.refresh_from_db()
    assert (released.status, released.transfer_id) == (FundingStatus.PAID_OUT, transfer["id"])
    payout = LedgerTransaction.objects.get(application=hire, kind=Movement.PAYOUT)
    assert payout.reference == transfer["id"]
    assert ledger.balances(application=hire)["paid_out"] == {"USD": 15000}
    assert (
        AuditEntry.objects.filter(target_type__model="funding", target_id=released.pk, action="reconciled").count() == 1
    )

    # Again, and the retried task: nothing more moves, at Stripe or in the ledger.
    assert reconcile_transfers().summary() == "reconciled 1 fundings: 0 payouts recorded, 0 discrepancies"
    assert tasks.payout_funding.apply(args=[released.pk]).get() is False
    assert len(fake_stripe.transfers) == 1
    assert LedgerTransaction.objects.filter(application=hire, kind=Movement.PAYOUT).count() == 1
    call_command("check_ledger")
    assert capsys.readouterr().out.strip() == "ledger OK: 3 transactions checked"


def test_the_retry_before_reconciliation_reuses_the_transfer(released, fake_stripe, hire, monkeypatch):
    _kill_after_the_transfer(monkeypatch)
    with pytest.raises(WorkerKilled):
        services.funding_payout(funding_id=released.pk)
    monkeypatch.undo()
    assert tasks.payout_funding.apply(args=[released.pk]).get() is True  # same idempotency key, same transfer
    assert len(fake_stripe.transfers) == 1
    assert reconcile_transfers().summary() == "reconciled 1 fundings: 0 payouts recorded, 0 discrepancies"


def test_an_amount_mismatch_is_reported_not_fixed(released, fake_stripe, hire, caplog):
    assert services.funding_payout(funding_id=released.pk) is True
    [transfer] = fake_stripe.transfers.values()
    transfer["amount"] = 14000
    with caplog.at_level(logging.WARNING, logger="payments.reconcile"):
        report = reconcile_transfers()
    problem = f"application {hire.pk}: Stripe transfer {transfer['id']} is 140.00 USD, the ledger paid out 150.00 USD"
    assert report.problems == [problem]
    assert report.summary() == "reconciled 1 fundings: 0 payouts recorded, 1 discrepancies"
    assert problem in caplog.text
    entry = AuditEntry.objects.get(action="reconcile_discrepancy")
    assert (entry.target_id, entry.note, entry.actor) == (released.pk, problem, None)
    assert ledger.balances(application=hire)["paid_out"] == {"USD": 15000}  # untouched
    # The next hourly run warns again but writes the audit log once.
    assert reconcile_transfers().problems == [problem]
    assert AuditEntry.objects.filter(action="reconcile_discrepancy").count() == 1


def test_a_ledger_payout_with_no_transfer_is_reported(released, fake_stripe, hire):
    assert services.funding_payout(funding_id=released.pk) is True
    [transfer_id] = list(fake_stripe.transfers)
    del fake_stripe.transfers[transfer_id]
    report = reconcile_transfers()
    assert report.problems == [
        f"application {hire.pk}: ledger payout {transfer_id} of 150.00 USD has no Stripe transfer"
    ]


def test_a_transfer_for_the_wrong_amount_is_not_recorded(released, fake_stripe, hire):
    account_id = PayoutAccount.objects.get().external_id
    tr = provider("stripe").transfer(released, destination=account_id, amount=9999)
    report = reconcile_transfers()
    assert report.problems == [
        f"application {hire.pk}: Stripe has {tr} 99.99 USD; "
        "the ledger has no payout (owed 150.00 USD, funding released)"
    ]
    released.refresh_from_db()
    assert released.status == FundingStatus.RELEASED
    assert not LedgerTransaction.objects.filter(application=hire, kind=Movement.PAYOUT).exists()


def test_a_second_transfer_is_reported(released, fake_stripe, hire):
    assert services.funding_payout(funding_id=released.pk) is True
    account_id = PayoutAccount.objects.get().external_id
    fake_stripe.idempotency_keys.clear()
    stray = stripe.StripeClient("sk_test_fake", base_addresses={"api": fake_stripe.url}).v1.transfers.create(
        params={
            "amount": 15000,
            "currency": "usd",
            "destination": account_id,
            "transfer_group": f"application-{hire.pk}",
        }
    )
    assert reconcile_transfers().problems == [
        f"application {hire.pk}: Stripe transfer {stray.id} of 150.00 USD is not in the ledger (a second transfer)"
    ]


def test_offline_and_unreleased_fundings_are_not_asked_about(offline, hire, fake_stripe):
    assert reconcile_transfers().summary() == "reconciled 0 fundings: 0 payouts recorded, 0 discrepancies"


def test_stripe_unreachable_is_counted_not_a_discrepancy(released, fake_stripe):
    fake_stripe.fail("server_error", times=1, status=500, path="/v1/transfers")
    report = reconcile_transfers()
    assert report.summary() == "reconciled 1 fundings: 0 payouts recorded, 0 discrepancies, 1 not reachable"


def test_the_command_and_the_beat(released, fake_stripe, hire, capsys):
    call_command("reconcile_payments")
    assert capsys.readouterr().out.strip() == "reconciled 1 fundings: 0 payouts recorded, 0 discrepancies"
    account_id = PayoutAccount.objects.get().external_id
    provider("stripe").transfer(released, destination=account_id, amount=1)
    with pytest.raises(CommandError, match="reconciled 1 fundings: 0 payouts recorded, 1 discrepancies"):
        call_command("reconcile_payments")
    entry = celery_app.conf.beat_schedule["payments-reconcile-transfers"]
    assert entry["task"] == "payments.tasks.reconcile_transfers"
    assert str(entry["schedule"].minute) == "{50}"
    assert tasks.reconcile_transfers.apply().get() == "reconciled 1 fundings: 0 payouts recorded, 1 discrepancies"
