from django.core.management.base import BaseCommand, CommandError

from payments.reconcile import reconcile_transfers


class Command(BaseCommand):
    help = (
        "Compare Stripe's transfers per application with the ledger: record a payout Stripe made and the ledger "
        "missed (a killed worker); report every other difference. One summary line; non-zero exit on discrepancies."
    )

    def handle(self, *args, **options):
        report = reconcile_transfers()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
