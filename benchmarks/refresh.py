"""Benchmark: refresh N linked accounts through the fake platform servers under a per-platform quota.

    .venv/bin/python benchmarks/refresh.py                       # 100,000 accounts, 150 requests/s per platform
    .venv/bin/python benchmarks/refresh.py --accounts 6000 --rate 100 --concurrency 4

What runs, all real processes on this machine:

* PostgreSQL: a scratch database ``marketplace_bench`` on the embedded dev server
  (``.local/postgres``), migrated and seeded (users, creators, accounts) with
  bulk inserts, dropped at the end unless ``--keep``.
* Redis: a private embedded server in ``.local/bench`` (broker, results, limiter).
* One fake server process per platform (tests/fakes: YouTube, Instagram, TikTok)
  that also *enforces* the quota: past it, it answers 429 like the real API.
* One ``celery worker`` (prefork, ``--concurrency``) with the product's settings,
  pointed at all of the above. The benchmark queues the work exactly as beat
  does (``stats.schedule.schedule_stale_refreshes``: batches of STATS_BATCH_SIZE
  ids per platform) and watches the database until every account is refreshed.

The quota: ``--rate`` requests per ``--window`` seconds per platform, enforced by
our shared Redis limiter (STATS_RATE_WINDOW_SECONDS / *_REQUESTS_PER_MINUTE) and
by the fakes. The platforms' documented quotas are per minute (TikTok 600/min);
a 1 s window with the same count ratio keeps the run at minutes instead of hours
and is stricter (no minute-sized bursts). The theoretical minimum is the busiest
platform's requests divided by its rate; the platforms run in parallel.

Printed: wall time, that minimum and the ratio, requests per account (per
platform and overall), 429s seen, and each worker process's peak RSS plus the
pool's RSS at 10/50/90/100 % progress (flat memory means those stay level).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "marketplace_bench"
PLATFORMS = ("youtube", "instagram", "tiktok")


def serve_fake(platform: str, rate: int, window: float, ready, stop, out) -> None:
    """Child process: one fake platform, enforcing the quota; reports its counters when told to stop."""
    from tests.fakes import FakeInstagram, FakeTikTok, FakeYouTube

    cls = {"youtube": FakeYouTube, "instagram": FakeInstagram, "tiktok": FakeTikTok}[platform]
    fake = cls(generate_missing=True)
    fake.start()
    # The fake's own window is a hair shorter so clock jitter between processes never reads as a breach.
    fake.set_quota(rate, window * 0.98)
    rejected = 0
    original = fake.failure_reply

    def counting_failure_reply(mode, request, retry_after):
        nonlocal rejected
        rejected += 1
        return original(mode, request, retry_after)

    fake.failure_reply = counting_failure_reply
    ready.put((platform, fake.url))
    stop.wait()
    out.put((platform, fake.request_count, rejected))
    fake.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--rate", type=int, default=150, help="requests per window per platform")
    parser.add_argument("--window", type=float, default=1.0, help="seconds")
    parser.add_argument("--concurrency", type=int, default=4, help="worker pool processes")
    parser.add_argument("--batch", type=int, default=200, help="account ids per task")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    from marketplace import embedded

    local = ROOT / ".local"
    pg_was_running = (local / "postgres" / "postmaster.pid").exists()
    pg = embedded.start_postgres(local)
    redis_server = embedded.start_redis(local / "bench")
    db_url = pg.url.replace(f"/{embedded.DB_NAME}?", f"/{BENCH_DB}?")
    _recreate_database(pg)

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.local",
        "DJANGO_DEBUG": "false",  # DEBUG keeps every query in memory
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_server.url,
        "LOG_LEVEL": "WARNING",
        "STATS_PROVIDER_DEMO": "false",
        "STATS_RATE_WINDOW_SECONDS": str(args.window),
        "STATS_BATCH_SIZE": str(args.batch),
        "STATS_SCHEDULE_MAX_PER_TICK": str(args.accounts),
        "YOUTUBE_API_KEY": "test-key",
        "INSTAGRAM_ACCESS_TOKEN": "IGQ-test",
        "INSTAGRAM_IG_USER_ID": "17841405309211844",
        "TIKTOK_CLIENT_KEY": "bench",
        **{f"{p.upper()}_REQUESTS_PER_MINUTE": str(args.rate) for p in PLATFORMS},
    }
    ctx = multiprocessing.get_context("spawn")
    ready, out, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    fakes = [
        ctx.Process(target=serve_fake, args=(p, args.rate, args.window, ready, stop, out), daemon=True)
        for p in PLATFORMS
    ]
    for proc in fakes:
        proc.start()
    for _ in PLATFORMS:
        platform, url = ready.get(timeout=60)
        env[f"{platform.upper()}_API_BASE"] = url
    os.environ.update(env)

    worker = None
    try:
        print(f"Migrating and seeding {args.accounts:,} accounts into {BENCH_DB} ...", flush=True)
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        import django

        django.setup()
        t = time.monotonic()
        per_platform = _seed(args.accounts)
        print(f"  seeded in {time.monotonic() - t:.1f} s: {per_platform}", flush=True)
        redis_flush()

        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "marketplace",
                "worker",
                "--loglevel=WARNING",
                f"--concurrency={args.concurrency}",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=open(local / "bench" / "worker.log", "w"),
            stderr=subprocess.STDOUT,
        )
        _wait_for_pool(worker, args.concurrency)
        return _run(args, worker, per_platform, stop, out)
    finally:
        stop.set()
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        for proc in fakes:
            proc.join(timeout=10)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop_database(pg)
        redis_server.stop()
        if not pg_was_running:
            pg.stop()


def _run(args, worker, per_platform: dict[str, int], stop, out) -> int:
    import psutil
    from django.db import connection

    from stats.schedule import schedule_stale_refreshes

    pool = psutil.Process(worker.pid)
    peak: dict[int, int] = {}
    checkpoints: dict[int, int] = {}
    started = time.monotonic()
    queued = schedule_stale_refreshes()
    print(f"Queued {queued:,} accounts in batches of {args.batch}; workers: {args.concurrency}", flush=True)
    done = 0
    last_print = 0.0
    while done < args.accounts:
        if time.monotonic() - started > args.timeout:
            print("TIMEOUT", flush=True)
            break
        time.sleep(1.0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM creators_socialaccount WHERE refresh_status <> 'pending'")
            done = cursor.fetchone()[0]
        rss_total = 0
        for proc in [pool, *pool.children()]:
            try:
                rss = proc.memory_info().rss
            except psutil.NoSuchProcess:
                continue
            peak[proc.pid] = max(peak.get(proc.pid, 0), rss)
            if proc.pid != pool.pid:
                rss_total += rss
        progress = done * 100 // max(1, args.accounts)
        for mark in (10, 50, 90, 100):
            if progress >= mark and mark not in checkpoints:
                checkpoints[mark] = rss_total
        if time.monotonic() - last_print > 15:
            last_print = time.monotonic()
            print(
                f"  {time.monotonic() - started:6.0f} s  {done:>7,} / {args.accounts:,}  pool RSS "
                f"{rss_total / 2**20:.0f} MiB",
                flush=True,
            )
    wall = time.monotonic() - started
    stop.set()
    counts = {}
    for _ in PLATFORMS:
        platform, requests, rejected = out.get(timeout=30)
        counts[platform] = (requests, rejected)

    with connection.cursor() as cursor:
        cursor.execute("SELECT refresh_status, count(*) FROM creators_socialaccount GROUP BY 1 ORDER BY 1")
        statuses = dict(cursor.fetchall())
        cursor.execute("SELECT count(*), count(DISTINCT account_id) FROM creators_statssnapshot")
        snapshots, distinct = cursor.fetchone()
    rate_per_s = args.rate / args.window
    served = {p: counts[p][0] - counts[p][1] for p in PLATFORMS}
    minimum = max(served[p] / rate_per_s for p in PLATFORMS)
    total_requests = sum(counts[p][0] for p in PLATFORMS)

    print("\n== refresh benchmark ==")
    print(f"accounts            {args.accounts:,} ({', '.join(f'{p} {n:,}' for p, n in per_platform.items())})")
    print(
        f"quota               {args.rate} requests / {args.window:g} s per platform (= {rate_per_s * 60:,.0f} / minute)"
    )
    print(f"wall time           {wall:.1f} s")
    print(f"theoretical minimum {minimum:.1f} s (busiest platform's requests / its quota)")
    print(f"ratio               {wall / minimum:.3f}")
    print(
        f"requests / account  {total_requests / args.accounts:.3f} overall; "
        + ", ".join(f"{p} {counts[p][0] / max(1, per_platform[p]):.3f}" for p in PLATFORMS)
    )
    print(f"429s from fakes     {sum(counts[p][1] for p in PLATFORMS)}")
    print(f"statuses            {statuses}")
    print(f"snapshots           {snapshots:,} rows for {distinct:,} accounts")
    print("worker peak RSS     " + ", ".join(f"{v / 2**20:.0f} MiB" for v in sorted(peak.values(), reverse=True)))
    print("pool RSS by progress " + ", ".join(f"{k} %: {v / 2**20:.0f} MiB" for k, v in sorted(checkpoints.items())))
    return 0 if done >= args.accounts else 1


def _wait_for_pool(worker, concurrency: int) -> None:
    import psutil

    deadline = time.monotonic() + 60
    while len(psutil.Process(worker.pid).children()) < concurrency:
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the worker did not start; see .local/bench/worker.log")
        time.sleep(0.2)
    time.sleep(2)  # let every pool process connect to the broker


def redis_flush() -> None:
    from core.ratelimit import redis_client

    redis_client().flushdb()


def _admin_dsn(pg) -> str:
    host = pg.socket_dir
    return f"dbname=postgres user=postgres host={host}"


def _recreate_database(pg) -> None:
    import psycopg2

    conn = psycopg2.connect(_admin_dsn(pg))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {BENCH_DB}")
    conn.close()


def _drop_database(pg) -> None:
    import psycopg2

    conn = psycopg2.connect(_admin_dsn(pg))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    conn.close()


def _seed(n: int) -> dict[str, int]:
    """Users, creators (two accounts each) and accounts the fakes will recognise, by bulk insert."""
    from core.models import User
    from creators.models import Creator, SocialAccount

    creators_needed = (n + 1) // 2
    users = User.objects.bulk_create(
        [User(email=f"bench_{i}@example.com", password="!", role="creator") for i in range(creators_needed)],
        batch_size=5000,
    )
    creators = Creator.objects.bulk_create(
        [
            Creator(user=u, display_name=f"Bench {i}", handle=f"bench-{i}", status="approved")
            for i, u in enumerate(users)
        ],
        batch_size=5000,
    )
    counts = dict.fromkeys(PLATFORMS, 0)
    accounts = []
    for i in range(n):
        platform = PLATFORMS[i % 3]
        counts[platform] += 1
        handle = f"bench_{i}"
        accounts.append(
            SocialAccount(
                creator=creators[i // 2],
                platform=platform,
                handle=handle,
                # The fakes generate a stable account for any channel id / username / "act." token.
                external_id=f"UC{i:022d}" if platform == "youtube" else "",
                access_token=f"act.{handle}" if platform == "tiktok" else "",
            )
        )
    SocialAccount.objects.bulk_create(accounts, batch_size=5000)
    return counts


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
