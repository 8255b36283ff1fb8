"""The write side of creators: one service per write (STYLE.md)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from marketplace.models import User

from .models import Creator
from .tiers import thresholds


class CreatorError(Exception):
    """A creator write refused for a reason the user can act on."""


@transaction.atomic
def creator_create(*, user: User, display_name: str, handle: str, country: str = "", bio: str = "") -> Creator:
    """Start the creator profile of ``user`` (a creator-side user without one). Raises CreatorError."""
    if not user.is_creator:
        raise CreatorError("Only creator accounts can have a creator profile.")
    if Creator.objects.filter(user=user).exists():
        raise CreatorError("You already have a creator profile.")
    if Creator.objects.filter(handle__iexact=handle).exists():
        raise CreatorError("That handle is taken.")
    return Creator.objects.create(user=user, display_name=display_name, handle=handle.lower(), country=country, bio=bio)


def creator_recompute_audience(*, creator_ids: Iterable[int]) -> None:
    """Set each creator's followers, engagement rate and tier from their largest linked account.

    One set-based statement for any number of creators, so a refresh batch of
    thousands costs one round trip. The tier CASE is built from
    CREATOR_TIER_THRESHOLDS so it can never disagree with tiers.tier_for().
    """
    ids = list(creator_ids)
    if not ids:
        return
    cases = " ".join(f"WHEN top.followers >= {int(bound)} THEN '{tier.value}'" for bound, tier in thresholds())
    sql = f"""
        UPDATE creators_creator AS c
        SET followers = COALESCE(top.followers, 0),
            engagement_rate = top.engagement_rate,
            tier = CASE {cases} ELSE NULL END
        FROM unnest(%s::bigint[]) AS ids(id)
        LEFT JOIN LATERAL (
            SELECT a.followers, a.engagement_rate
            FROM creators_socialaccount a
            WHERE a.creator_id = ids.id AND a.followers IS NOT NULL
            ORDER BY a.followers DESC
            LIMIT 1
        ) AS top ON TRUE
        WHERE c.id = ids.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids])
