from django.core.management.base import BaseCommand

from payments.documents import issue_missing


class Command(BaseCommand):
    help = "Issue the receipts and statements of money moved before they existed (oldest first); safe to rerun."

    def handle(self, *args, **options):
        self.stdout.write(f"{issue_missing()} documents issued")
