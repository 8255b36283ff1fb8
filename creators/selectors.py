"""The read side of creators."""

from __future__ import annotations

from marketplace.models import User

from .models import Creator


def creator_for_user(*, user: User) -> Creator | None:
    if not user.is_authenticated:
        return None
    return Creator.objects.filter(user=user).first()
