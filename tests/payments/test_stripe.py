"""The stripe provider: the real SDK against the fake Stripe in tests/fakes (Checkout, webhooks, Connect)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from campaigns import services as campaign_services
from payments import ledger, services, tasks
from payments.models import Funding, FundingStatus, LedgerTransaction, PayoutAccount, WebhookEvent
from payments.providers import ProviderError

from .conftest import approve_all


def _checkout(client, member, hire) -> str:
    client.force_login(member.user)
    response = client.post(reverse("payments:checkout", args=[hire.pk]))
    assert response.status_code == 302
    return response["Location"]


def _deliver(client, fake, body_sig):
    body, sig = body_sig
    return client.post(
        reverse("payments:stripe_webhook"), data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sig
    )


def _paid_event(fake, hire, member, client, **kw):
    url = _checkout(client, member, hire)
    session_id = url.rsplit("/", 1)[-1]
    return fake.event("checkout.session.completed", fake.pay(session_id), **kw)


def test_checkout_is_a_stripe_session_with_the_application_as_transfer_group(fake_stripe, hire, member, client):
    url = _checkout(client, member, hire)
    assert url.startswith(f"{fake_stripe.url}/checkout/pay/cs_test_")
    session = fake_stripe.sessions[url.rsplit("/", 1)[-1]]
    assert session["amount_total"] == 16500
    assert session["currency"] == "usd"
    assert session["payment_intent_data"]["transfer_group"] == f"application-{hire.pk}"
    funding = Funding.objects.get(application=hire)
    assert session["metadata"] == {"funding_id": str(funding.pk), "application_id": str(hire.pk)}
    assert fake_stripe.idempotency_keys == [f"checkout-{funding.pk}"]
    assert funding.status == FundingStatus.REQUESTED  # a redirect is not a payment


def test_money_is_held_only_when_the_signed_webhook_says_so(fake_stripe, hire, member, client):
    response = _deliver(client, fake_stripe, _paid_event(fake_stripe, hire, member, client))
    assert response.status_code == 200
    funding = Funding.objects.get(application=hire)
    assert funding.status == FundingStatus.HELD
    assert funding.payment_intent_id.startswith("pi_fake")
    assert ledger.balances(application=hire) == {"brand_funding": {"USD": -16500}, "held": {"USD": 16500}}


def test_a_webhook_with_a_bad_signature_moves_no_money(fake_stripe, hire, member, client):
    body_sig = _paid_event(fake_stripe, hire, member, client, secret="whsec_someone_else")
    assert _deliver(client, fake_stripe, body_sig).status_code == 400
    assert (
        client.post(reverse("payments:stripe_webhook"), data=body_sig[0], content_type="application/json").status_code
        == 400
    )
    assert (
        client.post(
            reverse("payments:stripe_webhook"),
            data=b"{not json",
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE="t=1,v1=00",
        ).status_code
        == 400
    )
    assert LedgerTransaction.objects.count() == 0
    assert WebhookEvent.objects.count() == 0


def test_a_stale_signature_is_refused(fake_stripe, hire, member, client):
    body_sig = _paid_event(fake_stripe, hire, member, client, timestamp=1_000_000_000)
    assert _deliver(client, fake_stripe, body_sig).status_code == 400
    assert LedgerTransaction.objects.count() == 0


def test_the_same_event_replayed_100_times_is_one_ledger_movement(fake_stripe, hire, member, client):
    body_sig = _paid_event(fake_stripe, hire, member, client)
    codes = {_deliver(client, fake_stripe, body_sig).status_code for _ in range(100)}
    assert codes == {200}
    assert LedgerTransaction.objects.filter(application=hire).count() == 1
    assert WebhookEvent.objects.count() == 1
    assert ledger.balance(hire, "held", "USD") == 16500


def test_a_second_event_for_the_same_payment_is_harmless(fake_stripe, hire, member, client):
    url = _checkout(client, member, hire)
    session = fake_stripe.pay(url.rsplit("/", 1)[-1])
    _deliver(client, fake_stripe, fake_stripe.event("checkout.session.completed", session))
    _deliver(client, fake_stripe, fake_stripe.event("checkout.session.async_payment_succeeded", session))
    assert LedgerTransaction.objects.filter(application=hire).count() == 1


def test_out_of_order_events_do_not_undo_or_redo(fake_stripe, hire, member, client):
    url = _checkout(client, member, hire)
    session_id = url.rsplit("/", 1)[-1]
    unpaid = dict(fake_stripe.sessions[session_id])
    paid = fake_stripe.pay(session_id)
    _deliver(client, fake_stripe, fake_stripe.event("checkout.session.completed", paid))
    # Late deliveries of older news: an unpaid completion and an expiry, after the payment.
    _deliver(client, fake_stripe, fake_stripe.event("checkout.session.completed", unpaid))
    _deliver(client, fake_stripe, fake_stripe.event("checkout.session.expired", {**unpaid, "status": "expired"}))
    funding = Funding.objects.get(application=hire)
    assert funding.status == FundingStatus.HELD
    assert LedgerTransaction.objects.filter(application=hire).count() == 1


def test_a_paid_event_with_the_wrong_amount_holds_nothing(fake_stripe, hire, member, client):
    url = _checkout(client, member, hire)
    paid = fake_stripe.pay(url.rsplit("/", 1)[-1])
    response = _deliver(
        client, fake_stripe, fake_stripe.event("checkout.session.completed", {**paid, "amount_total": 100})
    )
    assert response.status_code == 200
    assert Funding.objects.get(application=hire).status == FundingStatus.REQUESTED
    assert LedgerTransaction.objects.count() == 0


def _held(fake, hire, member, client) -> Funding:
    _deliver(client, fake, _paid_event(fake, hire, member, client))
    return Funding.objects.get(application=hire)


def _onboard(fake, creator, client) -> str:
    client.force_login(creator.user)
    response = client.post(reverse("payments:payout_account"))
    assert response.status_code == 302
    account = PayoutAccount.objects.get(creator=creator)
    assert response["Location"] == f"{fake.url}/connect/onboarding/{account.external_id}"
    return account.external_id


def test_release_transfers_fee_to_the_connected_account(
    fake_stripe, hire, member, creator, client, django_capture_on_commit_callbacks
):
    funding = _held(fake_stripe, hire, member, client)
    account_id = _onboard(fake_stripe, creator, client)
    _deliver(client, fake_stripe, fake_stripe.event("account.updated", fake_stripe.enable_payouts(account_id)))
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(hire, member, creator)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.PAID_OUT
    [transfer] = fake_stripe.transfers.values()
    assert (transfer["amount"], transfer["currency"], transfer["destination"], transfer["transfer_group"]) == (
        15000,
        "usd",
        account_id,
        f"application-{hire.pk}",
    )
    assert funding.transfer_id == transfer["id"]
    assert f"payout-{funding.pk}" in fake_stripe.idempotency_keys
    assert f"account-creator-{creator.pk}" in fake_stripe.idempotency_keys
    assert ledger.balances(application=hire)["paid_out"] == {"USD": 15000}
    assert ledger.balances(application=hire)["platform_fee"] == {"USD": 1500}
    call_command("check_ledger")


def test_the_money_waits_for_the_payout_account_then_goes(
    fake_stripe, hire, member, creator, client, django_capture_on_commit_callbacks
):
    funding = _held(fake_stripe, hire, member, client)
    account_id = _onboard(fake_stripe, creator, client)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(hire, member, creator)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.RELEASED
    assert fake_stripe.transfers == {}
    with django_capture_on_commit_callbacks(execute=True):
        _deliver(client, fake_stripe, fake_stripe.event("account.updated", fake_stripe.enable_payouts(account_id)))
    funding.refresh_from_db()
    assert funding.status == FundingStatus.PAID_OUT
    assert len(fake_stripe.transfers) == 1


def test_a_stripe_outage_is_retried_and_pays_once(fake_stripe, hire, member, creator, client):
    funding = _held(fake_stripe, hire, member, client)
    account_id = _onboard(fake_stripe, creator, client)
    PayoutAccount.objects.filter(external_id=account_id).update(payouts_enabled=True)
    fake_stripe.enable_payouts(account_id)
    approve_all(hire, member, creator)
    assert services.funding_release(application_id=hire.pk) is True
    fake_stripe.fail("server_error", times=1, status=500, path="/v1/transfers")
    with pytest.raises(ProviderError):
        services.funding_payout(funding_id=funding.pk)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.RELEASED
    assert tasks.payout_funding.apply(args=[funding.pk]).get() is True
    assert tasks.payout_funding.apply(args=[funding.pk]).get() is False  # already paid
    assert len(fake_stripe.transfers) == 1


def test_tasks_retry_provider_errors_with_backoff():
    for task in (tasks.release_application, tasks.payout_funding, tasks.refund_application):
        assert task.autoretry_for == (ProviderError,)
        assert task.retry_backoff is True
        assert task.max_retries == 10


def test_a_crash_after_the_transfer_recovers_through_the_idempotency_key(fake_stripe, hire, member, creator, client):
    """The worker called Stripe, then died before its commit: the retry gets Stripe's first transfer back."""
    funding = _held(fake_stripe, hire, member, client)
    account_id = _onboard(fake_stripe, creator, client)
    PayoutAccount.objects.filter(external_id=account_id).update(payouts_enabled=True)
    approve_all(hire, member, creator)
    services.funding_release(application_id=hire.pk)
    from payments.providers import provider

    first = provider("stripe").transfer(funding, destination=account_id)  # the call that "crashed" before commit
    assert services.funding_payout(funding_id=funding.pk) is True
    funding.refresh_from_db()
    assert funding.transfer_id == first
    assert len(fake_stripe.transfers) == 1


def test_cancel_refunds_through_stripe(fake_stripe, hire, member, client, django_capture_on_commit_callbacks):
    funding = _held(fake_stripe, hire, member, client)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.campaign_cancel(campaign=hire.campaign, actor=member.user)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.REFUNDED
    [refund] = fake_stripe.refunds.values()
    assert (refund["amount"], refund["payment_intent"]) == (16500, funding.payment_intent_id)
    assert f"refund-{funding.pk}" in fake_stripe.idempotency_keys
    assert ledger.balances(application=hire)["refunded"] == {"USD": 16500}


def test_webhook_payload_is_stored(fake_stripe, hire, member, client):
    body, sig = _paid_event(fake_stripe, hire, member, client)
    _deliver(client, fake_stripe, (body, sig))
    event = WebhookEvent.objects.get()
    assert event.event_id == json.loads(body)["id"]
    assert event.type == "checkout.session.completed"
    assert event.processed_at is not None


def test_a_creator_whose_payout_account_is_not_ready_is_told_once(
    fake_stripe, hire, member, creator, client, django_capture_on_commit_callbacks
):
    from campaigns.models import Notification

    funding = _held(fake_stripe, hire, member, client)
    account_id = _onboard(fake_stripe, creator, client)
    assert services.payout_account_reminders() == 0  # held, not released yet: nothing to wait for
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(hire, member, creator)
    funding.refresh_from_db()
    assert funding.status == FundingStatus.RELEASED
    assert tasks.remind_payout_accounts.apply().get() == 1
    assert services.payout_account_reminders() == 0  # a second tick: once per funding
    told = list(Notification.objects.filter(user=creator.user).values_list("verb", "target_url"))
    title = hire.campaign.title
    assert [t for t in told if "payout account" in t[0]] == [
        (
            f"150.00 USD for “{title}” is waiting for you: set up your payout account to receive it.",
            "/payments/payout-account/",
        )
    ]
    assert Notification.objects.filter(user=member.user, verb__contains="payout account").count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        _deliver(client, fake_stripe, fake_stripe.event("account.updated", fake_stripe.enable_payouts(account_id)))
    funding.refresh_from_db()
    assert funding.status == FundingStatus.PAID_OUT


def test_offline_money_needs_no_payout_account_reminder(offline, hire, member, creator):
    funding = Funding.objects.get(application=hire)
    assert services.funding_mark_held(funding=funding, amount=funding.total, currency="USD", reference="offline")
    approve_all(hire, member, creator)
    assert services.funding_release(application_id=hire.pk) is True
    funding.refresh_from_db()
    assert funding.status == FundingStatus.RELEASED  # offline: an admin records the payout by hand
    assert services.payout_account_reminders() == 0
