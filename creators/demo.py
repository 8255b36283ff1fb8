"""Demo creators (the seed grows with the creators issue)."""

from __future__ import annotations

from collections.abc import Callable

from marketplace.vetting import VettingStatus

from .models import Creator, Niche


def seed(log: Callable[[str], None]) -> None:
    from marketplace.demo import DEMO_LOGINS, demo_user

    user = demo_user(DEMO_LOGINS["creator"], role="creator", full_name="Casey Creator")
    creator, created = Creator.objects.get_or_create(
        user=user,
        defaults={
            "display_name": "Casey Creator",
            "handle": "casey",
            "bio": "Trail runner and home cook sharing honest gear reviews and 20-minute recipes.",
            "country": "GB",
            "languages": ["en"],
            "status": VettingStatus.APPROVED,
        },
    )
    if created:
        creator.niches.set(Niche.objects.filter(slug__in=["fitness", "food", "outdoors"]))
        log("Demo creator @casey created.")
    _seed_accounts(creator, log)


def _seed_accounts(creator: Creator, log: Callable[[str], None]) -> None:
    """Casey's linked accounts with 30 days of history from the demo provider; beat adds today's."""
    from .models import SocialAccount
    from .stats import demo_backfill_history

    if creator.accounts.exists():
        return
    accounts = [
        SocialAccount.objects.create(creator=creator, platform=platform, handle=handle)
        for platform, handle in (("instagram", "casey.cooks"), ("tiktok", "caseyruns"), ("youtube", "caseycooks"))
    ]
    demo_backfill_history(account_ids=[a.id for a in accounts])
    log("Demo accounts for @casey linked, with 30 days of history.")
