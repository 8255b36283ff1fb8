"""Auto-approval by the beat (campaigns/services/auto_approval.py) releases the held money like a brand's approval,
with the offline provider, and check_ledger stays clean; a cancelled campaign's draft is refunded, not released."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns import services as campaign_services, tasks as campaign_tasks
from campaigns.models import DeliverableStatus
from payments import ledger, services
from payments.models import Funding, FundingStatus

pytestmark = pytest.mark.django_db

FRIDAY = dt.datetime(2031, 3, 7, 10, 0, tzinfo=dt.UTC)
WEDNESDAY = dt.datetime(2031, 3, 12, 10, 0, tzinfo=dt.UTC)


def _funded_draft(hire, creator):
    funding = Funding.objects.get(application=hire)
    assert services.funding_mark_held(funding=funding, amount=16500, currency="USD", reference="offline test")
    d = hire.deliverables.get()
    campaign_services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/draft")
    d.submissions.update(created_at=FRIDAY)
    return funding, d


def test_auto_approval_releases_the_held_money(offline, hire, creator, django_capture_on_commit_callbacks, capsys):
    funding, d = _funded_draft(hire, creator)

    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_services.deliverables_auto_approve(now=WEDNESDAY - dt.timedelta(minutes=1)) == 0
    funding.refresh_from_db()
    assert funding.status == FundingStatus.HELD

    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_services.deliverables_auto_approve(now=WEDNESDAY) == 1
    d.refresh_from_db()
    funding.refresh_from_db()
    assert d.status == DeliverableStatus.APPROVED
    assert funding.status == FundingStatus.RELEASED
    assert ledger.balances(application=hire) == {
        "brand_funding": {"USD": -16500},
        "held": {"USD": 0},
        "creator_owed": {"USD": 15000},
        "platform_fee": {"USD": 1500},
    }

    # A duplicated tick moves no money.
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_services.deliverables_auto_approve(now=WEDNESDAY + dt.timedelta(hours=1)) == 0
    assert ledger.balances(application=hire)["creator_owed"] == {"USD": 15000}
    capsys.readouterr()
    call_command("check_ledger")
    assert capsys.readouterr().out == "ledger OK: 2 transactions checked\n"  # the hold and the release


def test_the_beat_task_runs_the_auto_approval(offline, hire, creator, django_capture_on_commit_callbacks):
    funding, d = _funded_draft(hire, creator)
    d.submissions.update(created_at=timezone.now() - dt.timedelta(days=10))  # 10 days hold at least 3 business days
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_tasks.auto_approve_drafts() == 1
    funding.refresh_from_db()
    assert funding.status == FundingStatus.RELEASED
    call_command("check_ledger")
