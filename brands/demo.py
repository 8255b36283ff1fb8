"""Demo brands (the seed grows with the campaigns issue)."""

from __future__ import annotations

from collections.abc import Callable

from marketplace.vetting import VettingStatus

from .models import Brand, BrandMember, MemberRole


def seed(log: Callable[[str], None]) -> None:
    from marketplace.demo import DEMO_LOGINS, demo_user

    user = demo_user(DEMO_LOGINS["brand"], role="brand", full_name="Blake Brand")
    brand, created = Brand.objects.get_or_create(
        slug="trailmix-co",
        defaults={
            "name": "Trailmix Co.",
            "website": "https://trailmix.example",
            "industry": "Food & drink",
            "description": "Small-batch energy snacks for people who move.",
            "status": VettingStatus.APPROVED,
        },
    )
    BrandMember.objects.get_or_create(brand=brand, user=user, defaults={"role": MemberRole.OWNER})
    if created:
        log("Demo brand Trailmix Co. created.")
