"""The admin's searches across relations at a seeded size (issue 13): median of 5 requests through Django's test
client as staff, for a word that matches ("lena") and one that matches nothing ("zzzq").

    .venv/bin/python benchmarks/admin_search.py [--size 1000000]

Uses the seeded benchmark database of ``benchmarks/seeded.py`` (made once per size); nothing is written (one
transaction, rolled back).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LISTS = [
    "/admin/campaigns/application/",
    "/admin/campaigns/review/",
    "/admin/creators/socialaccount/",
    "/admin/stats/authenticityflag/",
    "/admin/creators/ratecardentry/",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from benchmarks.seeded import ensure

    os.environ["DATABASE_URL"] = ensure(args.size, log=lambda m: print(m, file=sys.stderr))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.db import transaction
    from django.test import Client

    from core.models import Role, User
    from tests.factories.users import login_with_mfa

    print(f"{args.size:,} creators, load average {os.getloadavg()[0]:.2f}; median of {args.runs} requests, ms")
    with transaction.atomic():
        staff, _ = User.objects.get_or_create(
            email="bench-staff@bench.example", defaults={"role": Role.BRAND, "is_staff": True, "is_superuser": True}
        )
        client = Client()
        login_with_mfa(client, staff)
        for url in LISTS:
            for q in ("lena", "zzzq"):
                assert client.get(url, {"q": q}).status_code == 200, url
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    client.get(url, {"q": q})
                    times.append((time.perf_counter() - start) * 1000)
                print(f"{url:40} q={q:6} {statistics.median(times):7.1f}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
