"""Shared fixtures for the campaign, brand and permission tests (imported by their conftest.py files)."""

from __future__ import annotations

import pytest

from campaigns import services
from creators.services import creator_recompute_audience
from tests.factories import (
    BrandMemberFactory,
    CampaignFactory,
    CreatorFactory,
    DeliverableSpecFactory,
    SocialAccountFactory,
)


def make_creator(followers: int = 12_000, platform: str = "instagram", **kwargs):
    creator = CreatorFactory(**kwargs)
    SocialAccountFactory(creator=creator, platform=platform, followers=followers)
    creator_recompute_audience(creator_ids=[creator.pk])
    creator.refresh_from_db()
    return creator


def make_open_campaign(member, *, specs: int = 1, **kwargs):
    campaign = CampaignFactory(brand=member.brand, **kwargs)
    for _ in range(specs):
        DeliverableSpecFactory(campaign=campaign)
    return services.campaign_publish(campaign=campaign, actor=member.user)


@pytest.fixture(autouse=True)
def celery_runs_tasks_in_process():
    """Notification emails are Celery tasks; these tests run them in-process so mail.outbox sees them."""
    from marketplace.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def member(db):
    """The owner of an approved brand."""
    return BrandMemberFactory()


@pytest.fixture
def other_member(db):
    return BrandMemberFactory()


@pytest.fixture
def campaign(member):
    return make_open_campaign(member)


@pytest.fixture
def creator(db):
    return make_creator()


@pytest.fixture
def other_creator(db):
    return make_creator()


@pytest.fixture
def application(campaign, creator):
    return services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="I love oats.", proposed_rate=150
    )
