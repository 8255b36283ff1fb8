"""Creators with live campaign work, for the statistics pipeline's faster refresh (stats/live_work.py).

"Live work" means hired and not finished: an application in ``accepted``
(PRODUCT §5: the brand hired the creator; ``completed`` means the work is
done) on a campaign that is ``open`` (still taking applications) or
``closed`` (applications closed, the hired creators are delivering). A
``completed`` or ``cancelled`` campaign is over and a ``draft`` has hired
nobody. During live work a brand watches the creator's numbers, so they are
refreshed every STATS_LIVE_REFRESH_INTERVAL_HOURS instead of daily.

Registered from CampaignsConfig.ready(), the way past collaborations are.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Application, ApplicationStatus, CampaignStatus

LIVE_CAMPAIGN_STATUSES = (CampaignStatus.OPEN, CampaignStatus.CLOSED)


def creators_with_live_work() -> QuerySet:
    """A subquery of creator ids (``creator_id``), evaluated inside the scheduler's one statement."""
    return Application.objects.filter(
        status=ApplicationStatus.ACCEPTED, campaign__status__in=LIVE_CAMPAIGN_STATUSES
    ).values("creator_id")
