"""The seeded benchmark databases, made once and kept: ``bench_v<seed version>_<size>`` on the benchmark
PostgreSQL server (``BENCH_DATABASE_URL`` if set, else an embedded server of its own in ``.local/bench``).

The embedded benchmark server is configured like the database docs/SCALING.md sizes for a million creators
(``TUNING`` below: shared_buffers 4 GB, so the 3 GB seeded database is served from PostgreSQL's own cache,
as it would be in production), not like the development server (128 MB, sized for a laptop). It is a separate
server so the development database keeps its small footprint.

``BENCH_DB_SUFFIX=name`` measures a private copy ``bench_v<version>_<size>_name`` (made from the seeded one
with ``CREATE DATABASE ... TEMPLATE``, seconds instead of a new seed): two branches with different migrations
can then measure side by side without migrating each other's database.

    .venv/bin/python benchmarks/seeded.py 100000 1000000     # make (or reuse) both; prints their URLs

A database is reused when its ``bench_seed`` row says it was seeded completely by the same seed version
(``SEED_VERSION`` of the seed command), so ``make bench`` seeds once per machine and version; it is migrated on
every use (a no-op when nothing changed) and the match features are rebuilt when the code says they are stale.
Seeding 1,000,000 creators takes ~15 minutes on the 2-core machine and ~3 GB of disk.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# docs/SCALING.md's database for 1M creators (16–32 GB of RAM): settings that need a restart are applied once.
TUNING = {
    "shared_buffers": "4GB",
    "effective_cache_size": "12GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "512MB",
    "random_page_cost": "1.1",  # SSD
    "jit": "off",  # JIT compilation costs tens of ms per statement and pays off only for long analytic queries
}


def server_url() -> str:
    """The URL of the benchmark server's default database (starting and tuning the embedded one if needed)."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    from marketplace import embedded

    state = ROOT / ".local" / "bench"
    try:
        pg = embedded.start_postgres(state)
    except subprocess.CalledProcessError:  # seen once on the very first start (initdb, then a stop): start again
        pg = embedded.start_postgres(state)
    conn = _connect(pg.url)
    with conn.cursor() as cursor:
        stale = []
        for name, value in TUNING.items():
            cursor.execute(f"SHOW {name}")
            if cursor.fetchone()[0].lower() != value.lower():
                cursor.execute(f"ALTER SYSTEM SET {name} = %s", [value])
                stale.append(name)
    conn.close()
    if stale:
        pg.stop()
        pg = embedded.start_postgres(state)
    return pg.url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _connect(url: str):
    import psycopg2

    parts = urlsplit(url)
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    from urllib.parse import unquote

    conn = psycopg2.connect(
        dbname=parts.path.lstrip("/"),
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or "") or None,
        host=unquote(query.get("host", parts.hostname or "")) or None,
        port=parts.port,
    )
    conn.autocommit = True
    return conn


def seed_version() -> int:
    text = (ROOT / "marketplace/management/commands/seed_benchmark_creators.py").read_text()
    return int(text.split("SEED_VERSION = ", 1)[1].split()[0])


def _manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "marketplace.settings.local"}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT)


def ensure(size: int, *, log=print) -> str:
    """The URL of a database holding ``size`` seeded benchmark creators (seeded now if it is not there yet)."""
    base = server_url()
    name = f"bench_v{seed_version()}_{size}"
    suffix = os.environ.get("BENCH_DB_SUFFIX", "")
    if suffix:
        ensure_seeded(base, name, size, log=log, migrate=False)
        copy = f"{name}_{suffix}"
        admin = _connect(with_database(base, "postgres"))
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [copy])
            if not cursor.fetchone():
                log(f"copying {name} to {copy} ...")
                cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
        admin.close()
        url = with_database(base, copy)
        _manage(url, "migrate", "--noinput", "-v", "0")
        return url
    return ensure_seeded(base, name, size, log=log)


def ensure_seeded(base: str, name: str, size: int, *, log=print, migrate: bool = True) -> str:
    url = with_database(base, name)
    admin = _connect(with_database(base, "postgres"))
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    conn = _connect(url)
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (version int, size int, seconds float, done boolean)")
        cursor.execute(
            "SELECT seconds FROM bench_seed WHERE done AND version = %s AND size = %s", [seed_version(), size]
        )
        row = cursor.fetchone()
    if migrate or row is None:
        _manage(url, "migrate", "--noinput", "-v", "0")
    if row is None:
        log(f"seeding {name} ({size:,} creators, once) ...")
        started = time.monotonic()
        _manage(url, "seed_benchmark_creators", "--count", str(size), "--history")
        with conn.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            seconds = time.monotonic() - started
            cursor.execute("INSERT INTO bench_seed VALUES (%s, %s, %s, true)", [seed_version(), size, seconds])
        log(f"seeded {name} in {seconds:.0f} s")
    else:
        log(f"reusing {name} (seeded in {row[0]:.0f} s)")
    conn.close()
    return url


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["100000"]:
        print(ensure(int(arg)))
