"""Rewrite every creator's match-features row (issue 13): after a change of the band table or the formula."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from campaigns.match_features import match_features_rebuild


class Command(BaseCommand):
    help = "Rebuild the match-features row of every creator, set-based in id ranges."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=50_000)

    def handle(self, *args, batch: int, **options):
        started = time.monotonic()
        n = match_features_rebuild(batch=batch, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"match features of {n:,} creator ids in {time.monotonic() - started:.1f} s")
        )
