"""Copy BrandVettingDecision rows into the one audit log (audit.AuditEntry: who, when, from, to, the reason as the
note); the next migration drops the table. Reversible: the way back copies the brands' vetting entries into
the old table and removes them from the log."""

from django.db import migrations

BATCH = 2000


def forward(apps, schema_editor):
    BrandVettingDecision = apps.get_model("brands", "BrandVettingDecision")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not BrandVettingDecision.objects.exists():
        return
    ct = ContentType.objects.get_or_create(app_label="brands", model="brand")[0]
    batch = []
    for row in BrandVettingDecision.objects.order_by("at", "id").iterator(chunk_size=BATCH):
        batch.append(AuditEntry(target_type=ct, target_id=row.brand_id, actor_id=row.actor_id, at=row.at,
                                action="vetted", from_state=row.from_status, to_state=row.to_status, note=row.reason,
                                data={"migrated_from": "brandvettingdecision", "id": row.pk}))
        if len(batch) >= BATCH:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


def backward(apps, schema_editor):
    BrandVettingDecision = apps.get_model("brands", "BrandVettingDecision")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.filter(app_label="brands", model="brand").first()
    if ct is None:
        return
    entries = AuditEntry.objects.filter(target_type=ct, action="vetted")
    field = BrandVettingDecision._meta.get_field("at")
    field.auto_now_add = False  # keep each entry's time (this historical class is throwaway)
    BrandVettingDecision.objects.bulk_create(
        (BrandVettingDecision(brand_id=e.target_id, actor_id=e.actor_id, from_status=e.from_state, to_status=e.to_state,
                              reason=e.note, at=e.at) for e in entries.order_by("at", "id").iterator(chunk_size=BATCH)),
        batch_size=BATCH)
    field.auto_now_add = True
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("brands", "0002_team_logo_vetting"),
        ("audit", "0001_audit_log"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
