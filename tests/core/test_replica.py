"""A read replica for the heavy reads (issue 13): only reads inside core.db.heavy_reads() go to it."""

from __future__ import annotations

import pytest
from django.db import router

from core.db import ReplicaRouter, heavy_reads
from creators.models import Creator
from tests.factories import CreatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_replica(monkeypatch):
    """A configured replica (as DATABASE_REPLICA_URL gives), and a spy on the router's decisions."""
    monkeypatch.setattr("core.db.replica_alias", lambda: "replica")
    routed: list[str] = []
    real = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = real(self, model, **hints)
        if alias:
            routed.append(model._meta.label)
        return None  # the test database answers; what counts is the router's decision

    ReplicaRouter.db_for_read = spy
    yield routed
    ReplicaRouter.db_for_read = real


def test_router_sends_only_heavy_reads_to_the_replica(monkeypatch):
    monkeypatch.setattr("core.db.replica_alias", lambda: "replica")
    r = ReplicaRouter()
    assert r.db_for_read(Creator) is None
    with heavy_reads():
        assert r.db_for_read(Creator) == "replica"
        assert r.db_for_write(Creator) is None
    assert r.db_for_read(Creator) is None
    assert r.allow_migrate("replica", "creators") is False and r.allow_migrate("default", "creators") is True


def test_without_a_replica_heavy_reads_stay_on_default():
    with heavy_reads():
        assert ReplicaRouter().db_for_read(Creator) is None
        assert router.db_for_read(Creator) == "default"


def test_directory_and_recommendations_read_from_the_replica_other_pages_do_not(client, with_replica):
    from django.urls import reverse

    from tests.factories import BrandMemberFactory, CampaignFactory

    CreatorFactory()
    member = BrandMemberFactory()
    campaign = CampaignFactory(brand=member.brand)
    client.force_login(member.user)
    assert client.get("/creators/").status_code == 200
    assert "creators.Creator" in with_replica
    with_replica.clear()
    assert client.get(reverse("campaigns:recommended", args=[campaign.pk])).status_code == 200
    assert {"campaigns.Campaign", "creators.Creator"} <= set(with_replica)
    with_replica.clear()
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 200
    assert with_replica == []  # a page that may show the user's own write reads the primary


def test_settings_add_the_replica_from_its_url(monkeypatch):
    from marketplace.settings import base

    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader@replica.example:5432/marketplace")
    monkeypatch.setenv("DATABASE_POOLER", "pgbouncer")
    databases = base.with_replica({"default": base.database("postgres://app@primary.example:6432/marketplace")})
    assert databases["replica"]["HOST"] == "replica.example" and databases["replica"]["TEST"] == {"MIRROR": "default"}
    assert databases["default"]["CONN_MAX_AGE"] == 60 and databases["default"]["CONN_HEALTH_CHECKS"] is True
    assert databases["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
