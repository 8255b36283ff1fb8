"""Demo campaigns in every state with applications, deliverables and messages, built through the services
(so audit rows and notifications are real). Idempotent: a campaign whose title exists is left alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from brands.models import Brand, BrandMember
from core.models import Role, User
from core.vetting import VettingStatus
from creators.models import Creator, Niche, SocialAccount

from . import services
from .models import Application, ApplicationStatus as A, Campaign, CampaignStatus as C, Deliverable

EXTRA_CREATORS = [
    # handle, name, country, platform, account handle (the demo provider makes these nano/micro, so they fit the
    # briefs; their numbers and history come from it through the refresh code, like every demo account)
    ("cm-mia-moves", "Mia Moves", "GB", "instagram", "mia_moves"),
    ("cm-dev-eats", "Dev Eats", "GB", "tiktok", "dev_eats"),
    ("cm-outdoor-ola", "Ola Outdoors", "IE", "instagram", "ola_outdoors"),
    ("cm-sam-lifts", "Sam Lifts", "GB", "youtube", "sam_trains"),
    ("cm-rosa-reads", "Rosa Reads", "ES", "instagram", "rosa_reads"),
    ("cm-kit-kitchen", "Kit's Kitchen", "GB", "tiktok", "kits_kitchen"),
]


def _applicants(log) -> list[Creator]:
    """Approved creators to apply, with a few demo applicants that fit the briefs (GB/IE, nano/micro)."""
    from stats.api import backfill_demo_history as demo_backfill_history

    new_accounts = []
    for handle, name, country, platform, account_handle in EXTRA_CREATORS:
        user = User.objects.filter(email=f"{handle}@creators.example").first() or User.objects.create_user(
            email=f"{handle}@creators.example", password=None, role=Role.CREATOR, full_name=name
        )
        creator, created = Creator.objects.get_or_create(
            user=user,
            defaults={
                "display_name": name,
                "handle": handle,
                "country": country,
                "languages": ["en"],
                "status": VettingStatus.APPROVED,
                "bio": "Demo applicant.",
            },
        )
        if created:
            new_accounts.append(
                SocialAccount.objects.create(creator=creator, platform=platform, handle=account_handle).pk
            )
            creator.niches.set(Niche.objects.filter(slug__in=["food", "fitness", "lifestyle"])[:2])
    if new_accounts:
        demo_backfill_history(account_ids=new_accounts)
        log("Demo applicants added for campaigns.")
    casey = Creator.objects.prefetch_related("accounts").filter(handle="casey").first()
    others = list(
        Creator.objects.filter(status=VettingStatus.APPROVED)
        .exclude(handle="casey")
        .prefetch_related("accounts")
        .order_by("handle")[:80]
    )
    return ([casey] if casey else []) + others


def _brief(title: str, **over) -> dict:
    today = timezone.localdate()
    data = {
        "title": title,
        "product_description": "",
        "goal": "awareness",
        "platforms": ["instagram", "tiktok", "youtube"],
        "target_tiers": [],
        "min_followers": 0,
        "min_engagement_rate": None,
        "countries": [],
        "languages": [],
        "compensation_type": "fee",
        "fee_per_creator": Decimal("250"),
        "gifted_product": "",
        "gifted_value": None,
        "commission_percent": None,
        "slots": 4,
        "total_budget": Decimal("1000"),
        "application_deadline": today + dt.timedelta(days=12),
        "content_due_date": today + dt.timedelta(days=30),
        "usage_rights": "organic",
        "usage_duration_months": None,
        "dos": "Show the product in real use.\nTag the brand and use #ad.",
        "donts": "No competitor products in frame.\nNo medical claims.",
    }
    data.update(over)
    return data


CAMPAIGNS = [
    # brand slug, title, brief overrides, specs, target state, niches
    (
        "trailmix-co",
        "Trail snacks for your long run",
        {
            "product_description": "Our new salted-maple oat bar: 220 kcal, no palm oil, recyclable wrapper. "
            "We want runners and hikers to show it on a real outing.",
            "goal": "awareness",
            "target_tiers": ["nano", "micro"],
            "countries": ["GB", "IE"],
        },
        [("instagram", "reel", 1), ("instagram", "story", 3)],
        "open-busy",
        ["fitness", "food"],
    ),
    (
        "trailmix-co",
        "UGC: unboxing the summer box",
        {
            "product_description": "Twelve bars and a bottle in a summer box. Short vertical videos we can run as ads.",
            "goal": "ugc",
            "compensation_type": "mix",
            "fee_per_creator": Decimal("150"),
            "gifted_product": "Summer box",
            "gifted_value": Decimal("45"),
            "slots": 6,
            "total_budget": Decimal("900"),
            "usage_rights": "paid_ads",
            "usage_duration_months": 6,
        },
        [("tiktok", "short", 2)],
        "open",
        ["food", "lifestyle"],
    ),
    (
        "trailmix-co",
        "Autumn launch (draft)",
        {
            "product_description": "Pumpkin-spice bar. Details to follow.",
            "compensation_type": "gifted",
            "fee_per_creator": None,
            "total_budget": None,
            "gifted_product": "A month of bars",
            "gifted_value": Decimal("30"),
        },
        [("instagram", "post", 1)],
        "draft",
        ["food"],
    ),
    (
        "trailmix-co",
        "Spring trail clean-up",
        {
            "product_description": "Join our litter-pick weekend and film it.",
            "slots": 2,
            "total_budget": Decimal("500"),
        },
        [("youtube", "video", 1)],
        "completed",
        ["fitness"],
    ),
    (
        "trailmix-co",
        "Marathon week giveaway",
        {
            "product_description": "A giveaway around the city marathon.",
            "slots": 3,
            "total_budget": Decimal("750"),
        },
        [("instagram", "reel", 1)],
        "cancelled",
        ["fitness"],
    ),
    (
        "lumen-skin",
        "Sensitive-skin routine, honestly",
        {
            "product_description": "A 4-week routine with our fragrance-free cleanser and moisturiser.",
            "goal": "sales",
            "compensation_type": "commission",
            "fee_per_creator": None,
            "total_budget": None,
            "commission_percent": Decimal("15"),
            "slots": 10,
        },
        [("instagram", "reel", 1), ("tiktok", "short", 1)],
        "open",
        ["beauty", "lifestyle"],
    ),
    (
        "lumen-skin",
        "Winter skin SOS",
        {
            "product_description": "Barrier cream for cold months.",
            "slots": 2,
            "total_budget": Decimal("600"),
            "fee_per_creator": Decimal("300"),
        },
        [("youtube", "short", 2)],
        "closed",
        ["beauty"],
    ),
]


def seed(log: Callable[[str], None]) -> None:
    creators = _applicants(log)
    for slug, title, over, specs, state, niches in CAMPAIGNS:
        brand = Brand.objects.filter(slug=slug).first()
        if brand is None or Campaign.objects.filter(brand=brand, title=title).exists():
            continue
        owner = BrandMember.objects.filter(brand=brand).select_related("user").order_by("joined_at").first().user
        campaign = services.campaign_create(
            brand=brand,
            actor=owner,
            data=_brief(title, **over),
            niches=Niche.objects.filter(slug__in=niches),
            specs=[{"platform": p, "format": f, "quantity": q} for p, f, q in specs],
        )
        if state != "draft":
            campaign = services.campaign_publish(campaign=campaign, actor=owner)
        _populate(campaign, owner, creators, state)
        log(f"Demo campaign “{title}” ({state}).")


def _apply(campaign, creator, pitch, rate):
    try:
        return services.application_submit(
            campaign=campaign,
            creator=creator,
            actor=creator.user,
            pitch=pitch,
            proposed_rate=Decimal(rate),
            sample_links=[f"https://instagram.com/{creator.handle}"],
        )
    except services.CampaignError:
        return None  # not eligible: exactly what a real creator would be told


def _populate(campaign: Campaign, owner, creators: list[Creator], state: str) -> None:
    angles = [
        "a piece from a real day, not a studio, with the product where it is actually used.",
        "an honest first-week review: what I liked, what I would change.",
        "a how-to my audience can copy, with the product as one step of it.",
        "a myth-busting piece; my audience asks me about exactly this.",
    ]
    if state == "cancelled":
        services.campaign_cancel(campaign=campaign, actor=owner, note="Event postponed")
        return
    if state == "draft":
        return
    from .eligibility import eligibility

    fits = [c for c in creators if not eligibility(c, campaign)][:7]
    apps = [
        a
        for a in (
            _apply(campaign, c, _pitch(c, campaign, angles[i % len(angles)]), 150 + 25 * i) for i, c in enumerate(fits)
        )
        if a
    ]
    if state in ("open-busy", "open"):
        moves = (
            [A.ACCEPTED, A.SHORTLISTED, A.SHORTLISTED, A.DECLINED, A.WITHDRAWN]
            if state == "open-busy"
            else [A.SHORTLISTED, A.SUBMITTED, A.WITHDRAWN]
        )
        for app, to in zip(apps, moves, strict=False):
            _move(app, to, owner)
        accepted = Application.objects.filter(campaign=campaign, status=A.ACCEPTED).first()
        if state == "open-busy" and accepted:
            first = accepted.deliverables.first()
            services.deliverable_submit(
                deliverable=first,
                actor=accepted.creator.user,
                link="https://drive.example/trail-reel-v1",
                note="First cut, 28 s.",
            )
            services.message_post(
                application=accepted, actor=owner, body="Love the location! Can the bar be in the first 3 seconds?"
            )
            services.message_post(application=accepted, actor=accepted.creator.user, body="Yes, I'll recut it tonight.")
        spare = [c for c in creators if not Application.objects.filter(campaign=campaign, creator=c).exists()]
        if spare:
            services.application_invite(campaign=campaign, creator=spare[0], actor=owner)
    elif state == "closed":
        for app in apps[:2]:
            _move(app, A.SHORTLISTED, owner)
        campaign.refresh_from_db()
        if campaign.status == C.OPEN:
            services.campaign_close(campaign=campaign, actor=owner, note="Enough applicants")
    elif state == "completed":
        for app in apps[: campaign.slots]:
            app = services.application_accept(application=app, actor=owner)
            for d in app.deliverables.all():
                services.deliverable_submit(
                    deliverable=d, actor=app.creator.user, link="https://drive.example/clean-up"
                )
                services.deliverable_approve(deliverable=d, actor=owner, comment="Great energy.")
                services.deliverable_mark_live(deliverable=d, actor=app.creator.user, url=_live_url(d))
            services.application_complete(application=app, actor=owner)
        campaign.refresh_from_db()
        if campaign.status == C.OPEN:
            services.campaign_close(campaign=campaign, actor=owner)
        services.campaign_complete(campaign=campaign, actor=owner)
        # The live posts went up three weeks ago: their numbers since, along the demo provider's decay curve.
        from stats.api import backfill_demo_posts

        posts = Deliverable.objects.filter(application__campaign=campaign, post__isnull=False)
        backfill_demo_posts(post_ids=list(posts.values_list("post_id", flat=True)), days=21)
        # A completed campaign ran in the past: its deadlines are behind it (issue 14 point 10).
        today = timezone.localdate()
        Campaign.objects.filter(pk=campaign.pk).update(
            application_deadline=today - dt.timedelta(days=45), content_due_date=today - dt.timedelta(days=20)
        )


def _live_url(deliverable: Deliverable) -> str:
    """A post address of the hired creator's account on the deliverable's platform (linked here if missing)."""
    creator = deliverable.application.creator
    account = creator.accounts.filter(platform=deliverable.platform).first()
    if account is None:
        account = SocialAccount.objects.create(
            creator=creator, platform=deliverable.platform, handle=f"{creator.handle}.{deliverable.platform}"[:100]
        )
    code = f"{deliverable.pk:011d}".replace("0", "D")  # 11 characters, as YouTube ids and Instagram codes are
    if deliverable.platform == "tiktok":
        return f"https://www.tiktok.com/@{account.handle}/video/{7_300_000_000_000_000_000 + deliverable.pk}"
    if deliverable.platform == "youtube":
        return f"https://www.youtube.com/watch?v={code}"
    if deliverable.platform == "instagram":
        return f"https://www.instagram.com/reel/{code}/"
    return f"https://www.linkedin.com/feed/update/urn:li:activity:{7_000_000_000 + deliverable.pk}/"


def _pitch(creator: Creator, campaign: Campaign, angle: str) -> str:
    """A pitch that fits its creator: their niche and the platform they would post on for this brief."""
    from creators.models import Platform

    accounts = sorted(creator.accounts.all(), key=lambda a: -(a.followers or 0))
    on_brief = [a for a in accounts if a.platform in campaign.platforms] or accounts
    platform = Platform(on_brief[0].platform).label if on_brief else "my channels"
    niches = [n.name for n in creator.niches.all()][:2]
    topic = " and ".join(niches).lower() if niches else "everyday life"
    return f"I post about {topic} on {platform}. For this brief: {angle}"


def _move(app: Application, to: str, owner) -> None:
    if to == A.ACCEPTED:
        services.application_accept(application=app, actor=owner)
    elif to == A.SHORTLISTED:
        services.application_shortlist(application=app, actor=owner)
    elif to == A.DECLINED:
        services.application_decline(application=app, actor=owner, message="We went with creators closer to the race.")
    elif to == A.SUBMITTED:
        pass  # left for the brand to review
    elif to == A.WITHDRAWN:
        services.application_withdraw(application=app, actor=app.creator.user)
