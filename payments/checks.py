"""The ledger's consistency checks (``manage.py check_ledger``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum

from campaigns.models import ApplicationStatus

from .models import Account, Entry, LedgerTransaction

LIVE = (ApplicationStatus.ACCEPTED, ApplicationStatus.COMPLETED)


@dataclass
class LedgerReport:
    transactions: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        state = "OK" if self.ok else f"{len(self.problems)} discrepancies"
        return f"ledger {state}: {self.transactions} transactions checked"


def check_ledger() -> LedgerReport:
    report = LedgerReport(transactions=LedgerTransaction.objects.count())
    unbalanced = (
        Entry.objects.values("transaction_id", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("transaction_id")
    )
    for row in unbalanced:
        report.problems.append(f"transaction {row['transaction_id']} sums to {row['total']} {row['currency']}")
    empty = LedgerTransaction.objects.filter(entries__isnull=True).values_list("pk", flat=True)
    report.problems += [f"transaction {pk} has no entries" for pk in empty]
    held = (
        Entry.objects.filter(account=Account.HELD)
        .values("application_id", "application__status", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("application_id")
    )
    for row in held:
        if row["total"] < 0:
            report.problems.append(f"application {row['application_id']} holds {row['total']} {row['currency']}")
        elif row["application__status"] not in LIVE:
            report.problems.append(
                f"{row['total']} {row['currency']} held for application "
                f"{row['application_id']}, which is {row['application__status']}"
            )
    return report
