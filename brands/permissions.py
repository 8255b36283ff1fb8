"""One predicate per capability on a brand."""

from __future__ import annotations

from .models import Brand, BrandMember, MemberRole


def is_member(user, brand: Brand) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False)) and BrandMember.objects.filter(brand=brand, user=user).exists()
    )


def can_edit_brand(user, brand: Brand) -> bool:
    """Any team member may keep the company profile up to date."""
    return is_member(user, brand)


def can_manage_team(user, brand: Brand) -> bool:
    """Only the owner invites and removes team members."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and BrandMember.objects.filter(brand=brand, user=user, role=MemberRole.OWNER).exists()
    )


def can_vet_brands(user) -> bool:
    return bool(getattr(user, "is_staff", False))
