"""Requests per second of a few pages under gunicorn (issue 13), with and without persistent connections.

    .venv/bin/python benchmarks/throughput.py --size 100000 [--seconds 15] [--workers 4] [--clients 8]

Starts gunicorn on the cached seeded database (benchmarks/seeded.py) once with DATABASE_CONN_MAX_AGE=0 (a new
connection per request, what local settings did before) and once with 60, signs a brand in, and drives each
path with ``--clients`` threads for ``--seconds``. Prints requests/s per path and the ratio to /healthz/ (a
trivial page), with the load average: the machine is shared, so compare ratios more than absolute figures.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PATHS = ["/healthz/", "/creators/", "/api/v1/creators/", "/campaigns/"]


def session_cookie(url: str) -> str:
    """A signed-in brand's session key, made in the bench database (a Django shell in a subprocess)."""
    code = (
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from core.models import Role, User\n"
        "u, _ = User.objects.get_or_create(email='bench-brand@bench.example', defaults={'role': Role.BRAND})\n"
        "s = SessionStore(); s['_auth_user_id'] = str(u.pk)\n"
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print('KEY', s.session_key)\n"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "marketplace.settings.local"}
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return re.search(r"KEY (\w+)", out).group(1)


def drive(port: int, path: str, cookie: str, seconds: float, clients: int) -> float:
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "localhost"})
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                done[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8631)
    args = parser.parse_args()
    from benchmarks.seeded import ensure

    url = ensure(args.size)
    cookie = session_cookie(url)
    print(
        f"{args.size:,} creators, gunicorn {args.workers} workers, {args.clients} clients, {args.seconds:.0f} s "
        f"per path, {os.cpu_count()} cores"
    )
    for max_age in (0, 60):
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.local",
            "DJANGO_DEBUG": "false",
            "DATABASE_CONN_MAX_AGE": str(max_age),
        }
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "marketplace.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            time.sleep(4)
            for path in PATHS:
                drive(args.port, path, cookie, 1.5, args.clients)  # warm up
            rates = {path: drive(args.port, path, cookie, args.seconds, args.clients) for path in PATHS}
        finally:
            server.terminate()
            server.wait()
        base = rates["/healthz/"] or 1
        print(
            f"CONN_MAX_AGE={max_age:<3} load {os.getloadavg()[0]:.2f}: "
            + ", ".join(f"{p} {r:.1f}/s ({100 * r / base:.1f} %)" for p, r in rates.items())
        )


if __name__ == "__main__":
    main()
