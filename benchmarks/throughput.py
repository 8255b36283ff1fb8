"""Requests per second of a few pages under gunicorn (issue 13), with and without persistent connections.

    .venv/bin/python benchmarks/throughput.py --size 100000 [--seconds 15] [--workers 4] [--clients 8]

Starts gunicorn on the cached seeded database (benchmarks/seeded.py) once with DATABASE_CONN_MAX_AGE=0 (a new
connection per request, what local settings did before) and once with 60 (``--max-age 60`` runs only that one),
signs a brand in (the directory, the API, the public campaign list) and a creator (``/campaigns/ (creator)``:
the campaign browse with eligibility per card and "Campaigns for you"; benchmarks/open_campaigns.py adds the
open campaigns it needs), and drives each path with ``--clients`` threads for ``--seconds``. Prints
requests/s per path and the ratio to /healthz/ (a trivial page), with the load average: the machine is
shared, so compare ratios more than absolute figures. ``--only`` picks rows by label (``/healthz/`` is always
measured: the ratios need it).
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

# (label, path, who is signed in)
PATHS = [
    ("/healthz/", "/healthz/", "brand"),
    ("/creators/", "/creators/", "brand"),
    ("/api/v1/creators/", "/api/v1/creators/", "brand"),
    ("/campaigns/", "/campaigns/", "brand"),
    ("/campaigns/ (creator)", "/campaigns/", "creator"),
    # a small signed-in page: mostly what every page pays (session, user, header, navigation, base template)
    ("/notifications/ (creator)", "/notifications/", "creator"),
]


def session_cookies(url: str) -> dict[str, str]:
    """Session keys of a signed-in brand and creator, made in the bench database (a Django shell in a
    subprocess; benchmarks/open_campaigns.py makes the open campaigns and picks the creator)."""
    code = (
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from core.models import User\n"
        "from benchmarks.open_campaigns import ensure\n"
        "creator_id, brand_id = ensure()\n"
        "for role, pk in (('brand', brand_id), ('creator', creator_id)):\n"
        "    u = User.objects.get(pk=pk)\n"
        "    s = SessionStore(); s['_auth_user_id'] = str(u.pk)\n"
        "    s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'\n"
        "    s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print('KEY', role, s.session_key)\n"
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
    return dict(re.findall(r"KEY (\w+) (\w+)", out))


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
    parser.add_argument("--max-age", default="0,60", help="CONN_MAX_AGE values to run, comma-separated")
    parser.add_argument("--only", nargs="*", default=[], help="row labels to measure (besides /healthz/)")
    args = parser.parse_args()
    paths = [p for p in PATHS if p[0] == "/healthz/" or not args.only or p[0] in args.only]
    from benchmarks.seeded import ensure

    url = ensure(args.size)
    cookies = session_cookies(url)
    print(
        f"{args.size:,} creators, gunicorn {args.workers} workers, {args.clients} clients, {args.seconds:.0f} s "
        f"per path, {os.cpu_count()} cores"
    )
    for max_age in (int(x) for x in args.max_age.split(",")):
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
            for _, path, who in paths:
                drive(args.port, path, cookies[who], 1.5, args.clients)  # warm up
            rates = {
                label: drive(args.port, path, cookies[who], args.seconds, args.clients) for label, path, who in paths
            }
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
