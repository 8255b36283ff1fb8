"""Capabilities of the statistics pipeline, one predicate each (STYLE.md).

The profiles' own predicates stay in creators/permissions.py.
"""

from __future__ import annotations

from creators.models import Creator


def can_refresh_stats(user, creator: Creator) -> bool:
    """The creator themself (limited per day by the service) or staff may ask for fresh numbers."""
    return bool(user.is_authenticated and (user.is_staff or creator.user_id == user.pk))


def can_manage_stats(user) -> bool:
    """Staff refresh any account at any time and resolve authenticity flags."""
    return bool(user.is_authenticated and user.is_staff)
