"""Benchmark the campaign report page at a campaign with many hired creators (issue 11).

    .venv/bin/python benchmarks/report.py [--creators 500] [--days 30] [--runs 20]

Seeds one campaign with N hires, each with a live post and a snapshot a day, a click row a day and two orders,
half of them funded, inside one transaction that is rolled back at the end (the development database, embedded
PostgreSQL unless DATABASE_URL is set, is left as it was). Then renders the brand's report page through Django's
test client (the whole stack: middleware, selectors, report, SVG charts, template) and prints its query count and
p50/p95 wall time (and this process's CPU time, which a busy machine inflates less); also the CSV and the report
alone (results.report.build). DEBUG is off, as in production.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.harness import Rollback, percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--creators", type=int, default=500)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from decimal import Decimal

    from brands.models import Brand, BrandMember
    from campaigns.models import Application, Campaign, CampaignStatus, Deliverable, DeliverableSpec
    from core.models import User
    from creators.models import Creator, SocialAccount
    from payments.models import Funding
    from results import report
    from results.models import ClickDay, Conversion, TrackedLink
    from stats.models import Post, PostSnapshot

    rng = random.Random(11)
    n = args.creators
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            owner = User.objects.create_user(email="bench-report@bench.example", password=None, role="brand")
            brand = Brand.objects.create(name="Bench Oats", slug="bench-report-oats", status="approved")
            BrandMember.objects.create(brand=brand, user=owner, role="owner")
            today = timezone.localdate()
            campaign = Campaign.objects.create(
                brand=brand,
                title="Bench report",
                product_description="Benchmark brief.",
                platforms=["instagram", "tiktok", "youtube"],
                fee_per_creator=Decimal(200),
                slots=n,
                total_budget=Decimal(200 * n),
                application_deadline=today,
                content_due_date=today,
                status=CampaignStatus.CLOSED,
                landing_url="https://bench.example/oats",
            )
            DeliverableSpec.objects.create(campaign=campaign, platform="instagram", format="reel")
            users = User.objects.bulk_create(
                User(email=f"bench-report-{i}@bench.example", role="creator") for i in range(n)
            )
            creators = Creator.objects.bulk_create(
                Creator(user=u, display_name=f"Bench creator {i}", handle=f"bench-report-{i}")
                for i, u in enumerate(users)
            )
            platforms = ["instagram", "tiktok", "youtube"]
            accounts = SocialAccount.objects.bulk_create(
                SocialAccount(creator=c, platform=platforms[i % 3], handle=f"bench_{i}", followers=20_000)
                for i, c in enumerate(creators)
            )
            apps = Application.objects.bulk_create(
                Application(
                    campaign=campaign, creator=c, status="accepted", proposed_rate=Decimal(rng.randint(50, 400))
                )
                for c in creators
            )
            Funding.objects.bulk_create(
                Funding(
                    application=a, provider="offline", currency="USD", fee=20_000, platform_fee=2_000, status="held"
                )
                for a in apps[::2]
            )
            links = TrackedLink.objects.bulk_create(
                TrackedLink(application=a, campaign=campaign, code=f"bench{i:06d}") for i, a in enumerate(apps)
            )
            start = today - dt.timedelta(days=args.days - 1)
            posts = Post.objects.bulk_create(
                Post(
                    account=acc,
                    platform_post_id=f"bench-{i}",
                    url=f"https://example.com/p/{i}",
                    first_seen_at=timezone.now(),
                    views=rng.randint(1_000, 200_000),
                    reach=rng.randint(800, 150_000),
                    likes=rng.randint(10, 9_000),
                    comments=rng.randint(0, 500),
                    shares=rng.randint(0, 300),
                    saves=rng.randint(0, 300),
                )
                for i, acc in enumerate(accounts)
            )
            Deliverable.objects.bulk_create(
                Deliverable(application=a, platform=accounts[i].platform, format="reel", status="live", post=posts[i])
                for i, a in enumerate(apps)
            )
            PostSnapshot.objects.bulk_create(
                PostSnapshot(
                    post=p,
                    period=start + dt.timedelta(days=d),
                    taken_at=timezone.now(),
                    views=p.views * (d + 1) // args.days,
                )
                for p in posts
                for d in range(args.days)
            )
            ClickDay.objects.bulk_create(
                ClickDay(link=link, day=start + dt.timedelta(days=d), clicks=rng.randint(0, 80), unique_clicks=0)
                for link in links
                for d in range(args.days)
            )
            Conversion.objects.bulk_create(
                Conversion(
                    brand=brand,
                    link=link,
                    order_id=f"bench-{i}-{k}",
                    amount=rng.randint(1_000, 20_000),
                    currency="USD",
                    source="api",
                    occurred_at=timezone.now(),
                )
                for i, link in enumerate(links)
                for k in range(2)
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE results_clickday; ANALYZE results_conversion; ANALYZE stats_postsnapshot; "
                    "ANALYZE campaigns_deliverable; ANALYZE campaigns_application; ANALYZE results_trackedlink; "
                    "ANALYZE stats_post; ANALYZE creators_socialaccount; ANALYZE creators_creator; "
                    "ANALYZE payments_funding"
                )
            print(
                f"seeded {n} hires, {len(posts)} posts, {n * args.days:,} snapshots, {n * args.days:,} click days, "
                f"{2 * n:,} orders in {time.perf_counter() - t0:.1f} s"
            )

            client = Client()
            client.force_login(owner)

            def timed(label: str, fn) -> None:
                queries = []

                def count(execute, sql, params, many, context):
                    queries.append(sql)
                    return execute(sql, params, many, context)

                with connection.execute_wrapper(count):
                    fn()  # warm up, and count
                samples, cpu = [], []
                for _ in range(args.runs):
                    began, began_cpu = time.perf_counter(), time.process_time()
                    fn()
                    samples.append((time.perf_counter() - began) * 1000)
                    cpu.append((time.process_time() - began_cpu) * 1000)
                print(
                    f"{label:<34} {len(queries):3d} queries   p50 {statistics.median(samples):7.1f} ms   "
                    f"p95 {percentile(samples, 0.95):7.1f} ms   (Python CPU p50 {statistics.median(cpu):6.1f} ms)"
                )

            def page():
                response = client.get(f"/brand/campaigns/{campaign.pk}/report/")
                assert response.status_code == 200, response.status_code
                assert response.content.count(b"data-creator=") == n

            def csv_file():
                response = client.get(f"/brand/campaigns/{campaign.pk}/report.csv")
                assert response.status_code == 200
                assert response.content.count(b"\n") == n + 2

            timed(f"report page ({n} creators)", page)
            timed("report CSV", csv_file)
            timed("results.report.build alone", lambda: report.build(campaign))
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
