"""`make bench`: every scenario of issue 13 at 100,000 and 1,000,000 creators, beside a hand-written SQL baseline.

    .venv/bin/python benchmarks/bench.py [--sizes 100000 1000000] [--runs 30]

Each size runs against its cached seeded database (benchmarks/seeded.py: seeded once per seed version and
size). For every scenario: p50/p95 of the product (Python-side wall time of what the page calls: the
recommendations of ``campaigns.matching.recommended_creators`` evaluated to rows; the directory's htmx results
request and the admin's changelist through Django's test client, rendering included), p50/p95 of a hand-written
SQL statement returning the same rows (run through the same connection, rows fetched), and the ratio of the
p95s. The load average is printed beside every size: the machine is shared.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import percentile  # noqa: E402

BRIEFS = [
    (
        "broad: nano+micro, any platform, 2 niches",
        {"target_tiers": ["nano", "micro"], "platforms": [], "fee_per_creator": 250},
        ["lifestyle", "fitness"],
    ),
    (
        "nano+micro, IG/TikTok, GB+US, en, 2 niches",
        {
            "target_tiers": ["nano", "micro"],
            "platforms": ["instagram", "tiktok"],
            "countries": ["GB", "US"],
            "languages": ["en"],
            "fee_per_creator": 300,
        },
        ["food", "travel"],
    ),
    (
        "micro, Instagram, DE, 1 niche, $150",
        {"target_tiers": ["micro"], "platforms": ["instagram"], "countries": ["DE"], "fee_per_creator": 150},
        ["beauty"],
    ),
    (
        "micro+macro, YouTube, >=50K, >=2 % ER",
        {
            "target_tiers": ["micro", "macro"],
            "platforms": ["youtube"],
            "min_followers": 50_000,
            "min_engagement_rate": 2,
            "fee_per_creator": 1200,
        },
        ["tech"],
    ),
    (
        "nano, TikTok, gifted, 3 countries",
        {
            "target_tiers": ["nano"],
            "platforms": ["tiktok"],
            "countries": ["FR", "ES", "IT"],
            "compensation_type": "gifted",
            "gifted_product": "A box",
            "fee_per_creator": None,
        },
        ["fashion", "beauty"],
    ),
    ("no niche, no tier, any platform (widest)", {"target_tiers": [], "platforms": [], "fee_per_creator": 200}, []),
]

DIRECTORY = [
    (
        "directory: two niches + language + ER range",
        {"niche": ["travel", "fitness"], "language": "es", "engagement_min": 2, "engagement_max": 6},
    ),
    ("directory: search + tier, by engagement", {"q": "mia", "tier": "nano", "sort": "engagement"}),
    ("directory: all, most followers", {"sort": "followers"}),
]


class SqlClock:
    """A Django execute wrapper summing the time spent in statements (psycopg2's client-side cursors fetch every
    row inside ``execute``, so this is the database's share of a call: planning, execution and transfer).

    The statements every signed-in request runs whatever the page (the session, the user, the staff MFA check)
    are summed apart: they are the request's, not the page's, and the hand-written baseline returns the page's
    rows only."""

    REQUEST = (
        'FROM "django_session"',
        'FROM "mfa_authenticator"',
        'SELECT "marketplace_user"."id", "marketplace_user"."password"',
    )

    def __init__(self) -> None:
        self.seconds = self.request_seconds = 0.0
        self.statements = self.request_statements = 0

    def reset(self) -> None:
        self.__init__()

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - start
            if any(marker in sql for marker in self.REQUEST):
                self.request_seconds += elapsed
                self.request_statements += 1
            else:
                self.seconds += elapsed
                self.statements += 1


CLOCK = SqlClock()


def timed(fn, runs: int) -> dict:
    """p50/p95 of the whole call and of its statements' time, and the statements per call."""
    for _ in range(2):
        fn()
    whole, db = [], []
    for _ in range(runs):
        # Like timeit: a collection between runs, none inside one (a cyclic collection landing inside a
        # sub-millisecond statement would be charged to it).
        gc.collect()
        gc.disable()
        try:
            CLOCK.reset()
            start = time.perf_counter()
            fn()
            whole.append((time.perf_counter() - start) * 1000)
            db.append(CLOCK.seconds * 1000)
        finally:
            gc.enable()
    return {
        "p50": statistics.median(whole),
        "p95": percentile(whole, 0.95),
        "db50": statistics.median(db),
        "db95": percentile(db, 0.95),
        "statements": CLOCK.statements,
        "request_statements": CLOCK.request_statements,
        "request_ms": CLOCK.request_seconds * 1000,
    }


def run_size(size: int, runs: int) -> list[dict]:
    """In the child process: DATABASE_URL points at the seeded database of ``size``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    import datetime as dt
    from decimal import Decimal

    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from brands.models import Brand
    from campaigns import matching
    from campaigns.models import Campaign, CampaignStatus
    from core.models import Role, User
    from creators.models import Niche

    out = []
    connection.execute_wrappers.append(CLOCK)
    if os.environ.get("BENCH_FULL_STATEMENTS"):
        matching.STAGE_TTL = -1.0  # nothing is remembered
    wanted = os.environ.get("BENCH_ONLY", "")

    def sql_rows(sql: str, params) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    with transaction.atomic():
        brand = Brand.objects.create(name="Bench brand", slug=f"bench-brand-{time.time_ns()}", status="approved")
        niches = {n.slug: n for n in Niche.objects.all()}
        today = timezone.localdate()
        for label, spec, slugs in BRIEFS:
            if wanted not in f"matching: {label}":
                continue
            spec = {**spec}
            if spec.get("fee_per_creator") is not None:
                spec["fee_per_creator"] = Decimal(spec["fee_per_creator"])
            if "min_engagement_rate" in spec:
                spec["min_engagement_rate"] = Decimal(spec["min_engagement_rate"])
            campaign = Campaign.objects.create(
                brand=brand,
                title=label,
                product_description="Benchmark brief.",
                slots=10,
                application_deadline=today + dt.timedelta(days=20),
                content_due_date=today + dt.timedelta(days=40),
                status=CampaignStatus.OPEN,
                published_at=timezone.now(),
                **spec,
            )
            campaign.niches.set([niches[s] for s in slugs])
            campaign = Campaign.objects.prefetch_related("niches").get(pk=campaign.pk)
            rows = list(matching.recommended_creators(campaign=campaign))
            product = timed(lambda c=campaign: list(matching.recommended_creators(campaign=c)), runs)
            # Hand-written: rank the eligible creators who share a niche by the score over the features row,
            # then fetch the same card columns for the 24 ids (the variant, with no pruning proof).
            ids = [c.pk for c in rows]
            bound, b_params, _others = matching._bound_sql(campaign)
            mean_sql, mean_params = matching._platform_mean_sql()
            eligible, e_params = matching._eligible_sql(campaign)
            niche_ids = sorted(n.pk for n in campaign.niches.all())
            share = " AND f.niche_ids && %s::int[]" if niche_ids else ""
            hand = (
                "WITH th AS (SELECT COALESCE(("
                + mean_sql
                + "), 4.0) AS mu), top AS (SELECT f.creator_id, "
                + bound
                + " AS s "
                "FROM campaigns_matchfeatures f WHERE " + eligible + share + " ORDER BY 2 DESC, 1 DESC LIMIT 24) "
                "SELECT c.id, c.display_name, c.handle, c.followers, c.engagement_rate, c.tier, top.s "
                "FROM top JOIN creators_creator c ON c.id = top.creator_id ORDER BY top.s DESC, c.id DESC"
            )
            hand_params = [*mean_params, *b_params, *e_params, *([niche_ids] if niche_ids else [])]
            same = [r[0] for r in sql_rows(hand, hand_params)] == ids
            baseline = timed(lambda s=hand, p=hand_params: sql_rows(s, p), runs)
            eligible_n = matching.eligible_creators(campaign=campaign).count()
            out.append(
                {
                    "scenario": f"matching: {label} [{eligible_n:,} eligible]",
                    "product": product,
                    "baseline": baseline,
                    "same": same,
                }
            )

        user, _ = User.objects.get_or_create(email="bench-brand@bench.example", defaults={"role": Role.BRAND})
        client = Client()
        client.force_login(user)
        htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
        from creators.filters import CreatorFilter
        from creators.selectors import directory_page, listed_creators

        for label, params in DIRECTORY:
            if wanted not in label:
                continue
            product = timed(lambda p=params: client.get("/creators/", p, **htmx), runs)
            # The filters as the page reads them (a QueryDict: a plain dict lost "tier"), in the page's sort (the
            # default when none is given), and the same window: the rows the request above shows.
            from django.http import QueryDict

            from creators.filters import DEFAULT_SORT

            query = QueryDict(mutable=True)
            for name, value in params.items():
                query.setlist(name, value if isinstance(value, list) else [value])
            f = CreatorFilter(query, queryset=listed_creators())
            assert f.is_valid(), f.errors
            sort = params.get("sort", DEFAULT_SORT)
            page = directory_page(f.qs, sort=sort, window_base=f.window_base(sort, listed_creators()))
            ids = [c.pk for c in page.creators]
            key = {"engagement": "COALESCE(engagement_rate, -1)", "newest": "created_at"}.get(sort, "followers")
            qs_sql, qs_params = f.qs.order_by().values("pk").query.sql_with_params()
            # What the page shows: the 24 cards (with their accounts, rates and niches) and the capped count.
            hand = (
                f"SELECT c.id, c.display_name, c.handle, c.followers, c.engagement_rate, c.tier, c.avatar_thumb, "
                f"(SELECT json_agg(json_build_array(a.platform, a.followers, a.followers_hidden, a.verified) "
                f"ORDER BY a.followers DESC) FROM creators_socialaccount a WHERE a.creator_id = c.id), "
                f"(SELECT min(r.price) FROM creators_ratecardentry r WHERE r.creator_id = c.id), "
                f"(SELECT json_agg(n.name) FROM creators_creator_niches cn JOIN creators_niche n "
                f"ON n.id = cn.niche_id WHERE cn.creator_id = c.id), "
                f"(SELECT count(*) FROM ({qs_sql} LIMIT 201) m) "
                f"FROM creators_creator c WHERE c.id IN ({qs_sql}) ORDER BY {key} DESC, id DESC LIMIT 24"
            )
            hand_params = [*qs_params, *qs_params]
            same = [r[0] for r in sql_rows(hand, hand_params)] == ids
            baseline = timed(lambda s=hand, p=hand_params: sql_rows(s, p), runs)
            out.append({"scenario": label, "product": product, "baseline": baseline, "same": same})

        from tests.factories.users import login_with_mfa

        staff, _ = User.objects.get_or_create(
            email="bench-staff@bench.example", defaults={"role": Role.BRAND, "is_staff": True, "is_superuser": True}
        )
        admin = Client()
        login_with_mfa(admin, staff)
        for label, params, hand, hand_params in [
            (
                "admin creators list, unfiltered",
                {},
                "SELECT c.id, c.display_name, c.handle, c.status, c.tier, c.followers, c.engagement_rate, "
                "c.country, c.created_at FROM creators_creator c ORDER BY c.created_at DESC, c.id DESC LIMIT 100",
                [],
            ),
            (
                "admin creators search 'lena'",
                {"q": "lena"},
                "SELECT c.id, c.display_name, c.handle, c.status, c.tier, c.followers, c.engagement_rate, "
                "c.country, c.created_at FROM creators_creator c WHERE c.search_vector @@ "
                "to_tsquery('simple', 'lena:*') ORDER BY c.created_at DESC, c.id DESC LIMIT 100",
                [],
            ),
        ]:
            if wanted not in label:
                continue
            response = admin.get("/admin/creators/creator/", params)
            assert response.status_code == 200, response.status_code
            product = timed(lambda p=params: admin.get("/admin/creators/creator/", p), runs)
            baseline = timed(lambda s=hand, p=hand_params: sql_rows(s, p), runs)
            from django.contrib import admin as django_admin

            from creators.models import Creator

            model_admin = django_admin.site._registry[Creator]
            listed = Creator.objects.order_by(*model_admin.ordering)
            if params.get("q"):
                listed = model_admin.get_search_results(None, listed, params["q"])[0]
            ids = list(listed.values_list("pk", flat=True)[:100])
            same = [r[0] for r in sql_rows(hand, hand_params)] == ids
            out.append({"scenario": label, "product": product, "baseline": baseline, "same": same})
        transaction.set_rollback(True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", default="", help="only the scenarios whose name contains this text")
    parser.add_argument(
        "--full-statements",
        action="store_true",
        help="recommendations: every call runs the full statement, as a brief's first call in a process does "
        "(else the stage that gave a brief's page is remembered: campaigns.matching.STAGE_TTL)",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(run_size(args.child, args.runs)))
        return
    from benchmarks.seeded import ensure

    results = {}
    for size in args.sizes:
        url = ensure(size, log=lambda m: print(m, file=sys.stderr))
        load_before = os.getloadavg()[0]
        env = {**os.environ, "DATABASE_URL": url, "BENCH_ONLY": args.only}
        if args.full_statements:
            env["BENCH_FULL_STATEMENTS"] = "1"
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--runs", str(args.runs)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            raise SystemExit(proc.returncode)
        line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
        results[size] = (json.loads(line[7:]), load_before, os.getloadavg()[0])
    print(
        f"make bench: milliseconds over {args.runs} runs each. whole = what the page calls, Python included "
        "(matching: the ranked rows as model instances; directory and admin: the request through Django's test "
        "client, 24 or 100 rows rendered); db = the time of the page's statements (n of them; +k: the session, user "
        "and MFA lookups every signed-in request makes, not in db); sql = one hand-written statement returning the "
        "same rows; ratio = db p95 / sql p95; same = the hand-written rows are the page's. Matching's calls after a "
        "brief's first hold the stage that gave its page (--full-statements: every call runs the full statement)."
    )
    for size, (rows, before, after) in results.items():
        print(f"\n{size:,} creators, load average {before:.2f} before / {after:.2f} after, {os.cpu_count()} cores")
        print(
            f"{'scenario':62} {'whole p50':>9} {'p95':>6} | {'db p50':>6} {'p95':>6} {'n':>4} | "
            f"{'sql p50':>7} {'p95':>6} | {'ratio':>5} same"
        )
        for r in rows:
            pr, base = r["product"], r["baseline"]
            n = f"{pr['statements']}+{pr['request_statements']}" if pr["request_statements"] else pr["statements"]
            print(
                f"{r['scenario'][:62]:62} {pr['p50']:9.1f} {pr['p95']:6.1f} | {pr['db50']:6.1f} {pr['db95']:6.1f} "
                f"{n:>4} | {base['db50']:7.1f} {base['db95']:6.1f} | "
                f"{pr['db95'] / base['db95']:5.1f} {'yes' if r['same'] else 'no'}"
            )


if __name__ == "__main__":
    main()
