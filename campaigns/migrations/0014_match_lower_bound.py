"""Issue 13: what matching's lower bound of a score needs in the match-features row (the deliverables that may
fall due, whether an audience is known), filled for the existing creators; and the followers index."""

from django.db import migrations, models


def fill_missing(apps, schema_editor):
    from campaigns.match_features import migration_fill_missing

    migration_fill_missing(apps, schema_editor)

# The two new columns for the creators that have any (everyone else keeps the defaults, 0 and false), as
# campaigns.match_features computes them.
FILL = [
    """
    UPDATE campaigns_matchfeatures f SET pending = p.n
    FROM (
        SELECT a.creator_id, count(*) AS n
        FROM campaigns_deliverable d JOIN campaigns_application a ON a.id = d.application_id
        WHERE d.due_date IS NOT NULL AND NOT EXISTS (SELECT 1 FROM campaigns_submission s WHERE s.deliverable_id = d.id)
        GROUP BY a.creator_id
    ) p
    WHERE f.creator_id = p.creator_id
    """,
    """
    UPDATE campaigns_matchfeatures f SET audience_known = true
    FROM (
        SELECT DISTINCT a.creator_id
        FROM creators_socialaccount a JOIN creators_audiencedemographics d ON d.account_id = a.id
        WHERE a.followers > 0 AND d.countries <> '{}'::jsonb
    ) k
    WHERE f.creator_id = k.creator_id
    """,
]


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0013_match_filters_index'),
        ('creators', '0013_directory_tier_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='matchfeatures',
            name='audience_known',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='matchfeatures',
            name='pending',
            field=models.IntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name='matchfeatures',
            index=models.Index(condition=models.Q(('approved', True)), fields=['followers'], name='matchfeat_followers'),
        ),
        *(migrations.RunSQL(sql, migrations.RunSQL.noop) for sql in FILL),
        # A database whose 0010 skipped the fill (it was migrated from before 0010 with creators): every row now.
        migrations.RunPython(fill_missing, migrations.RunPython.noop),
    ]
