"""Benchmark the tracked-link redirect /r/<code> under gunicorn (issue 11): requests per second, latency, and that
no click wrote to the database.

    .venv/bin/python benchmarks/redirect.py [--workers 2] [--clients 8] [--seconds 15] [--max-requests 200000]

Starts gunicorn (sync workers, DEBUG off) on a free port of 127.0.0.1 against the development database and Redis
(embedded unless DATABASE_URL/REDIS_URL are set), seeds one campaign with one hired creator and a tracked link, and
runs a small load generator: ``--clients`` processes, each opening a connection per request (gunicorn's sync workers
close it after each answer) and sending GET /r/<code> with one of 50 browser user agents, for ``--seconds`` or
``--max-requests`` in all, whichever comes first. Traffic goes to 127.0.0.1 only. For comparison it first loads
/healthz/ (Django's stack and nothing else) the same way.

Checked at the end: every answer was a 302 to the landing page; PostgreSQL saw no row inserted, updated or deleted
while the clicks ran (pg_stat_database); one flush then writes the day's counter, equal to the number of 302s. The
seeded rows are deleted afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from benchmarks.harness import percentile  # noqa: E402

BROWSERS = [
    f"Mozilla/5.0 (Linux; Android 14; Pixel {i % 9}) AppleWebKit/537.36 (KHTML, like Gecko) "
    f"Chrome/12{i % 7}.0.0.0 Mobile Safari/537.36"
    for i in range(50)
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client_loop(port: int, path: str, deadline: float, budget: int, index: int, out) -> None:
    """One load-generating process: a request at a time until the deadline or its share of requests."""
    latencies, statuses, sent = [], {}, 0
    while time.monotonic() < deadline and sent < budget:
        began = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", path, headers={"User-Agent": BROWSERS[(index * 7 + sent) % len(BROWSERS)]})
            response = conn.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
        except OSError as exc:
            statuses[type(exc).__name__] = statuses.get(type(exc).__name__, 0) + 1
        finally:
            conn.close()
        latencies.append((time.perf_counter() - began) * 1000)
        sent += 1
    out.put((latencies, statuses))


def load(port: int, path: str, *, clients: int, seconds: float, max_requests: int) -> dict:
    out = multiprocessing.Queue()
    began = time.monotonic()
    deadline = began + seconds
    procs = [
        multiprocessing.Process(
            target=client_loop, args=(port, path, deadline, max_requests // clients, i, out), daemon=True
        )
        for i in range(clients)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 60) for _ in procs]
    for p in procs:
        p.join(timeout=10)
    elapsed = time.monotonic() - began
    latencies = [x for lat, _ in results for x in lat]
    statuses: dict = {}
    for _, st in results:
        for k, v in st.items():
            statuses[k] = statuses.get(k, 0) + v
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "statuses": statuses,
    }


def db_changes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = current_database()"
        )
        return int(cursor.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--max-requests", type=int, default=200_000)
    args = parser.parse_args()

    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from brands.models import Brand, BrandMember
    from campaigns.models import Application, Campaign, CampaignStatus
    from core.models import User
    from creators.models import Creator
    from results import clicks, links
    from results.models import ClickDay, TrackedLink

    today = timezone.localdate()
    owner = User.objects.create_user(email="bench-redirect@bench.example", password=None, role="brand")
    brand = Brand.objects.create(name="Bench Redirect", slug="bench-redirect", status="approved")
    BrandMember.objects.create(brand=brand, user=owner, role="owner")
    campaign = Campaign.objects.create(
        brand=brand,
        title="Bench redirect",
        product_description="Benchmark brief.",
        fee_per_creator=Decimal(100),
        application_deadline=today,
        content_due_date=today + dt.timedelta(days=30),
        status=CampaignStatus.CLOSED,
        landing_url="https://bench.example/oats?ref=bench",
    )
    creator_user = User.objects.create_user(email="bench-redirect-c@bench.example", password=None, role="creator")
    creator = Creator.objects.create(user=creator_user, display_name="Bench Creator", handle="bench-redirect-c")
    application = Application.objects.create(campaign=campaign, creator=creator, status="accepted")
    link = TrackedLink.objects.create(application=application, campaign=campaign, code=links.new_code())
    links.forget([link.code])
    clicks.flush()  # start from an empty dirty set

    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.local", "DJANGO_DEBUG": "false"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "marketplace.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz/")
                break
            except OSError:
                time.sleep(0.2)
        load(port, f"/r/{link.code}", clients=2, seconds=1, max_requests=200)  # warm: imports, cache, salt
        clicks.flush()
        print(f"gunicorn: {args.workers} sync workers; load: {args.clients} client processes, {args.seconds:.0f} s")
        base = load(port, "/healthz/", clients=args.clients, seconds=args.seconds, max_requests=args.max_requests)
        print(
            f"/healthz/      {base['rps']:7.0f} req/s   p50 {base['p50']:5.1f} ms   p95 {base['p95']:5.1f} ms   "
            f"{base['requests']:,} requests, {base['statuses']}"
        )
        clicks.flush()
        counted_before = clicks.pending(link.pk, clicks.today())[0]  # the warm-up's clicks
        before = db_changes()
        result = load(
            port, f"/r/{link.code}", clients=args.clients, seconds=args.seconds, max_requests=args.max_requests
        )
        time.sleep(1.5)  # PostgreSQL publishes its statistics at most every second
        after = db_changes()
        print(
            f"/r/<code>      {result['rps']:7.0f} req/s   p50 {result['p50']:5.1f} ms   p95 {result['p95']:5.1f} ms   "
            f"p99 {result['p99']:5.1f} ms   {result['requests']:,} requests, {result['statuses']}"
        )
        print(f"rows written by PostgreSQL while the clicks ran: {after - before}")
        pending, unique = clicks.pending(link.pk, clicks.today())
        began = time.perf_counter()
        flushed = clicks.flush()
        took = (time.perf_counter() - began) * 1000
        row = ClickDay.objects.get(link=link, day=clicks.today())
        print(
            f"one flush: {flushed} row in {took:.1f} ms; ClickDay now {row.clicks:,} clicks "
            f"({row.unique_clicks} unique visitors: 50 browsers from one address; Redis: {pending:,}/{unique}); "
            f"counted during the load {row.clicks - counted_before:,} = 302s sent {result['statuses'].get(302, 0):,}"
        )
        # The same redirect in this process, no HTTP server or client in the way: CPU per request.
        from django.test import Client

        client = Client()
        for path, label in ((f"/r/{link.code}", "/r/<code>"), ("/healthz/", "/healthz/")):
            client.get(path, HTTP_USER_AGENT=BROWSERS[0])
            began = time.process_time()
            for i in range(2000):
                client.get(path, HTTP_USER_AGENT=BROWSERS[i % len(BROWSERS)])
            print(f"in-process {label:<10} {(time.process_time() - began) / 2000 * 1000:.2f} ms CPU per request")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        brand.delete()
        owner.delete()
        creator_user.delete()


if __name__ == "__main__":
    main()
