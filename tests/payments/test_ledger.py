"""The ledger: balanced movements only (Python and the database), append-only entries, check_ledger."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.utils import InternalError

from campaigns.models import Application, ApplicationStatus
from payments import ledger
from payments.models import Account, Entry, LedgerTransaction, Movement


def _raw_txn(application_id: int, kind: str = "hold") -> int:
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO payments_ledgertransaction (application_id, kind, reference, memo, created_at) "
            "VALUES (%s, %s, '', '', now()) RETURNING id",
            [application_id, kind],
        )
        return c.fetchone()[0]


def _raw_entry(txn: int, application_id: int, account: str, amount: int, currency: str = "USD") -> None:
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO payments_entry (transaction_id, account, application_id, amount, currency) "
            "VALUES (%s, %s, %s, %s, %s)",
            [txn, account, application_id, amount, currency],
        )


def test_a_balanced_movement_is_kept_and_balances_are_sums_of_entries(db, hire):
    ledger.post(
        application=hire,
        kind=Movement.HOLD,
        currency="USD",
        lines=[(Account.BRAND_FUNDING, -16500), (Account.HELD, 16500)],
    )
    ledger.post(
        application=hire,
        kind=Movement.RELEASE,
        currency="USD",
        lines=[(Account.HELD, -16500), (Account.CREATOR_OWED, 15000), (Account.PLATFORM_FEE, 1500)],
    )
    assert ledger.balances(application=hire) == {
        "brand_funding": {"USD": -16500},
        "held": {"USD": 0},
        "creator_owed": {"USD": 15000},
        "platform_fee": {"USD": 1500},
    }


def test_python_refuses_an_unbalanced_movement(db, hire):
    with pytest.raises(ledger.Unbalanced):
        ledger.post(
            application=hire,
            kind=Movement.HOLD,
            currency="USD",
            lines=[(Account.BRAND_FUNDING, -16500), (Account.HELD, 16000)],
        )
    assert LedgerTransaction.objects.count() == 0


def test_the_database_refuses_an_unbalanced_raw_sql_insert(db, hire):
    with pytest.raises(IntegrityError, match="does not balance: 100 USD"), transaction.atomic():
        txn = _raw_txn(hire.pk)
        _raw_entry(txn, hire.pk, "held", 100)
        with connection.cursor() as c:
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT does
    assert Entry.objects.count() == 0


def test_zero_across_currencies_is_not_balanced(db, hire):
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        txn = _raw_txn(hire.pk)
        _raw_entry(txn, hire.pk, "held", 100, "EUR")
        _raw_entry(txn, hire.pk, "brand_funding", -100, "USD")
        ledger.check_now()


def test_a_balanced_raw_sql_insert_passes(db, hire):
    with transaction.atomic():
        txn = _raw_txn(hire.pk)
        _raw_entry(txn, hire.pk, "held", 100)
        _raw_entry(txn, hire.pk, "brand_funding", -100)
        ledger.check_now()
    assert ledger.balance(hire, Account.HELD, "USD") == 100


@pytest.mark.django_db(transaction=True)
def test_commit_of_an_unbalanced_insert_fails_and_leaves_nothing(member, application):
    from campaigns import services

    hire = services.application_accept(application=application, actor=member.user)
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        txn = _raw_txn(hire.pk)
        _raw_entry(txn, hire.pk, "held", 250)
    assert Entry.objects.count() == 0
    assert LedgerTransaction.objects.count() == 0


def test_entries_are_append_only(db, hire):
    ledger.post(
        application=hire, kind=Movement.HOLD, currency="USD", lines=[(Account.BRAND_FUNDING, -500), (Account.HELD, 500)]
    )
    with pytest.raises((IntegrityError, InternalError), match="append-only"), transaction.atomic():
        Entry.objects.filter(account="held").update(amount=400)
    with pytest.raises((IntegrityError, InternalError), match="append-only"), transaction.atomic():
        Entry.objects.filter(account="held").delete()
    assert ledger.balance(hire, Account.HELD, "USD") == 500


def test_a_second_movement_of_one_kind_is_refused(db, hire):
    ledger.post(
        application=hire, kind=Movement.HOLD, currency="USD", lines=[(Account.BRAND_FUNDING, -500), (Account.HELD, 500)]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ledger.post(
            application=hire,
            kind=Movement.HOLD,
            currency="USD",
            lines=[(Account.BRAND_FUNDING, -500), (Account.HELD, 500)],
        )


def test_bad_currency_and_zero_amounts_are_refused(db, hire):
    with pytest.raises(IntegrityError), transaction.atomic():
        ledger.post(
            application=hire,
            kind=Movement.HOLD,
            currency="usd",
            lines=[(Account.BRAND_FUNDING, -500), (Account.HELD, 500)],
        )
    with pytest.raises(ledger.Unbalanced):
        ledger.post(
            application=hire, kind=Movement.HOLD, currency="USD", lines=[(Account.BRAND_FUNDING, 0), (Account.HELD, 0)]
        )


def test_minor_units():
    assert ledger.to_minor("150") == 15000
    assert ledger.to_minor("0.015") == 2
    assert ledger.percent_of(15000, "10") == 1500
    assert ledger.percent_of(999, "12.5") == 125


def test_check_ledger_clean_prints_one_line(db, hire, capsys):
    ledger.post(
        application=hire, kind=Movement.HOLD, currency="USD", lines=[(Account.BRAND_FUNDING, -500), (Account.HELD, 500)]
    )
    call_command("check_ledger")
    assert capsys.readouterr().out == "ledger OK: 1 transactions checked\n"


def test_check_ledger_fails_on_money_held_for_a_dead_application(db, hire, capsys):
    ledger.post(
        application=hire, kind=Movement.HOLD, currency="USD", lines=[(Account.BRAND_FUNDING, -500), (Account.HELD, 500)]
    )
    Application.objects.filter(pk=hire.pk).update(status=ApplicationStatus.WITHDRAWN)
    with pytest.raises(CommandError, match="ledger 1 discrepancies: 1 transactions checked"):
        call_command("check_ledger")
    assert f"500 USD held for application {hire.pk}, which is withdrawn" in capsys.readouterr().err


def test_check_ledger_fails_on_an_unbalanced_transaction_that_got_past_the_trigger(db, hire, capsys):
    """As if someone had switched the trigger off (a restore, a manual fix)."""
    with connection.cursor() as c:
        c.execute("ALTER TABLE payments_entry DISABLE TRIGGER ledger_entry_balanced")
    txn = _raw_txn(hire.pk)
    _raw_entry(txn, hire.pk, "paid_out", 70)
    with pytest.raises(CommandError, match="discrepancies"):
        call_command("check_ledger")
    assert f"transaction {txn} sums to 70 USD" in capsys.readouterr().err
    # ALTER TABLE is transactional: the test's rollback turns the trigger back on.
