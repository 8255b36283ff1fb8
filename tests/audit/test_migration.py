"""The four old audit tables (CampaignEvent, ApplicationEvent, VettingDecision, BrandVettingDecision) arrive in the
one audit log with who, when, from, to and note, and go back when the migrations are reversed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("campaigns", "0002_matching_indexes"),
    ("creators", "0006_encrypt_access_tokens"),
    ("brands", "0002_team_logo_vetting"),
    ("marketplace", "0001_initial"),
    ("audit", None),
]

T1, T2, T3, T4, T5 = (datetime(2026, 3, d, 9, 30, tzinfo=UTC) for d in (1, 2, 3, 4, 5))


def _latest(executor):
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_rows(apps):
    """One row of each old table, each at a known time, written through the historical models."""
    User = apps.get_model("marketplace", "User")
    admin = User.objects.create(email="admin@example.com", is_staff=True)
    owner = User.objects.create(email="owner@example.com", role="brand")
    person = User.objects.create(email="rae@example.com", role="creator")
    brand = apps.get_model("brands", "Brand").objects.create(name="Acme", slug="acme", status="approved")
    creator = apps.get_model("creators", "Creator").objects.create(
        user=person, display_name="Rae", handle="rae", status="approved"
    )
    campaign = apps.get_model("campaigns", "Campaign").objects.create(
        brand=brand,
        title="Trail bars",
        product_description="Oat bars",
        application_deadline=date(2026, 4, 1),
        content_due_date=date(2026, 5, 1),
        status="open",
    )
    application = apps.get_model("campaigns", "Application").objects.create(
        campaign=campaign, creator=creator, status="accepted"
    )
    deliverable = apps.get_model("campaigns", "Deliverable").objects.create(
        application=application, platform="instagram", format="reel"
    )
    rows = [
        (
            apps.get_model("campaigns", "CampaignEvent"),
            {"campaign": campaign, "actor": owner, "from_status": "draft", "to_status": "open", "note": "Published"},
            "at",
            T1,
        ),
        (
            apps.get_model("campaigns", "ApplicationEvent"),
            {
                "application": application,
                "actor": owner,
                "from_status": "submitted",
                "to_status": "accepted",
                "note": "Welcome",
            },
            "at",
            T2,
        ),
        (
            apps.get_model("campaigns", "ApplicationEvent"),
            {
                "application": application,
                "deliverable": deliverable,
                "actor": person,
                "from_status": "pending",
                "to_status": "submitted",
                "note": "",
            },
            "at",
            T3,
        ),
        (
            apps.get_model("creators", "VettingDecision"),
            {"creator": creator, "actor": admin, "from_status": "pending", "to_status": "approved", "reason": ""},
            "created_at",
            T4,
        ),
        (
            apps.get_model("brands", "BrandVettingDecision"),
            {
                "brand": brand,
                "actor": None,
                "from_status": "approved",
                "to_status": "suspended",
                "reason": "Chargebacks",
            },
            "at",
            T5,
        ),
    ]
    for model, values, time_field, when in rows:
        row = model.objects.create(**values)
        model.objects.filter(pk=row.pk).update(**{time_field: when})  # auto_now_add: set the time afterwards
    return {
        "campaign": campaign.pk,
        "application": application.pk,
        "deliverable": deliverable.pk,
        "creator": creator.pk,
        "brand": brand.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_old_audit_rows_arrive_in_the_one_log_and_go_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    ids = _old_rows(executor.loader.project_state(BEFORE[:4]).apps)

    _latest(MigrationExecutor(connection))
    from audit.models import AuditEntry

    got = [
        (
            e.target_type.app_label,
            e.target_type.model,
            e.target_id,
            e.actor.email if e.actor else None,
            e.at,
            e.action,
            e.from_state,
            e.to_state,
            e.note,
        )
        for e in AuditEntry.objects.select_related("actor", "target_type")
    ]
    assert got == [
        ("campaigns", "campaign", ids["campaign"], "owner@example.com", T1, "moved", "draft", "open", "Published"),
        (
            "campaigns",
            "application",
            ids["application"],
            "owner@example.com",
            T2,
            "moved",
            "submitted",
            "accepted",
            "Welcome",
        ),
        ("campaigns", "deliverable", ids["deliverable"], "rae@example.com", T3, "moved", "pending", "submitted", ""),
        ("creators", "creator", ids["creator"], "admin@example.com", T4, "vetted", "pending", "approved", ""),
        ("brands", "brand", ids["brand"], None, T5, "vetted", "approved", "suspended", "Chargebacks"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('campaigns_campaignevent'), to_regclass('creators_vettingdecision')")
        assert cursor.fetchone() == (None, None)  # the old tables are gone

    # Reversed, the rows are back in the old tables with the same who, when, from, to and note.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[:4]).apps
    assert list(
        old.get_model("campaigns", "CampaignEvent").objects.values_list(
            "campaign_id", "actor__email", "at", "from_status", "to_status", "note"
        )
    ) == [(ids["campaign"], "owner@example.com", T1, "draft", "open", "Published")]
    assert list(
        old.get_model("campaigns", "ApplicationEvent")
        .objects.order_by("at")
        .values_list("application_id", "deliverable_id", "actor__email", "at", "to_status")
    ) == [
        (ids["application"], None, "owner@example.com", T2, "accepted"),
        (ids["application"], ids["deliverable"], "rae@example.com", T3, "submitted"),
    ]
    assert list(
        old.get_model("creators", "VettingDecision").objects.values_list(
            "creator_id", "actor__email", "created_at", "from_status", "to_status"
        )
    ) == [(ids["creator"], "admin@example.com", T4, "pending", "approved")]
    assert list(
        old.get_model("brands", "BrandVettingDecision").objects.values_list(
            "brand_id", "actor", "at", "to_status", "reason"
        )
    ) == [(ids["brand"], None, T5, "suspended", "Chargebacks")]

    _latest(MigrationExecutor(connection))  # back to the latest state for the other tests
