"""Benchmark matching (PRODUCT §6, §10): "Recommended creators" for typical briefs and "Campaigns for you".

    .venv/bin/python manage.py seed_benchmark_creators --count 100000   # once; idempotent
    .venv/bin/python benchmarks/matching.py [--campaigns 10000] [--runs 100]

Runs against the development database (embedded PostgreSQL unless DATABASE_URL is set). The campaigns are
seeded inside one transaction that is rolled back at the end, so the data is left as it was. Each figure
is the wall time of evaluating the first page (24 rows, the page size of the brand's page) in Django,
including building the query; p50/p95 in ms.
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

# Typical briefs: (label, fields). Niches are filled in from the seeded taxonomy.
TYPICAL = [
    (
        "nano+micro, IG/TikTok, GB+US, en, 2 niches, $300",
        {
            "target_tiers": ["nano", "micro"],
            "platforms": ["instagram", "tiktok"],
            "countries": ["GB", "US"],
            "languages": ["en"],
            "fee_per_creator": 300,
            "niches": 2,
        },
    ),
    (
        "micro, Instagram, DE, 1 niche, $150",
        {
            "target_tiers": ["micro"],
            "platforms": ["instagram"],
            "countries": ["DE"],
            "fee_per_creator": 150,
            "niches": 1,
        },
    ),
    (
        "micro+macro, YouTube, ≥50K followers, ≥2 % ER",
        {
            "target_tiers": ["micro", "macro"],
            "platforms": ["youtube"],
            "min_followers": 50_000,
            "min_engagement_rate": 2,
            "fee_per_creator": 1200,
            "niches": 1,
        },
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
            "niches": 2,
        },
    ),
    (
        "broad: nano+micro on any platform, no country (worst case)",
        {"target_tiers": ["nano", "micro"], "platforms": [], "fee_per_creator": 250, "niches": 2},
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()

    import datetime as dt
    from decimal import Decimal

    from brands.models import Brand
    from campaigns import matching
    from campaigns.models import Campaign, CampaignStatus
    from creators.models import Creator, Niche

    rng = random.Random(7)
    n_creators = Creator.objects.count()
    n_approved = Creator.objects.filter(status="approved").count()
    print(f"{n_creators:,} creators ({n_approved:,} approved)")
    try:
        with transaction.atomic():
            brands = Brand.objects.bulk_create(
                Brand(name=f"Bench {i}", slug=f"bench-match-brand-{i}", status="approved") for i in range(200)
            )
            today = timezone.localdate()
            statuses = [CampaignStatus.OPEN] * 6 + [
                CampaignStatus.CLOSED,
                CampaignStatus.COMPLETED,
                CampaignStatus.DRAFT,
                CampaignStatus.CANCELLED,
            ]
            platforms = ["instagram", "tiktok", "youtube", "linkedin"]
            tiers = ["nano", "micro", "macro", "mega"]
            countries = ["GB", "US", "DE", "FR", "ES", "IT", "NL", "BR", "IN", "SE", "PL", "MX", "JP", "CA"]
            t0 = time.perf_counter()
            campaigns = Campaign.objects.bulk_create(
                Campaign(
                    brand=brands[i % len(brands)],
                    title=f"Bench match campaign {i}",
                    product_description="Benchmark brief.",
                    platforms=rng.sample(platforms, rng.randint(0, 2)),
                    target_tiers=rng.sample(tiers, rng.randint(0, 2)),
                    countries=rng.sample(countries, rng.randint(0, 3)),
                    languages=rng.choice([[], [], ["en"], ["de"], ["es"]]),
                    min_followers=rng.choice([0, 0, 0, 5_000, 50_000]),
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
            niches = list(Niche.objects.all())
            through = Campaign.niches.through
            through.objects.bulk_create(
                through(campaign_id=c.pk, niche_id=n.pk)
                for c in campaigns
                for n in rng.sample(niches, rng.randint(0, 2))
            )
            typical = []
            for label, spec in TYPICAL:
                spec = dict(spec)
                n = spec.pop("niches")
                campaign = Campaign.objects.create(
                    brand=brands[0],
                    title=label,
                    product_description="Benchmark brief.",
                    slots=10,
                    application_deadline=today + dt.timedelta(days=20),
                    content_due_date=today + dt.timedelta(days=40),
                    status=CampaignStatus.OPEN,
                    published_at=timezone.now(),
                    **spec,
                )
                campaign.niches.set(rng.sample(niches, n))
                typical.append((label, campaign))
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE campaigns_campaign; ANALYZE campaigns_campaign_niches")
            print(f"seeded {args.campaigns:,} campaigns in {time.perf_counter() - t0:.1f} s")

            def run(label: str, fn) -> None:
                fn()  # warm up
                samples = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    fn()
                    samples.append((time.perf_counter() - start) * 1000)
                print(f"{label:<64} p50 {statistics.median(samples):6.1f} ms   p95 {percentile(samples, 0.95):6.1f} ms")

            for label, campaign in typical:
                campaign = Campaign.objects.prefetch_related("niches").get(pk=campaign.pk)
                eligible = matching.eligible_creators(campaign=campaign).count()
                run(
                    f"recommended: {label} [{eligible:,} eligible]",
                    lambda c=campaign: list(matching.recommended_creators(campaign=c)),
                )

            ids = list(
                Creator.objects.filter(status="approved", handle__startswith="bench-").values_list("pk", flat=True)[
                    :5000
                ]
            )
            sample = [Creator.objects.prefetch_related("accounts").get(pk=pk) for pk in rng.sample(ids, 50)]

            def for_creator():
                list(matching.campaigns_for_creator(creator=rng.choice(sample)))

            run("campaigns_for_creator: random approved creator, first 24", for_creator)
            raise Rollback
    except Rollback:
        print("rolled back: the database is as it was")


if __name__ == "__main__":
    main()
