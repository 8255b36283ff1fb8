"""Moving StatsSnapshot and AuthenticityFlag from creators to stats keeps every row (state-only migrations)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("creators", "0004_merge_0003_profiles_media_kit_0003_stats_pipeline"), ("stats", None)]
AFTER = [("creators", "0005_move_stats_models_to_stats_app"), ("stats", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_after_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[:1]).apps
    user = old.get_model("marketplace", "User").objects.create(email="mig@example.com", role="creator")
    creator = old.get_model("creators", "Creator").objects.create(user=user, display_name="Mig", handle="mig")
    account = old.get_model("creators", "SocialAccount").objects.create(
        creator=creator, platform="instagram", handle="mig_ig"
    )
    old.get_model("creators", "StatsSnapshot").objects.create(
        account=account, period=date(2026, 5, 1), taken_at=datetime(2026, 5, 1, 6, tzinfo=UTC), followers=12_345
    )
    old.get_model("creators", "AuthenticityFlag").objects.create(
        account=account,
        code="follower_spike",
        message="jump",
        numbers={"growth_percent": 31.0},
        raised_at=datetime(2026, 5, 1, 6, tzinfo=UTC),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest state for the other tests

    from stats.models import AuthenticityFlag, StatsSnapshot

    snapshot = StatsSnapshot.objects.get(account__handle="mig_ig")
    assert (snapshot.period, snapshot.followers) == (date(2026, 5, 1), 12_345)
    flag = AuthenticityFlag.objects.get(account__handle="mig_ig")
    assert (flag.code, flag.numbers) == ("follower_spike", {"growth_percent": 31.0})
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_label FROM django_content_type WHERE model = 'statssnapshot'")
        assert [row[0] for row in cursor.fetchall()] == ["stats"]
