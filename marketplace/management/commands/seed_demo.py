from django.core.management.base import BaseCommand

from marketplace import demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again adds no duplicates)."

    def handle(self, *args, **options):
        demo.seed(log=lambda line: self.stdout.write(line))
