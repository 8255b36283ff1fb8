"""The write side of brands."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from marketplace.models import User

from .models import Brand, BrandMember, MemberRole


class BrandError(Exception):
    """A brand write refused for a reason the user can act on."""


@transaction.atomic
def brand_create(*, user: User, name: str, website: str = "", industry: str = "", description: str = "") -> Brand:
    """Create a brand (pending vetting) with ``user`` as its owner. Raises BrandError."""
    if not user.is_brand:
        raise BrandError("Only brand accounts can create a brand.")
    if BrandMember.objects.filter(user=user).exists():
        raise BrandError("You are already a member of a brand.")
    base = slugify(name)[:50] or "brand"
    slug, n = base, 1
    while Brand.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    brand = Brand.objects.create(name=name, slug=slug, website=website, industry=industry, description=description)
    BrandMember.objects.create(brand=brand, user=user, role=MemberRole.OWNER)
    return brand
