"""Disputes (payments/disputes.py): either side opens one on held money; it freezes release and refund until an admin
resolves it (release all, refund all, split); one balanced ledger transaction each, audited and told to both sides."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from audit.models import AuditEntry
from campaigns import services as campaign_services
from campaigns.models import Deliverable, DeliverableStatus, Notification
from payments import disputes, ledger, services
from payments.models import Dispute, DisputeStatus, Funding, FundingStatus, LedgerTransaction, Movement
from tests.factories import BrandMemberFactory, UserFactory

from .conftest import approve_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(offline, hire):
    funding = Funding.objects.get(application=hire)
    assert services.funding_mark_held(funding=funding, amount=16500, currency="USD", reference="offline test")
    funding.refresh_from_db()
    return funding


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True, email="admin@example.com")


def _ledger_ok(capsys) -> str:
    call_command("check_ledger")
    return capsys.readouterr().out.strip()


def _bell(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("verb", flat=True))


def test_the_creator_opens_a_dispute_audited_and_told(
    held, hire, member, creator, staff, django_capture_on_commit_callbacks
):
    teammate = BrandMemberFactory(brand=member.brand)
    with django_capture_on_commit_callbacks(execute=True):
        dispute = disputes.dispute_open(
            application=hire, actor=creator.user, reason="  The brand asks for 3 extra reels.  "
        )
    assert (dispute.side, dispute.status, dispute.reason) == ("creator", "open", "The brand asks for 3 extra reels.")
    entry = AuditEntry.objects.get(target_type__model="dispute", target_id=dispute.pk)
    assert (entry.action, entry.actor, entry.to_state, entry.note) == (
        "opened",
        creator.user,
        "open",
        "The brand asks for 3 extra reels.",
    )
    title = hire.campaign.title
    told = f"A dispute was opened on “{title}”: the 165.00 USD held stays put until the platform resolves it."
    assert _bell(member.user) == _bell(teammate.user) == [told]
    assert _bell(creator.user) == []  # the one who opened it knows
    assert _bell(staff) == [f"Dispute to resolve on “{title}” (165.00 USD held)."]
    assert sorted(m.to[0] for m in mail.outbox if told in m.subject) == sorted([member.user.email, teammate.user.email])


def test_an_open_dispute_freezes_release_after_approval(
    held, hire, member, creator, django_capture_on_commit_callbacks, capsys
):
    disputes.dispute_open(application=hire, actor=member.user, reason="The reel is off brief.")
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(hire, member, creator)
    assert set(hire.deliverables.values_list("status", flat=True)) == {DeliverableStatus.APPROVED}  # approval happens
    held.refresh_from_db()
    assert held.status == FundingStatus.HELD  # the money does not move
    assert services.funding_release(application_id=hire.pk) is False
    assert list(LedgerTransaction.objects.filter(application=hire).values_list("kind", flat=True)) == ["hold"]
    assert _ledger_ok(capsys) == "ledger OK: 1 transactions checked"


def test_an_open_dispute_freezes_the_auto_approval_release(held, hire, creator, django_capture_on_commit_callbacks):
    import datetime as dt

    d = hire.deliverables.get()
    campaign_services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/draft")
    friday = dt.datetime(2031, 3, 7, 10, 0, tzinfo=dt.UTC)
    d.submissions.update(created_at=friday)
    disputes.dispute_open(application=hire, actor=creator.user, reason="No answer from the brand.")
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_services.deliverables_auto_approve(now=dt.datetime(2031, 3, 12, 10, 0, tzinfo=dt.UTC)) == 1
    d.refresh_from_db()
    held.refresh_from_db()
    assert (d.status, held.status) == (DeliverableStatus.APPROVED, FundingStatus.HELD)


def test_an_open_dispute_freezes_the_refund_of_a_cancelled_campaign(
    held, hire, member, staff, django_capture_on_commit_callbacks, capsys
):
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="We cancel, the creator disagrees.")
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.campaign_cancel(campaign=hire.campaign, actor=member.user)
    held.refresh_from_db()
    assert held.status == FundingStatus.HELD
    assert LedgerTransaction.objects.filter(application=hire).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert disputes.dispute_resolve(dispute=dispute, outcome="split", to_creator=3000, actor=staff)
    assert ledger.balances(application=hire) == {
        "brand_funding": {"USD": -16500},
        "held": {"USD": 0},
        "creator_owed": {"USD": 3000},
        "platform_fee": {"USD": 300},
        "refunded": {"USD": 13200},
    }
    assert _ledger_ok(capsys) == "ledger OK: 2 transactions checked"


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("   ", "Say what is wrong: the reason is required."),
        ("x" * 2001, "Keep the reason under 2,000 characters (it has 2001)."),
    ],
)
def test_a_dispute_needs_a_bounded_reason(held, hire, creator, reason, message):
    with pytest.raises(disputes.DisputeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        disputes.dispute_open(application=hire, actor=creator.user, reason=reason)
    assert Dispute.objects.count() == 0


def test_only_one_open_dispute_per_funding(held, hire, member, creator):
    disputes.dispute_open(application=hire, actor=creator.user, reason="Late payment of the extra.")
    with pytest.raises(disputes.DisputeConflict, match="A dispute is already open on this hire"):
        disputes.dispute_open(application=hire, actor=member.user, reason="We disagree too.")
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it as well
        Dispute.objects.create(funding=held, application=hire, side="brand", opened_by=member.user, reason="Again")
    assert Dispute.objects.filter(status=DisputeStatus.OPEN).count() == 1


def test_only_held_money_can_be_disputed_and_only_by_the_parties(offline, hire, member, creator, other_member):
    with pytest.raises(disputes.DisputeConflict, match="this hire's payment is “Waiting for the brand's payment”"):
        disputes.dispute_open(application=hire, actor=creator.user, reason="Not funded yet.")
    with pytest.raises(disputes.DisputeNotPermitted):
        disputes.dispute_open(application=hire, actor=other_member.user, reason="Not mine.")
    assert Dispute.objects.count() == 0


def test_resolve_release_all(held, hire, member, creator, staff, django_capture_on_commit_callbacks, capsys):
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="Quality.")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert disputes.dispute_resolve(dispute=dispute, outcome="release", actor=staff, note="The work matches.")
    dispute.refresh_from_db()
    held.refresh_from_db()
    assert (dispute.status, dispute.outcome, dispute.to_creator, dispute.to_platform, dispute.to_brand) == (
        "resolved",
        "release",
        15000,
        1500,
        0,
    )
    assert held.status == FundingStatus.RELEASED  # offline: the payout waits for an admin
    assert ledger.balances(application=hire) == {
        "brand_funding": {"USD": -16500},
        "held": {"USD": 0},
        "creator_owed": {"USD": 15000},
        "platform_fee": {"USD": 1500},
    }
    entry = AuditEntry.objects.get(target_type__model="dispute", target_id=dispute.pk, action="resolved")
    assert (entry.actor, entry.from_state, entry.to_state, entry.note) == (
        staff,
        "open",
        "resolved",
        "The work matches.",
    )
    assert entry.data == {
        "outcome": "release",
        "to_creator": 15000,
        "to_platform": 1500,
        "to_brand": 0,
        "currency": "USD",
    }
    told = (
        f"The dispute on “{hire.campaign.title}” was resolved: "
        "150.00 USD to the creator, 0.00 USD refunded to the brand."
    )
    assert _bell(creator.user) == _bell(member.user) == [told]
    assert _ledger_ok(capsys) == "ledger OK: 2 transactions checked"


def test_resolve_refund_all(held, hire, member, creator, staff, capsys):
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="Nothing delivered.")
    assert disputes.dispute_resolve(dispute=dispute, outcome="refund", actor=staff)
    held.refresh_from_db()
    assert held.status == FundingStatus.REFUNDED
    assert ledger.balances(application=hire) == {
        "brand_funding": {"USD": -16500},
        "held": {"USD": 0},
        "refunded": {"USD": 16500},
    }
    assert LedgerTransaction.objects.get(application=hire, kind=Movement.REFUND).memo == f"dispute {dispute.pk}"
    assert _ledger_ok(capsys) == "ledger OK: 2 transactions checked"


def test_resolve_split_keeps_the_platform_fee_in_proportion(held, hire, member, staff, capsys):
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="Half the work.")
    assert disputes.dispute_resolve(dispute=dispute, outcome="split", to_creator=5000, actor=staff)
    dispute.refresh_from_db()
    assert (dispute.to_creator, dispute.to_platform, dispute.to_brand) == (5000, 500, 11000)
    [split] = LedgerTransaction.objects.filter(application=hire, kind=Movement.SPLIT)
    assert sorted(split.entries.values_list("account", "amount")) == [
        ("creator_owed", 5000),
        ("held", -16500),
        ("platform_fee", 500),
        ("refunded", 11000),
    ]
    held.refresh_from_db()
    assert held.status == FundingStatus.RELEASED
    assert _ledger_ok(capsys) == "ledger OK: 2 transactions checked"


def test_split_rounding_of_the_platform_share(held, hire, member, staff):
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="Partly.")
    # 1500 × 3333 / 15000 = 333.3 → 333; the brand gets 16500 − 3333 − 333 = 12834.
    assert disputes.dispute_resolve(dispute=dispute, outcome="split", to_creator=3333, actor=staff)
    dispute.refresh_from_db()
    assert (dispute.to_creator, dispute.to_platform, dispute.to_brand) == (3333, 333, 12834)


@pytest.mark.parametrize(
    ("to_creator", "message"),
    [(None, "A split needs the amount for the creator."), (15001, "between 0.00 and 150.00 USD"), (-1, "between")],
)
def test_a_split_outside_zero_to_fee_moves_nothing(held, hire, member, staff, to_creator, message):
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="Partly.")
    with pytest.raises(disputes.DisputeError, match=message):
        disputes.dispute_resolve(dispute=dispute, outcome="split", to_creator=to_creator, actor=staff)
    dispute.refresh_from_db()
    assert dispute.status == "open"
    assert LedgerTransaction.objects.filter(application=hire).count() == 1


def test_resolving_twice_moves_the_money_once(held, hire, member, staff, capsys):
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="Quality.")
    assert disputes.dispute_resolve(dispute=dispute, outcome="split", to_creator=7500, actor=staff) is True
    assert disputes.dispute_resolve(dispute=dispute, outcome="refund", actor=staff) is False
    assert disputes.dispute_resolve(dispute=dispute.pk, outcome="release", actor=staff) is False
    assert list(LedgerTransaction.objects.filter(application=hire).values_list("kind", flat=True)) == ["hold", "split"]
    dispute.refresh_from_db()
    assert (dispute.outcome, dispute.to_creator) == ("split", 7500)
    assert AuditEntry.objects.filter(target_type__model="dispute", action="resolved").count() == 1
    assert _ledger_ok(capsys) == "ledger OK: 2 transactions checked"


def test_after_resolution_a_late_approval_releases_nothing_more(
    held, hire, member, creator, staff, django_capture_on_commit_callbacks
):
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="Quality.")
    disputes.dispute_resolve(dispute=dispute, outcome="refund", actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(hire, member, creator)
    assert list(LedgerTransaction.objects.filter(application=hire).values_list("kind", flat=True)) == ["hold", "refund"]
    with pytest.raises(disputes.DisputeConflict):  # nothing held any more: no second dispute
        disputes.dispute_open(application=hire, actor=creator.user, reason="Again.")


def test_a_hold_is_settled_once_in_the_database(held, hire):
    """Release, refund and split of one application exclude each other (ledger_one_settlement)."""
    ledger.post(
        application=hire,
        kind=Movement.RELEASE,
        currency="USD",
        lines=[("held", -16500), ("creator_owed", 15000), ("platform_fee", 1500)],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ledger.post(application=hire, kind=Movement.SPLIT, currency="USD", lines=[("held", -1), ("refunded", 1)])
    assert LedgerTransaction.objects.filter(application=hire).count() == 2


def test_the_money_label_says_disputed_while_open(held, hire, creator, staff):
    from campaigns.hooks import money_status

    assert money_status(hire).label == "Funded"
    dispute = disputes.dispute_open(application=hire, actor=creator.user, reason="Quality.")
    assert money_status(hire).label == "Funded · disputed"
    disputes.dispute_resolve(dispute=dispute, outcome="refund", actor=staff)
    assert money_status(hire).label == "Refunded"


def test_deliverables_left_pending_do_not_block_a_release_resolution(held, hire, member, staff):
    assert Deliverable.objects.filter(application=hire).values_list("status", flat=True).get() == "pending"
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="Creator vanished.")
    assert disputes.dispute_resolve(dispute=dispute, outcome="release", actor=staff)
    held.refresh_from_db()
    assert held.status == FundingStatus.RELEASED  # the admin's decision, whatever the deliverables say


def test_a_split_through_stripe_refunds_the_brands_part_and_pays_the_creators(
    fake_stripe, hire, member, creator, client, django_capture_on_commit_callbacks, capsys
):
    from .test_stripe import _checkout, _deliver

    url = _checkout(client, member, hire)
    _deliver(
        client, fake_stripe, fake_stripe.event("checkout.session.completed", fake_stripe.pay(url.rsplit("/", 1)[-1]))
    )
    link = services.payout_account_start(creator=creator, refresh_url="http://x/", return_url="http://x/")
    account_id = link.rsplit("/", 1)[-1]
    fake_stripe.enable_payouts(account_id)
    services.payout_account_update(external_id=account_id, payouts_enabled=True)
    dispute = disputes.dispute_open(application=hire, actor=creator.user, reason="Half paid.")
    staff = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert disputes.dispute_resolve(dispute=dispute, outcome="split", to_creator=5000, actor=staff)
    funding = Funding.objects.get(application=hire)
    [refund] = fake_stripe.refunds.values()
    [transfer] = fake_stripe.transfers.values()
    assert (refund["amount"], refund["payment_intent"]) == (11000, funding.payment_intent_id)
    assert (transfer["amount"], transfer["destination"]) == (5000, account_id)
    assert {f"refund-{funding.pk}", f"payout-{funding.pk}"} <= set(fake_stripe.idempotency_keys)
    assert (funding.status, funding.refund_id, funding.transfer_id) == ("paid_out", refund["id"], transfer["id"])
    assert ledger.balances(application=hire) == {
        "brand_funding": {"USD": -16500},
        "held": {"USD": 0},
        "creator_owed": {"USD": 0},
        "platform_fee": {"USD": 500},
        "refunded": {"USD": 11000},
        "paid_out": {"USD": 5000},
    }
    assert _ledger_ok(capsys) == "ledger OK: 3 transactions checked"
