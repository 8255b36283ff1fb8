"""Concurrent resolutions of one dispute on real PostgreSQL connections: the money moves once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from campaigns import services as campaign_services
from payments import disputes, ledger, services
from payments.models import Dispute, Funding, FundingStatus, LedgerTransaction
from tests.campaigns.test_concurrency import race
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_six_admins_resolving_at_once_move_the_money_once(offline, capsys):
    member = BrandMemberFactory()
    creator = make_creator()
    application = campaign_services.application_submit(
        campaign=make_open_campaign(member), creator=creator, actor=creator.user, pitch="Me", proposed_rate=150
    )
    campaign_services.application_accept(application=application, actor=member.user)
    funding = Funding.objects.get(application=application)
    services.funding_mark_held(funding=funding, amount=16500, currency="USD")
    dispute = disputes.dispute_open(application=application, actor=creator.user, reason="Unpaid extra work.")
    admins = [UserFactory(is_staff=True, is_superuser=True) for _ in range(3)]

    calls = [lambda a=a: disputes.dispute_resolve(dispute=dispute.pk, outcome="release", actor=a) for a in admins]
    calls += [
        lambda a=a: disputes.dispute_resolve(dispute=dispute.pk, outcome="split", to_creator=9000, actor=a)
        for a in admins
    ]
    results = race(calls)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == [False] * 5 + [True]
    assert list(LedgerTransaction.objects.filter(application=application).values_list("kind", flat=True)) in (
        ["hold", "release"],
        ["hold", "split"],
    )
    assert ledger.balance(application, "held", "USD") == 0
    assert Dispute.objects.get().status == "resolved"
    assert AuditEntry.objects.filter(target_type__model="dispute", action="resolved").count() == 1
    funding.refresh_from_db()
    assert funding.status == FundingStatus.RELEASED
    call_command("check_ledger")
    assert capsys.readouterr().out.strip() == "ledger OK: 2 transactions checked"
