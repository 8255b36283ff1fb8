from django.core.management.base import BaseCommand, CommandError

from payments.checks import check_ledger


class Command(BaseCommand):
    help = "Verify every ledger transaction balances and every held amount belongs to a live application."

    def handle(self, *args, **options):
        report = check_ledger()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
