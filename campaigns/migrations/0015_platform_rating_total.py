"""Issue 13: the published, shown brand-side ratings summed and counted in one row, kept by a trigger on the
reviews table, so matching's platform mean reads one row and the few unpublished ratings whose window has closed
instead of aggregating every rating; and the index for those."""

from django.conf import settings
from django.db import migrations, models

# A row's part of the total: a brand-side rating, shown, published. On every insert, update and delete the old
# row's part is taken out and the new row's put in (an upsert: the row exists even after a flush).
TRIGGER = """
CREATE FUNCTION campaigns_rating_total() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d_total bigint := 0;
    d_ratings bigint := 0;
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.side = 'brand' AND OLD.hidden_at IS NULL AND OLD.published_at IS NOT NULL THEN
        d_total := d_total - OLD.overall;
        d_ratings := d_ratings - 1;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.side = 'brand' AND NEW.hidden_at IS NULL AND NEW.published_at IS NOT NULL THEN
        d_total := d_total + NEW.overall;
        d_ratings := d_ratings + 1;
    END IF;
    IF d_total <> 0 OR d_ratings <> 0 THEN
        INSERT INTO campaigns_ratingtotal (id, total, ratings) VALUES (1, d_total, d_ratings)
        ON CONFLICT (id) DO UPDATE
        SET total = campaigns_ratingtotal.total + EXCLUDED.total,
            ratings = campaigns_ratingtotal.ratings + EXCLUDED.ratings;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER campaigns_rating_total AFTER INSERT OR UPDATE OR DELETE ON campaigns_review
FOR EACH ROW EXECUTE FUNCTION campaigns_rating_total();
"""
UNTRIGGER = """
DROP TRIGGER campaigns_rating_total ON campaigns_review;
DROP FUNCTION campaigns_rating_total();
"""
FILL = """
INSERT INTO campaigns_ratingtotal (id, total, ratings)
SELECT 1, COALESCE(SUM(overall), 0), COUNT(*) FROM campaigns_review
WHERE side = 'brand' AND hidden_at IS NULL AND published_at IS NOT NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0014_match_lower_bound'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RatingTotal',
            fields=[
                ('id', models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ('total', models.BigIntegerField()),
                ('ratings', models.BigIntegerField()),
            ],
        ),
        migrations.RunSQL(TRIGGER, UNTRIGGER),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='review',
            index=models.Index(condition=models.Q(('hidden_at__isnull', True), ('published_at__isnull', True), ('side', 'brand')), fields=['window_closes_at'], include=('overall',), name='review_brand_unpublished'),
        ),
    ]
