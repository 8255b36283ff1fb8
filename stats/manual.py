"""Refreshes asked for by a person: the creator's "Refresh now" and the admin's action."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _, ngettext

from core.ratelimit import RateLimiter, redis_client
from creators.models import Creator, SocialAccount

from .config import REDIS_PREFIX
from .errors import StatsError
from .permissions import can_manage_stats, can_refresh_stats
from .queue import mark_queued

MANUAL_WINDOW_SECONDS = 24 * 3600


def manual_limiter(creator_id: int) -> RateLimiter:
    """STATS_MANUAL_REFRESHES_PER_DAY uses per creator in any 24 h (the product's one limiter)."""
    return RateLimiter(
        redis_client(),
        f"{REDIS_PREFIX}manual:{creator_id}",
        max(1, int(settings.STATS_MANUAL_REFRESHES_PER_DAY)),
        MANUAL_WINDOW_SECONDS,
    )


def manual_refreshes_left(*, creator: Creator) -> int:
    if settings.STATS_MANUAL_REFRESHES_PER_DAY < 1:
        return 0
    return manual_limiter(creator.id).remaining()


def stats_request_refresh(*, creator: Creator, actor: Any) -> int:
    """Queue a refresh of all of ``creator``'s accounts now; return how many were queued.

    Requires ``actor`` to be the creator's user or staff. At most
    STATS_MANUAL_REFRESHES_PER_DAY uses per creator in any 24 hours (a Redis
    sliding window, atomic across processes). Raises StatsError when not
    allowed or nothing to refresh.
    """
    from .tasks import refresh_accounts_task  # tasks wrap the services: imported when first used

    if not can_refresh_stats(actor, creator):
        raise StatsError(_("You can only refresh your own accounts."))
    ids = list(SocialAccount.objects.filter(creator=creator).order_by("id").values_list("id", flat=True))
    if not ids:
        raise StatsError(_("Link an account first: there is nothing to refresh yet."))
    limiter = manual_limiter(creator.id)
    if settings.STATS_MANUAL_REFRESHES_PER_DAY < 1 or not limiter.acquire(block=False):
        hours = max(1, round(limiter.wait_time() / 3600)) if settings.STATS_MANUAL_REFRESHES_PER_DAY >= 1 else 24
        raise StatsError(
            ngettext(
                "You have used today's %(n)d refreshes; try again in about %(hours)d hour. "
                "Your numbers also refresh by themselves every day.",
                "You have used today's %(n)d refreshes; try again in about %(hours)d hours. "
                "Your numbers also refresh by themselves every day.",
                hours,
            )
            % {"n": settings.STATS_MANUAL_REFRESHES_PER_DAY, "hours": hours}
        )
    queued = mark_queued(ids)
    if queued:
        refresh_accounts_task.delay(queued)
    return len(queued)


def refresh_now_for_admin(*, account_ids: Sequence[int], actor: Any) -> int:
    """The admin's "refresh now": queue the given accounts whatever their state (staff only)."""
    from .tasks import refresh_accounts_task

    if not can_manage_stats(actor):
        raise StatsError(_("Only staff can refresh any account."))
    ids = sorted(set(account_ids))
    size = max(1, settings.STATS_BATCH_SIZE)
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        mark_queued(batch)
        refresh_accounts_task.delay(batch)
    return len(ids)
