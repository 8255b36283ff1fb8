"""Creator directory benchmark: p50/p95 server-side times of typical searches over 100,000 creators.

    .venv/bin/python benchmarks/directory.py [--count 100000] [--runs 40]

Seeds the development database (the embedded PostgreSQL in .local/, or
DATABASE_URL) with `seed_benchmark_creators --count N` if it has fewer, then
times complete requests to /creators/ (filtering, the capped count, the keyset
page, prefetches and template rendering) through Django's test client in this
process, signed in as a brand user. Goal (PRODUCT §10): p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")  # no query log, as in production

from benchmarks.harness import percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.models import Role, User
    from creators.selectors import _encode_cursor, listed_creators

    call_command("seed_benchmark_creators", count=args.count)
    total = listed_creators().count()
    user, _ = User.objects.get_or_create(email="bench-brand@bench.example", defaults={"role": Role.BRAND})
    client = Client()
    client.force_login(user)

    deep_row = listed_creators().order_by("-followers", "-id")[5_000]
    deep_cursor = _encode_cursor("followers", deep_row)
    deep_er = listed_creators().order_by("-engagement_rate", "-id").filter(engagement_rate__isnull=False)[20_000]
    deep_er_cursor = _encode_cursor("engagement", deep_er)

    scenarios = [
        ("all, most followers", {}),
        ("tier=micro & country=DE", {"tier": "micro", "country": "DE"}),
        ("niche=food & platform=tiktok", {"niche": "food", "platform": "tiktok"}),
        (
            "two niches & language=es & ER 2–6 %",
            {"niche": ["travel", "fitness"], "language": "es", "engagement_min": 2, "engagement_max": 6},
        ),
        (
            "followers 10K–50K & price ≤ 300 & verified",
            {"followers_min": 10_000, "followers_max": 50_000, "price_max": 300, "verified": "on"},
        ),
        ("search 'running' (common)", {"q": "running"}),
        ("search 'zeppelin' (rare) by followers", {"q": "zeppelin"}),
        ("search 'mia' + tier=nano, by engagement", {"q": "mia", "tier": "nano", "sort": "engagement"}),
        ("sort by engagement", {"sort": "engagement"}),
        ("sort newest & platform=youtube", {"sort": "newest", "platform": "youtube"}),
        ("deep page: 5,000 rows in (keyset)", {"after": deep_cursor}),
        ("deep page: 20,000 rows in by engagement", {"sort": "engagement", "after": deep_er_cursor}),
    ]

    print(
        f"Directory benchmark: {total:,} listed creators ({args.count:,} seeded), {args.runs} runs each, "
        f"PostgreSQL {connection.pg_version // 10000}, load average {os.getloadavg()[0]:.2f}"
    )
    print("page = the whole page (filters form + results); results = the htmx request a filter change makes;")
    print("sql = time of the results request's queries as the driver saw them (ms resolution).")
    print(
        f"{'scenario':44} {'page p50':>9} {'page p95':>9} {'res p50':>8} {'res p95':>8} {'sql p50':>7} "
        f"{'sql p95':>7} {'queries':>7} {'shown':>5}"
    )
    worst = {"page": 0.0, "results": 0.0}
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
    for label, params in scenarios:
        row = []
        for kind, headers in (("page", {}), ("results", htmx)):
            for _ in range(3):  # warm caches and connections
                response = client.get("/creators/", params, **headers)
                assert response.status_code == 200, (label, response.status_code)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                client.get("/creators/", params, **headers)
                times.append((time.perf_counter() - start) * 1000)
            p95 = percentile(times, 0.95)
            worst[kind] = max(worst[kind], p95)
            row += [statistics.median(times), p95]
        sql_times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/creators/", params, **htmx)
            sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        shown = response.content.decode().count('class="card creator-card"')
        print(
            f"{label:44} {row[0]:9.1f} {row[1]:9.1f} {row[2]:8.1f} {row[3]:8.1f} "
            f"{statistics.median(sql_times):7.0f} {percentile(sql_times, 0.95):7.0f} {len(queries):7d} {shown:5d}"
        )
    print(f"worst p95: whole page {worst['page']:.1f} ms, results {worst['results']:.1f} ms (goal < 100 ms)")


if __name__ == "__main__":
    main()
