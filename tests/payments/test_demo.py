import pytest
from django.core.management import call_command

from marketplace import demo
from payments.models import Funding, FundingStatus, LedgerTransaction
from tests.campaigns.test_demo import _niches

pytestmark = pytest.mark.django_db


def test_demo_shows_the_money_states_offline_and_the_ledger_is_clean(offline, capsys):
    _niches()
    demo.seed(log=lambda line: None)
    states = set(Funding.objects.values_list("status", flat=True))
    assert {FundingStatus.HELD, FundingStatus.RELEASED, FundingStatus.PAID_OUT} <= states
    assert Funding.objects.get(application__creator__handle="casey", application__status="accepted").status == "held"
    moved = LedgerTransaction.objects.count()
    demo.seed(log=lambda line: None)
    assert LedgerTransaction.objects.count() == moved
    call_command("check_ledger")
    assert capsys.readouterr().out.startswith("ledger OK: ")
