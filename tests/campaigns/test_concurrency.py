"""Real parallel transactions on PostgreSQL: each thread has its own connection (PRODUCT §5)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from campaigns import services
from campaigns.models import Application, ApplicationStatus as A, CampaignStatus as C
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def race(calls):
    """Run the callables at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 — collected and asserted on
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_six_team_members_accepting_at_once_fill_exactly_three_slots():
    owner = BrandMemberFactory()
    team = [owner] + [BrandMemberFactory(brand=owner.brand, role="member") for _ in range(5)]
    campaign = make_open_campaign(owner, slots=3)
    apps = []
    for _ in range(6):
        creator = make_creator()
        apps.append(services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Me"))

    results = race(
        [
            (lambda app=app, m=m: services.application_accept(application=app, actor=m.user))
            for app, m in zip(apps, team, strict=True)
        ]
    )

    accepted = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(accepted) == 3
    assert len(refused) == 3 and all(isinstance(r, services.SlotsFull) for r in refused), refused
    assert Application.objects.filter(campaign=campaign, status=A.ACCEPTED).count() == 3
    campaign.refresh_from_db()
    assert campaign.status == C.CLOSED
    assert campaign.audit_entries.filter(to_state=C.CLOSED).count() == 1


def test_the_same_creator_applying_twice_at_once_makes_one_application():
    owner = BrandMemberFactory()
    campaign = make_open_campaign(owner)
    creator = make_creator()

    results = race(
        [
            (lambda: services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="One")),
            (lambda: services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Two")),
        ]
    )

    assert Application.objects.filter(campaign=campaign, creator=creator).count() == 1
    assert sum(isinstance(r, Application) for r in results) == 1
    assert sum(isinstance(r, services.AlreadyApplied) for r in results) == 1, results


def test_the_database_itself_refuses_a_second_application():
    from django.db import IntegrityError, transaction

    owner = BrandMemberFactory()
    campaign = make_open_campaign(owner)
    creator = make_creator()
    services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="One")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(campaign=campaign, creator=creator, status=A.SUBMITTED)
