"""`make run`'s supervisor: web, worker and beat come up, answer, and Ctrl-C leaves nothing behind."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psutil
import psycopg2
import pytest
from django.db import connection

from marketplace.tasks import heartbeat

PROJECT_DIR = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def scratch_database():
    """A database of its own on the test server, so the supervisor's migrate/seed touch nothing else."""
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("DROP DATABASE IF EXISTS devserver_check WITH (FORCE)")
        cur.execute("CREATE DATABASE devserver_check")
    s = connection.settings_dict
    host = s.get("HOST") or s.get("OPTIONS", {}).get("host", "")
    if host.startswith("/"):
        url = f"postgres://{s['USER']}@/devserver_check?host={quote(host, safe='/')}"
    else:
        url = f"postgres://{s['USER']}:{s['PASSWORD']}@{host}:{s['PORT'] or 5432}/devserver_check"
    yield url
    with admin.cursor() as cur:
        cur.execute("DROP DATABASE IF EXISTS devserver_check WITH (FORCE)")
    admin.close()


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_make_run_serves_works_and_stops_cleanly(transactional_db, scratch_database, tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": scratch_database,
        "REDIS_URL": os.environ["REDIS_URL"],
        "PORT": str(port),
    }
    log = open(tmp_path / "run.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "marketplace.devserver"], cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if get(base + "/") == 200 and "Press Ctrl-C" in (tmp_path / "run.log").read_text():
                    break
            except OSError:
                pass
            assert proc.poll() is None, (tmp_path / "run.log").read_text()
            time.sleep(0.5)
        for path in ("/", "/accounts/signup/", "/accounts/login/", "/admin/login/"):
            assert get(base + path) == 200, path
        # The supervisor's worker executes a task sent through Redis.
        assert heartbeat.apply_async().get(timeout=60)["users"] >= 3
        output = (tmp_path / "run.log").read_text()
        assert "admin@example.com" in output and "creator@example.com" in output and "brand@example.com" in output
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= 3
    finally:
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        proc.wait(timeout=60)
    time.sleep(0.5)
    alive = [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    assert alive == [], [c.cmdline() for c in alive]
    assert "Stopped." in (tmp_path / "run.log").read_text()


def test_make_run_refuses_a_busy_port_and_touches_nothing(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        env = {
            **os.environ,
            "PORT": str(port),
            "DATABASE_URL": "postgres://nobody@/none?host=/nonexistent",
            "REDIS_URL": "unix:///nonexistent.sock",
        }
        result = subprocess.run(
            [sys.executable, "-m", "marketplace.devserver"],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert "already in use" in result.stdout and "Starting embedded" not in result.stdout
