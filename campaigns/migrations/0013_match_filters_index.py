"""Issue 13: matching's country and niches in one partial GIN index (btree_gin for the country), replacing the niches-only GIN;
the platform mean's index gains ``side`` so its query is an index-only scan."""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0012_campaign_landing_url'),
    ]

    operations = [
        BtreeGinExtension(),
        migrations.RemoveIndex(
            model_name='matchfeatures',
            name='matchfeat_niches_gin',
        ),
        migrations.RemoveIndex(
            model_name='review',
            name='review_brand_shown_mean',
        ),
        migrations.AddIndex(
            model_name='matchfeatures',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('approved', True)), fields=['country', 'niche_ids'], name='matchfeat_filters_gin'),
        ),
        migrations.AddIndex(
            model_name='review',
            index=models.Index(condition=models.Q(('hidden_at__isnull', True), ('side', 'brand')), fields=['side', 'overall'], include=('published_at', 'window_closes_at'), name='review_brand_mean'),
        ),
    ]
