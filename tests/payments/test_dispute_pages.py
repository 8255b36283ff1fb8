"""The dispute action on the hire's payment page (both sides, with a confirmation) and its resolution in the admin."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from payments import disputes, ledger, services
from payments.models import Dispute, Funding, FundingStatus, LedgerTransaction
from tests.factories import UserFactory
from tests.factories.users import login_with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(offline, hire):
    funding = Funding.objects.get(application=hire)
    services.funding_mark_held(funding=funding, amount=16500, currency="USD")
    return funding


@pytest.fixture
def admin_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    login_with_mfa(client, staff)
    client.staff = staff
    return client


def _url(hire) -> str:
    return reverse("payments:dispute_open", args=[hire.pk])


@pytest.mark.parametrize("side", ["creator", "member"])
def test_either_side_opens_a_dispute_after_confirming(held, hire, creator, member, client, side):
    user = {"creator": creator.user, "member": member.user}[side]
    client.force_login(user)
    page = client.get(reverse("payments:funding", args=[hire.pk])).content.decode()
    assert "Open a dispute" in page
    assert f'action="{_url(hire)}"' in page

    step = client.post(_url(hire), {"reason": "The brief changed after the hire."})
    body = step.content.decode()
    assert step.status_code == 200
    assert 'data-testid="confirm-step"' in body
    assert "Open a dispute on this hire?" in body
    assert '<input type="hidden" name="reason" value="The brief changed after the hire.">' in body
    assert Dispute.objects.count() == 0  # nothing until confirmed

    done = client.post(_url(hire), {"reason": "The brief changed after the hire.", "confirm": "true"}, follow=True)
    body = done.content.decode()
    assert "Dispute opened. The money stays held until the platform resolves it." in body
    assert 'data-testid="dispute-open"' in body
    assert "The brief changed after the hire." in body
    assert "Open a dispute</summary>" not in body  # one open dispute at a time
    dispute = Dispute.objects.get()
    assert (dispute.side, dispute.opened_by) == ({"creator": "creator", "member": "brand"}[side], user)
    app_page = client.get(reverse("campaigns:application", args=[hire.pk])).content.decode()
    assert 'data-testid="money-status">Funded · disputed</a>' in app_page


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Say what is wrong: the reason is required."),
        ("y" * 2001, "Keep the reason under 2,000 characters (it has 2001)."),
    ],
)
def test_a_bad_reason_is_refused_with_the_text_kept(held, hire, creator, client, reason, message):
    client.force_login(creator.user)
    response = client.post(_url(hire), {"reason": reason, "confirm": "true"})
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert f">\n{reason}</textarea>" in body  # nothing typed is lost
    assert '<details class="dispute" open>' in body
    assert Dispute.objects.count() == 0


def test_no_dispute_action_before_the_money_is_held(offline, hire, creator, client):
    client.force_login(creator.user)
    assert "Open a dispute" not in client.get(reverse("payments:funding", args=[hire.pk])).content.decode()
    response = client.post(_url(hire), {"reason": "Early.", "confirm": "true"})
    assert response.status_code == 409
    assert "this hire&#x27;s payment is “Waiting for the brand&#x27;s payment”" in response.content.decode()
    assert Dispute.objects.count() == 0


@pytest.mark.parametrize("who", ["other_member", "other_creator", "stranger"])
def test_other_tenants_get_404(held, hire, other_member, other_creator, client, who):
    user = {"other_member": other_member.user, "other_creator": other_creator.user, "stranger": UserFactory()}[who]
    client.force_login(user)
    assert client.post(_url(hire), {"reason": "Not mine.", "confirm": "true"}).status_code == 404
    assert Dispute.objects.count() == 0


def test_the_payment_page_queries_stay_flat_with_a_dispute(held, hire, creator, client, django_assert_max_num_queries):
    disputes.dispute_open(application=hire, actor=creator.user, reason="Quality.")
    client.force_login(creator.user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("payments:funding", args=[hire.pk])).status_code == 200


def test_the_admin_resolves_a_split(held, hire, creator, member, admin_client, capsys):
    dispute = disputes.dispute_open(application=hire, actor=creator.user, reason="Two of three reels.")
    change = admin_client.get(reverse("admin:payments_dispute_change", args=[dispute.pk])).content.decode()
    resolve_url = reverse("admin:payments_dispute_resolve", args=[dispute.pk])
    assert resolve_url in change
    form = admin_client.get(resolve_url).content.decode()
    assert "Two of three reels." in form
    assert "165.00 USD" in form
    # The two plain outcomes, spelled out: release all (150.00 / 15.00 / 0.00), refund all (0.00 / 0.00 / 165.00).
    assert "<td>150.00 USD</td><td>15.00 USD</td><td>0.00 USD</td>" in form
    assert "<td>0.00 USD</td><td>0.00 USD</td><td>165.00 USD</td>" in form

    too_much = admin_client.post(resolve_url, {"outcome": "split", "to_creator": "150.01", "note": ""})
    assert too_much.status_code == 200
    assert "At most the creator&#x27;s fee, 150.00 USD." in too_much.content.decode()
    missing = admin_client.post(resolve_url, {"outcome": "split", "to_creator": "", "note": ""})
    assert "A split needs the amount for the creator." in missing.content.decode()
    negative = admin_client.post(resolve_url, {"outcome": "split", "to_creator": "-1", "note": ""})
    assert "greater than or equal to 0" in negative.content.decode()
    assert LedgerTransaction.objects.filter(application=hire).count() == 1

    done = admin_client.post(resolve_url, {"outcome": "split", "to_creator": "100.00", "note": "Two reels delivered."})
    assert done.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.to_creator, dispute.to_platform, dispute.to_brand) == (
        "resolved",
        10000,
        1000,
        5500,
    )
    assert dispute.resolved_by == admin_client.staff
    assert ledger.balances(application=hire)["refunded"] == {"USD": 5500}

    again = admin_client.post(resolve_url, {"outcome": "refund", "note": ""})
    assert again.status_code == 200
    assert "This dispute is resolved." in again.content.decode()
    assert LedgerTransaction.objects.filter(application=hire).count() == 2
    assert Funding.objects.get(application=hire).status == FundingStatus.RELEASED
    call_command("check_ledger")
    assert capsys.readouterr().out.strip() == "ledger OK: 2 transactions checked"

    client_page = admin_client.get(reverse("payments:funding", args=[hire.pk]))
    assert client_page.status_code == 404  # the staff user is no party to the hire; the admin is their view


def test_a_provider_outage_while_resolving_moves_nothing(fake_stripe, hire, member, creator, client):
    from .test_stripe import _checkout, _deliver

    url = _checkout(client, member, hire)
    _deliver(
        client, fake_stripe, fake_stripe.event("checkout.session.completed", fake_stripe.pay(url.rsplit("/", 1)[-1]))
    )
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="Nothing came.")
    staff = UserFactory(is_staff=True, is_superuser=True)
    login_with_mfa(client, staff)
    resolve_url = reverse("admin:payments_dispute_resolve", args=[dispute.pk])
    fake_stripe.fail("server_error", times=1, status=500, path="/v1/refunds")
    response = client.post(resolve_url, {"outcome": "refund", "note": "Refund."})
    assert response.status_code == 200
    assert "The payment provider is not answering; nothing moved." in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == "open"
    assert Funding.objects.get(application=hire).status == FundingStatus.HELD
    assert fake_stripe.refunds == {}
    assert client.post(resolve_url, {"outcome": "refund", "note": "Refund."}).status_code == 302
    [refund] = fake_stripe.refunds.values()
    assert refund["amount"] == 16500
    assert ledger.balances(application=hire)["refunded"] == {"USD": 16500}
