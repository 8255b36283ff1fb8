"""Concurrent releases on real PostgreSQL connections: one release, one transfer."""

from __future__ import annotations

import pytest

from campaigns import services as campaign_services
from campaigns.models import Deliverable, DeliverableStatus
from payments import ledger, services
from payments.models import Funding, FundingStatus, LedgerTransaction, Movement, PayoutAccount
from tests.campaigns.test_concurrency import race
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_eight_concurrent_releases_move_the_money_once(fake_stripe):
    member = BrandMemberFactory()
    campaign = make_open_campaign(member, specs=2)
    creator = make_creator()
    application = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Me", proposed_rate=150
    )
    campaign_services.application_accept(application=application, actor=member.user)
    funding = Funding.objects.get(application=application)
    services.funding_mark_held(funding=funding, amount=16500, currency="USD")
    acct_id = services.payout_account_start(creator=creator, refresh_url="http://x/", return_url="http://x/")
    external = PayoutAccount.objects.get(creator=creator).external_id
    assert acct_id.endswith(external)
    fake_stripe.enable_payouts(external)
    PayoutAccount.objects.filter(creator=creator).update(payouts_enabled=True)
    # Every deliverable approved without the hook, so that nothing released yet.
    Deliverable.objects.filter(application=application).update(status=DeliverableStatus.APPROVED)

    # Eight workers release (each success queues the payout, run in-process after its commit) while four more
    # try the payout directly.
    calls = [lambda: ("release", services.funding_release(application_id=application.pk)) for _ in range(8)]
    calls += [lambda: ("payout", services.funding_payout(funding_id=funding.pk)) for _ in range(4)]
    results = race(calls)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(done for kind, done in results if kind == "release") == 1
    assert LedgerTransaction.objects.filter(application=application, kind=Movement.RELEASE).count() == 1
    assert LedgerTransaction.objects.filter(application=application, kind=Movement.PAYOUT).count() == 1
    assert len(fake_stripe.transfers) == 1
    funding.refresh_from_db()
    assert funding.status == FundingStatus.PAID_OUT
    assert ledger.balances(application=application)["paid_out"] == {"USD": 15000}
