"""The read side of the statistics pipeline: what a creator sees about their refreshes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from creators.models import Creator, RefreshStatus, SocialAccount

from .manual import manual_refreshes_left
from .models import StatsSnapshot

_BADGE = {
    RefreshStatus.OK: "badge-ok",
    RefreshStatus.PENDING: "badge-info",
    RefreshStatus.FAILING: "badge-warn",
    RefreshStatus.ERROR: "badge-bad",
}


@dataclass(frozen=True)
class AccountRefresh:
    account: SocialAccount
    status_label: str
    badge_class: str
    show_error: bool


@dataclass(frozen=True)
class RefreshOverview:
    accounts: list[AccountRefresh]
    last_refreshed_at: datetime | None
    refreshes_left: int
    refreshes_per_day: int
    needs_relink: bool
    waiting: bool  # some account has never been refreshed: the fragment keeps polling until it is

    @property
    def can_refresh(self) -> bool:
        return bool(self.accounts) and self.refreshes_left > 0


def refresh_overview(*, creator: Creator) -> RefreshOverview:
    """The creator's accounts with their refresh outcome; one query plus one Redis read."""
    accounts = list(SocialAccount.objects.filter(creator=creator).order_by("platform", "handle"))
    rows = [
        AccountRefresh(
            account=a,
            status_label=RefreshStatus(a.refresh_status).label,
            badge_class=_BADGE[RefreshStatus(a.refresh_status)],
            show_error=a.refresh_status in (RefreshStatus.FAILING, RefreshStatus.ERROR) and bool(a.refresh_error),
        )
        for a in accounts
    ]
    times = [a.last_refreshed_at for a in accounts if a.last_refreshed_at]
    return RefreshOverview(
        accounts=rows,
        last_refreshed_at=max(times) if times else None,
        refreshes_left=manual_refreshes_left(creator=creator),
        refreshes_per_day=settings.STATS_MANUAL_REFRESHES_PER_DAY,
        needs_relink=any(a.refresh_status == RefreshStatus.ERROR for a in accounts),
        waiting=any(a.refresh_status == RefreshStatus.PENDING for a in accounts),
    )


def growth_snapshots(*, creator: Creator, days: int = 90) -> dict[int, list[tuple]]:
    """Follower history per account id over the last ``days`` days, oldest first, in one query."""
    from django.utils import timezone

    since = timezone.localdate() - timezone.timedelta(days=days)
    history: dict[int, list[tuple]] = {}
    rows = (
        StatsSnapshot.objects.filter(account__creator=creator, period__gte=since, followers__isnull=False)
        .order_by("account_id", "period")
        .values_list("account_id", "period", "followers")
    )
    for account_id, period, followers in rows:
        history.setdefault(account_id, []).append((period, followers))
    return history
