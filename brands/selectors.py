"""The read side of brands."""

from __future__ import annotations

from core.models import User

from .models import Brand


def brand_for_user(*, user: User) -> Brand | None:
    """The brand ``user`` belongs to (one brand per user for now)."""
    if not user.is_authenticated:
        return None
    return Brand.objects.filter(members__user=user).first()
