"""The faster refresh for creators with live campaign work, against the real campaigns models."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Application, ApplicationStatus, CampaignStatus
from creators.models import RefreshStatus
from stats.schedule import due_account_ids
from tests.factories import CreatorFactory, SocialAccountFactory
from tests.factories.campaigns import CampaignFactory

pytestmark = pytest.mark.django_db


def _hire(creator, campaign_status, application_status):
    campaign = CampaignFactory(status=campaign_status)
    return Application.objects.create(campaign=campaign, creator=creator, status=application_status)


def _account(creator, hours_ago, now):
    return SocialAccountFactory(
        creator=creator, last_refreshed_at=now - timedelta(hours=hours_ago), refresh_status=RefreshStatus.OK
    )


def test_creator_hired_on_an_open_or_closed_campaign_refreshes_every_6_hours(settings):
    settings.STATS_REFRESH_INTERVAL_HOURS = 24
    settings.STATS_LIVE_REFRESH_INTERVAL_HOURS = 6
    now = timezone.now()
    hired_open, hired_closed = CreatorFactory(), CreatorFactory()
    _hire(hired_open, CampaignStatus.OPEN, ApplicationStatus.ACCEPTED)
    _hire(hired_closed, CampaignStatus.CLOSED, ApplicationStatus.ACCEPTED)
    # Not live work: only applied, shortlisted, declined, finished, or a campaign that is over or not started.
    applied, shortlisted, finished, completed_campaign, cancelled, draft, idle = (CreatorFactory() for _ in range(7))
    _hire(applied, CampaignStatus.OPEN, ApplicationStatus.SUBMITTED)
    _hire(shortlisted, CampaignStatus.OPEN, ApplicationStatus.SHORTLISTED)
    _hire(finished, CampaignStatus.OPEN, ApplicationStatus.COMPLETED)
    _hire(completed_campaign, CampaignStatus.COMPLETED, ApplicationStatus.ACCEPTED)
    _hire(cancelled, CampaignStatus.CANCELLED, ApplicationStatus.ACCEPTED)
    _hire(draft, CampaignStatus.DRAFT, ApplicationStatus.INVITED)

    live_8h = [_account(c, 8, now) for c in (hired_open, hired_closed)]
    live_5h = _account(hired_open, 5, now)
    idle_8h = [
        _account(c, 8, now) for c in (applied, shortlisted, finished, completed_campaign, cancelled, draft, idle)
    ]
    idle_25h = _account(idle, 25, now)

    due = {account_id for account_id, _ in due_account_ids(now=now)}

    assert due == {live_8h[0].id, live_8h[1].id, idle_25h.id}
    assert live_5h.id not in due and not due & {a.id for a in idle_8h}
