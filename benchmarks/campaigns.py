"""Benchmark the campaign read paths at scale: browse with filters, the brand's list, and accept under contention.

    .venv/bin/python benchmarks/campaigns.py [--campaigns 10000] [--runs 200]

Runs against the development database (embedded PostgreSQL unless DATABASE_URL is set) inside one
transaction that is rolled back at the end, so the demo data is left as it was. Prints p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.harness import Rollback, percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    import datetime as dt
    from decimal import Decimal

    from brands.models import Brand, BrandMember
    from campaigns import selectors
    from campaigns.models import Campaign, CampaignStatus, DeliverableSpec
    from core.models import User
    from creators.models import Niche

    rng = random.Random(7)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email="bench-owner@bench.example", password=None, role="brand")
            brands = Brand.objects.bulk_create(
                Brand(name=f"Bench {i}", slug=f"bench-brand-{i}", status="approved") for i in range(200)
            )
            BrandMember.objects.create(brand=brands[0], user=user, role="owner")
            today = timezone.localdate()
            statuses = [CampaignStatus.OPEN] * 6 + [
                CampaignStatus.CLOSED,
                CampaignStatus.COMPLETED,
                CampaignStatus.DRAFT,
                CampaignStatus.CANCELLED,
            ]
            platforms = ["instagram", "tiktok", "youtube", "linkedin"]
            t0 = time.perf_counter()
            campaigns = Campaign.objects.bulk_create(
                Campaign(
                    brand=brands[i % len(brands)],
                    title=f"Bench campaign {i} {rng.choice(['oats', 'skin', 'bikes'])}",
                    product_description="Benchmark brief.",
                    platforms=rng.sample(platforms, rng.randint(1, 3)),
                    fee_per_creator=Decimal(rng.randrange(50, 2000, 25)),
                    slots=rng.randint(1, 20),
                    total_budget=Decimal(40_000),
                    application_deadline=today + dt.timedelta(days=rng.randint(1, 60)),
                    content_due_date=today + dt.timedelta(days=90),
                    status=rng.choice(statuses),
                    published_at=timezone.now(),
                )
                for i in range(args.campaigns)
            )
            DeliverableSpec.objects.bulk_create(
                DeliverableSpec(campaign=c, platform=c.platforms[0], format="reel", quantity=1) for c in campaigns
            )
            niches = list(Niche.objects.all())
            through = Campaign.niches.through
            through.objects.bulk_create(
                through(campaign_id=c.pk, niche_id=rng.choice(niches).pk) for c in campaigns if niches
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE campaigns_campaign; ANALYZE campaigns_campaign_niches; ANALYZE campaigns_deliverablespec"
                )
            print(f"seeded {args.campaigns:,} campaigns in {time.perf_counter() - t0:.1f} s")

            def run(label: str, fn) -> None:
                fn()  # warm up
                samples = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    fn()
                    samples.append((time.perf_counter() - start) * 1000)
                print(f"{label:<48} p50 {statistics.median(samples):6.1f} ms   p95 {percentile(samples, 0.95):6.1f} ms")

            def browse_filtered():
                filters = {
                    "platform": rng.choice(platforms),
                    "fee_min": rng.choice(["", "100", "500"]),
                    "niche": rng.choice(niches).slug if niches else "",
                    "sort": rng.choice(["", "deadline", "fee"]),
                }
                list(selectors.campaigns_open(filters=filters)[:50])

            def browse_search():
                list(selectors.campaigns_open(filters={"q": rng.choice(["oats", "skin", "bikes", "campaign 99"])})[:50])

            def brand_list():
                list(selectors.campaigns_for_brand(user=user))

            run("browse: open campaigns, 3 filters, first 50", browse_filtered)
            run("browse: search term, first 50", browse_search)
            run(f"brand list with counts ({args.campaigns // len(brands)} campaigns)", brand_list)
            raise Rollback
    except Rollback:
        print("rolled back: the database is as it was")


if __name__ == "__main__":
    main()
