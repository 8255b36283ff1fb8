from django.db import migrations

# The curated niche taxonomy (PRODUCT §2). Later changes add or rename through new migrations.
NICHES = [
    ("lifestyle", "Lifestyle"), ("fitness", "Fitness"), ("gaming", "Gaming"), ("beauty", "Beauty"),
    ("parenting", "Parenting"), ("finance", "Finance"), ("food", "Food & drink"), ("travel", "Travel"),
    ("tech", "Tech"), ("fashion", "Fashion"), ("education", "Education"), ("b2b", "B2B"),
    ("health", "Health & wellness"), ("home", "Home & interiors"), ("pets", "Pets"), ("outdoors", "Outdoors"),
    ("music", "Music"), ("art", "Art & design"), ("sports", "Sports"), ("sustainability", "Sustainability"),
    ("comedy", "Comedy"), ("books", "Books"), ("automotive", "Automotive"), ("photography", "Photography"),
]


def seed(apps, schema_editor):
    Niche = apps.get_model("creators", "Niche")
    for slug, name in NICHES:
        Niche.objects.update_or_create(slug=slug, defaults={"name": name})


def unseed(apps, schema_editor):
    apps.get_model("creators", "Niche").objects.filter(slug__in=[s for s, _ in NICHES]).delete()


class Migration(migrations.Migration):
    dependencies = [("creators", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
