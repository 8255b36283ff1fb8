"""Copy VettingDecision rows into the one audit log (audit.AuditEntry: who, when, from, to, the reason as the
note); the next migration drops the table. Reversible: the way back copies the creators' vetting entries into
the old table and removes them from the log."""

from django.db import migrations

BATCH = 2000


def forward(apps, schema_editor):
    VettingDecision = apps.get_model("creators", "VettingDecision")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not VettingDecision.objects.exists():
        return
    ct = ContentType.objects.get_or_create(app_label="creators", model="creator")[0]
    batch = []
    for row in VettingDecision.objects.order_by("created_at", "id").iterator(chunk_size=BATCH):
        batch.append(AuditEntry(target_type=ct, target_id=row.creator_id, actor_id=row.actor_id, at=row.created_at,
                                action="vetted", from_state=row.from_status, to_state=row.to_status, note=row.reason,
                                data={"migrated_from": "vettingdecision", "id": row.pk}))
        if len(batch) >= BATCH:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


def backward(apps, schema_editor):
    VettingDecision = apps.get_model("creators", "VettingDecision")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.filter(app_label="creators", model="creator").first()
    if ct is None:
        return
    entries = AuditEntry.objects.filter(target_type=ct, action="vetted")
    field = VettingDecision._meta.get_field("created_at")
    field.auto_now_add = False  # keep each entry's time (this historical class is throwaway)
    VettingDecision.objects.bulk_create(
        (VettingDecision(creator_id=e.target_id, actor_id=e.actor_id, from_status=e.from_state, to_status=e.to_state,
                         reason=e.note, created_at=e.at) for e in entries.order_by("at", "id").iterator(chunk_size=BATCH)),
        batch_size=BATCH)
    field.auto_now_add = True
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("creators", "0006_encrypt_access_tokens"),
        ("audit", "0001_audit_log"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
