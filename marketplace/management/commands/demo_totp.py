from django.core.management.base import BaseCommand

from core.demo_accounts import DEMO_ADMIN_TOTP_SECRET, DEMO_LOGINS, demo_totp_code


class Command(BaseCommand):
    help = "Print the demo admin's current two-factor code (demo data only)."

    def handle(self, *args, **options):
        self.stdout.write(
            f"{DEMO_LOGINS['admin']}: {demo_totp_code()}  (authenticator secret {DEMO_ADMIN_TOTP_SECRET})"
        )
