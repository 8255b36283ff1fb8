"""One predicate per capability (STYLE.md). Views, the API and services call these."""

from __future__ import annotations

from core.vetting import VettingStatus

from .models import Creator


def can_browse_directory(user) -> bool:
    """The directory of approved creators is public (issue 14): anyone may browse it, signed in or not.
    What it lists is public data only (listed_creators, the media kit's fields); contacting and inviting
    need an account."""
    return True


def can_list_creators_api(user) -> bool:
    """The directory through the API (integrators: brands' tools, staff); creators' tokens do not list."""
    return bool(user.is_authenticated and (user.is_staff or user.is_brand))


def can_view_creator(user, creator: Creator) -> bool:
    """Approved creators' media kits are public; others only to themselves and staff."""
    if creator.status == VettingStatus.APPROVED:
        return True
    return bool(user.is_authenticated and (user.is_staff or creator.user_id == user.pk))


def can_edit_creator(user, creator: Creator) -> bool:
    return bool(user.is_authenticated and creator.user_id == user.pk)


def can_vet_creators(user) -> bool:
    return bool(user.is_authenticated and user.is_staff)
