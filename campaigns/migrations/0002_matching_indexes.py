"""Indexes for campaigns/matching.py (PRODUCT §6, §10: recommendations under 100 ms at p95).

They live on the creators' tables but serve only matching, so they are created here with plain SQL
(the creators app's model state is left alone; campaigns may depend on creators, never the reverse).

* ``match_creator_tier_followers``: approved creators by (tier, followers, engagement rate): the hard
  requirements "target tiers" + "minimum followers" (+ "minimum engagement rate", checked in the index)
  become one index range instead of a scan of every creator.
* ``match_account_largest``: a creator's accounts largest first, carrying what the engagement signal reads
  (platform, tier, engagement rate), so "the largest account" is one index-only probe per creator.

Built CONCURRENTLY (outside a transaction) so a large production table keeps taking writes meanwhile.
"""

from django.db import migrations

FORWARD = [
    """CREATE INDEX CONCURRENTLY IF NOT EXISTS match_creator_tier_followers ON creators_creator (tier, followers, engagement_rate)
       WHERE status = 'approved'""",
    """CREATE INDEX CONCURRENTLY IF NOT EXISTS match_account_largest ON creators_socialaccount (creator_id, followers DESC, id)
       INCLUDE (platform, tier, engagement_rate) WHERE followers IS NOT NULL""",
]
BACKWARD = [
    "DROP INDEX CONCURRENTLY IF EXISTS match_creator_tier_followers",
    "DROP INDEX CONCURRENTLY IF EXISTS match_account_largest",
]


class Migration(migrations.Migration):
    atomic = False  # CONCURRENTLY: building them does not block writes to the creators' tables
    dependencies = [
        ("campaigns", "0001_campaigns_applications"),
        ("creators", "0004_merge_0003_profiles_media_kit_0003_stats_pipeline"),
    ]

    operations = [migrations.RunSQL(sql, reverse_sql=back) for sql, back in zip(FORWARD, BACKWARD, strict=True)]
