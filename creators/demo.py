"""Demo creators for `make run`: Casey (the demo login) plus ~200 creators across tiers, niches,
countries and platforms, with avatars drawn by Pillow and 30 days of follower history. Idempotent."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from core import uploads
from core.vetting import VettingStatus

from . import account_stats
from .models import (
    ContentFormat,
    Creator,
    Currency,
    Deliverable,
    Niche,
    Platform,
    PortfolioItem,
    RateCardEntry,
    SocialAccount,
)
from .pricing import suggested_range
from .services import AVATAR_SIZES, creator_recompute_audience, creator_refresh_search

DEMO_COUNT = 200
FIRST = [
    "Mia",
    "Leo",
    "Ava",
    "Noah",
    "Zoe",
    "Omar",
    "Ivy",
    "Luca",
    "Nia",
    "Kai",
    "Emma",
    "Ravi",
    "Sofia",
    "Jonas",
    "Chloe",
    "Mateo",
    "Aisha",
    "Finn",
    "Yuki",
    "Lena",
    "Diego",
    "Maya",
    "Theo",
    "Priya",
    "Elif",
    "Sam",
]
LAST = [
    "Runs",
    "Cooks",
    "Travels",
    "Builds",
    "Plays",
    "Reads",
    "Lifts",
    "Paints",
    "Codes",
    "Grows",
    "Styles",
    "Saves",
    "Bakes",
    "Hikes",
    "Films",
    "Sings",
]
COUNTRIES = [
    ("GB", ["en"]),
    ("US", ["en"]),
    ("DE", ["de", "en"]),
    ("FR", ["fr"]),
    ("ES", ["es"]),
    ("IT", ["it"]),
    ("NL", ["nl", "en"]),
    ("BR", ["pt"]),
    ("IN", ["hi", "en"]),
    ("SE", ["sv", "en"]),
    ("PL", ["pl"]),
    ("MX", ["es"]),
    ("JP", ["ja"]),
    ("CA", ["en", "fr"]),
]
BIOS = [
    "{niche} creator sharing honest reviews, quick tips and behind-the-scenes stories with a close community.",
    "Everyday {niche} for busy people: short videos, real results, no filters. Open to long-term partnerships.",
    "I make {niche} content that feels like advice from a friend. Weekly posts, daily stories.",
    "Award-winning {niche} storyteller. Brands I love get thoughtful, on-brief content delivered on time.",
]
COLOURS = ["#5b3cc4", "#ff6b4a", "#137a4b", "#1d5fa8", "#a1124f", "#8a5a00", "#0b5cad", "#17703f"]


def draw_avatar(name: str, colour: str) -> ContentFile:
    img = Image.new("RGB", (400, 400), colour)
    draw = ImageDraw.Draw(img)
    draw.ellipse((40, 40, 360, 360), fill="#ffffff")
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    try:
        font = ImageFont.load_default(size=150)
    except TypeError:  # very old Pillow
        font = ImageFont.load_default()
    draw.text((200, 200), initials, fill=colour, font=font, anchor="mm")
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="avatar.png")


def _attach_avatar(creator: Creator, colour: str) -> None:
    files = uploads.accept_image(draw_avatar(creator.display_name, colour), sizes=AVATAR_SIZES)  # the upload policy
    creator.avatar.save(files["avatar"].name, files["avatar"], save=False)
    creator.avatar_thumb.save(files["thumb"].name, files["thumb"], save=False)
    creator.save(update_fields=["avatar", "avatar_thumb"])


def _accounts_for(creator: Creator, rng: random.Random) -> list[int]:
    """Link 1–3 accounts, pending: their numbers and history come from the demo provider (stats pipeline)."""
    platforms = rng.sample(
        [Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE, Platform.LINKEDIN], k=rng.choice([1, 1, 2, 2, 3])
    )
    return [
        SocialAccount.objects.create(
            creator=creator,
            platform=platform,
            handle=f"{creator.handle}.{platform}"[:100],
            external_id=f"demo-{creator.handle}-{platform}",
            verified=rng.random() < 0.3,
        ).pk
        for platform in platforms
    ]


def _rates_for(creator: Creator, rng: random.Random) -> None:
    deliverables = {
        Platform.INSTAGRAM: [Deliverable.POST, Deliverable.REEL, Deliverable.STORY],
        Platform.TIKTOK: [Deliverable.SHORT],
        Platform.YOUTUBE: [Deliverable.VIDEO, Deliverable.SHORT],
        Platform.LINKEDIN: [Deliverable.ARTICLE],
    }
    for account in creator.accounts.all():
        band = suggested_range(account.platform, account.tier) or suggested_range("instagram", account.tier)
        for deliverable in deliverables[account.platform][: rng.randint(1, 2)]:
            low = band.low if band else 50
            high = band.high if band and band.high else low * 3
            price = Decimal(int(rng.uniform(low * 0.7, high * 1.1) // 5 * 5 + 5))
            RateCardEntry.objects.get_or_create(
                creator=creator,
                platform=account.platform,
                deliverable=deliverable,
                defaults={"price": price, "currency": Currency.USD},
            )


def _seed_casey(log) -> None:
    from core.demo import DEMO_LOGINS, demo_user

    user = demo_user(DEMO_LOGINS["creator"], role="creator", full_name="Casey Creator")
    creator, created = Creator.objects.get_or_create(
        user=user,
        defaults={
            "display_name": "Casey Creator",
            "handle": "casey",
            "bio": "Trail runner and home cook sharing honest gear reviews and 20-minute recipes. "
            "A close community of runners who actually buy what I recommend.",
            "country": "GB",
            "languages": ["en"],
            "status": VettingStatus.APPROVED,
            "content_formats": [ContentFormat.SHORT_VIDEO, ContentFormat.PHOTO, ContentFormat.REVIEW],
        },
    )
    if not created:
        return
    creator.niches.set(Niche.objects.filter(slug__in=["fitness", "food", "outdoors"]))
    _attach_avatar(creator, "#ff6b4a")
    # Handles the demo provider turns into a micro creator (Instagram ~26K, TikTok ~16K),
    # so Casey fits the demo campaigns' target tiers.
    ids = [
        SocialAccount.objects.create(creator=creator, platform=platform, handle=handle, verified=True).pk
        for platform, handle in ((Platform.INSTAGRAM, "caseytrails"), (Platform.TIKTOK, "caseyruns"))
    ]
    account_stats.backfill_demo_history(account_ids=ids)
    RateCardEntry.objects.create(
        creator=creator,
        platform=Platform.INSTAGRAM,
        deliverable=Deliverable.REEL,
        price=Decimal(350),
        currency=Currency.USD,
        note="Includes 30 days of organic usage",
    )
    RateCardEntry.objects.create(
        creator=creator,
        platform=Platform.TIKTOK,
        deliverable=Deliverable.SHORT,
        price=Decimal(15),
        currency=Currency.USD,
    )
    PortfolioItem.objects.create(
        creator=creator, caption="Trail shoe review, 3 months in", url="https://www.instagram.com/p/demo-casey-1/"
    )
    creator_recompute_audience(creator_ids=[creator.pk])
    creator_refresh_search(creator_ids=[creator.pk])
    log("Demo creator @casey created.")


@transaction.atomic
def seed(log: Callable[[str], None]) -> None:
    from core.models import Role, User

    _seed_casey(log)
    if Creator.objects.filter(handle__startswith="demo-").count() >= DEMO_COUNT:
        return
    rng = random.Random(2026)
    niches = list(Niche.objects.all())
    created: list[Creator] = []
    account_ids: list[int] = []
    for n in range(DEMO_COUNT):
        handle = f"demo-{n:03d}"
        if Creator.objects.filter(handle=handle).exists():
            continue
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"
        email = f"{handle}@creators.example"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None, role=Role.CREATOR, full_name=name
        )
        country, languages = COUNTRIES[n % len(COUNTRIES)]
        picked = rng.sample(niches, k=min(len(niches), rng.randint(1, 3)))
        status = VettingStatus.APPROVED if n % 10 else rng.choice([VettingStatus.PENDING, VettingStatus.REJECTED])
        creator = Creator.objects.create(
            user=user,
            display_name=name,
            handle=handle,
            country=country,
            languages=languages,
            status=status,
            status_reason="" if status != VettingStatus.REJECTED else "Linked accounts could not be confirmed.",
            bio=rng.choice(BIOS).format(niche=picked[0].name.lower() if picked else "lifestyle"),
            content_formats=rng.sample([c.value for c in ContentFormat], k=rng.randint(1, 3)),
        )
        creator.niches.set(picked)
        _attach_avatar(creator, COLOURS[n % len(COLOURS)])
        account_ids += _accounts_for(creator, rng)
        created.append(creator)
    # 30 days of history through the same refresh code the beat runs, so today's
    # refresh continues the curve instead of jumping away from made-up numbers.
    account_stats.backfill_demo_history(account_ids=account_ids)
    for creator in created:
        _rates_for(creator, rng)
    created_ids = [c.pk for c in created]
    creator_recompute_audience(creator_ids=created_ids)
    creator_refresh_search(creator_ids=created_ids)
    log(f"{len(created_ids)} demo creators added.")
