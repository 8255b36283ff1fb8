"""`make run`: the whole product on one machine, stopped cleanly by Ctrl-C.

Starts (unless DATABASE_URL/REDIS_URL point elsewhere) the embedded PostgreSQL
and Redis, migrates, loads the demo data once, then runs the web server, a
Celery worker and Celery beat as real processes talking through Redis. On
Ctrl-C (or SIGTERM, or any child dying) it stops every process it started, in
order, and then the embedded servers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from marketplace import embedded

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def say(text: str) -> None:
    """Print, but never let a closed terminal or pipe (``make run | tee``) abort the shutdown."""
    try:
        print(text, flush=True)
    except OSError:
        pass


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
    state_dir = embedded.DEFAULT_STATE_DIR
    started: list = []
    children: list[tuple[str, subprocess.Popen]] = []
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    if not _port_free(HOST, int(PORT)):
        # Most likely another `make run`: leave it (and the servers it uses) alone.
        say(f"{HOST}:{PORT} is already in use (another `make run`?). Stop it, or choose another: PORT=8001 make run")
        return 1

    try:
        if not env.get("DATABASE_URL"):
            say("Starting embedded PostgreSQL in .local/postgres ...")
            pg = embedded.start_postgres(state_dir)
            started.append(pg)
            env["DATABASE_URL"] = pg.url
        else:
            say("Using DATABASE_URL (no embedded PostgreSQL).")
        if not env.get("REDIS_URL"):
            say("Starting embedded Redis in .local/redis ...")
            redis = embedded.start_redis(state_dir)
            started.append(redis)
            env["REDIS_URL"] = redis.url
        else:
            say("Using REDIS_URL (no embedded Redis).")

        python = sys.executable
        for step in (["migrate", "--noinput"], ["seed_demo"]):
            subprocess.run([python, "manage.py", *step], env=env, check=True)
        if stopping:
            return 0

        commands = {
            "web": [python, "manage.py", "runserver", f"{HOST}:{PORT}"],
            "worker": [python, "-m", "celery", "-A", "marketplace", "worker", "--loglevel=INFO", "--concurrency=2"],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "marketplace",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(state_dir / "celerybeat-schedule"),
            ],
        }
        for name, command in commands.items():
            # Own session: the terminal's Ctrl-C reaches only us, and we stop children in order.
            children.append((name, subprocess.Popen(command, env=env, start_new_session=True)))

        from core.demo_accounts import DEMO_ADMIN_TOTP_SECRET, DEMO_LOGINS, DEMO_PASSWORD

        time.sleep(2)
        logins = "\n".join(f"    {role:8} {email}" for role, email in DEMO_LOGINS.items())
        say(
            f"\n  Creator Marketplace is running: http://{HOST}:{PORT}/\n"
            f"  API docs: http://{HOST}:{PORT}/api/docs/   Admin: http://{HOST}:{PORT}/admin/\n"
            f"  Demo logins (password {DEMO_PASSWORD}):\n{logins}\n"
            f"  The admin asks for a two-factor code: add the secret {DEMO_ADMIN_TOTP_SECRET} to an authenticator "
            "app,\n"
            "  or print the current code with `.venv/bin/python manage.py demo_totp`.\n"
            "  Press Ctrl-C to stop everything.\n"
        )
        while not stopping:
            for name, proc in children:
                if proc.poll() is not None:
                    say(f"{name} exited with {proc.returncode}; stopping everything.")
                    stopping = True
            time.sleep(0.5)
        return 0
    finally:
        say("\nStopping ...")
        for _name, proc in reversed(children):
            _terminate_group(proc)
        for server in reversed(started):
            server.stop()
        say("Stopped.")


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _terminate_group(proc: subprocess.Popen, timeout: float = 15) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    # A worker's pool children share its process group: make sure none is left.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parent.parent)
    sys.exit(main())
