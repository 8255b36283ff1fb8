"""Open campaigns and a signed-in creator for benchmarks/throughput.py (run inside ``manage.py shell``).

The seeded databases (seed_benchmark_creators) hold only completed campaigns, so ``/campaigns/`` as a creator
would measure an empty page. ``ensure()`` adds, once, ``COUNT`` open campaigns from the seeded brands with
varied hard requirements (tiers, platforms, countries, languages, follower and engagement floors), 1–3 niches
and 1–3 deliverable specs each, marked by the title prefix ``Open bench campaign``; on every call it moves
their deadlines into the future (a database made weeks ago stays measurable). The benchmark creator is the
first approved micro creator with a linked account: it gets applications to a few of these campaigns (status
badges on the cards) and a few unread notifications (the header's bell). Deterministic (random.Random(13)).

Only benchmark databases: the lead's seeded database gains rows no other benchmark reads (open campaigns of
seeded brands; recommendations, the directory and the admin do not look at them).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

COUNT = 300
PREFIX = "Open bench campaign"


def ensure() -> tuple[int, int]:
    """Make the open campaigns (once) and return (creator user id, brand user id)."""
    from django.db import transaction
    from django.utils import timezone

    from brands.models import Brand
    from campaigns.models import Application, Campaign, CampaignStatus, DeliverableSpec, Notification
    from core.models import Role, User
    from creators.models import Creator, Niche

    today = timezone.localdate()
    rng = random.Random(13)
    creator = (
        Creator.objects.filter(status="approved", tier="micro", accounts__isnull=False, user__isnull=False)
        .order_by("id")
        .first()
    )
    with transaction.atomic():
        if not Campaign.objects.filter(title__startswith=PREFIX).exists():
            brands = list(Brand.objects.order_by("id")[:40])
            niches = list(Niche.objects.order_by("id"))
            platforms = ["instagram", "tiktok", "youtube", "linkedin"]
            countries = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "BR", "KR", "IN"]
            languages = ["en", "de", "fr", "es", "it", "nl", "pt", "ko"]
            kinds = ["fee", "fee", "fee", "gifted", "mix"]
            campaigns = Campaign.objects.bulk_create(
                Campaign(
                    brand=brands[i % len(brands)],
                    title=f"{PREFIX} {i}: {rng.choice(['oat milk', 'skin care', 'city bikes', 'tea', 'sneakers'])}",
                    product_description=(
                        "A benchmark brief long enough to be truncated on the card: "
                        + " ".join(
                            rng.choice(["fresh", "local", "organic", "bold", "quiet", "daily"]) for _ in range(40)
                        )
                    ),
                    platforms=rng.sample(platforms, rng.choice([0, 1, 1, 2])),
                    target_tiers=rng.choice([[], [], ["nano"], ["micro"], ["nano", "micro"], ["micro", "macro"]]),
                    min_followers=rng.choice([0, 0, 0, 1_000, 10_000, 50_000]),
                    min_engagement_rate=rng.choice([None, None, None, Decimal("1.5"), Decimal("3")]),
                    countries=rng.sample(countries, rng.choice([0, 0, 1, 2, 3])),
                    languages=rng.sample(languages, rng.choice([0, 0, 1, 2])),
                    compensation_type=(kind := rng.choice(kinds)),
                    fee_per_creator=Decimal(rng.randrange(50, 2000, 25)) if kind != "gifted" else Decimal(0),
                    gifted_product="A box of samples" if kind in ("gifted", "mix") else "",
                    slots=rng.randint(1, 20),
                    total_budget=Decimal(40_000),
                    application_deadline=today + dt.timedelta(days=30),
                    content_due_date=today + dt.timedelta(days=90),
                    status=CampaignStatus.OPEN,
                    published_at=timezone.now() - dt.timedelta(minutes=i),
                )
                for i in range(COUNT)
            )
            through = Campaign.niches.through
            through.objects.bulk_create(
                through(campaign_id=c.pk, niche_id=n.pk)
                for c in campaigns
                for n in rng.sample(niches, rng.randint(1, 3))
            )
            DeliverableSpec.objects.bulk_create(
                DeliverableSpec(campaign=c, platform=p, format=f, quantity=rng.randint(1, 3))
                for c in campaigns
                for p, f in rng.sample(
                    [("instagram", "reel"), ("instagram", "story"), ("tiktok", "video"), ("youtube", "video")],
                    rng.randint(1, 3),
                )
            )
            now = timezone.now()
            Application.objects.bulk_create(
                Application(campaign=c, creator=creator, status=status, created_at=now, updated_at=now)
                for c, status in zip(
                    campaigns[:40:8], ["applied", "shortlisted", "accepted", "declined", "applied"], strict=True
                )
            )
            Notification.objects.bulk_create(
                Notification(user_id=creator.user_id, verb=f"Bench notification {i}", target_url="/campaigns/")
                for i in range(3)
            )
        Campaign.objects.filter(title__startswith=PREFIX).update(
            application_deadline=today + dt.timedelta(days=30), content_due_date=today + dt.timedelta(days=90)
        )
        # The brand of the existing rows: a brand-role user without a brand, as throughput.py always signed in.
        brand_user, _ = User.objects.get_or_create(email="bench-brand@bench.example", defaults={"role": Role.BRAND})
    return creator.user_id, brand_user.pk
