"""Copy CampaignEvent and ApplicationEvent rows into the one audit log (audit.AuditEntry), keeping who, when,
from, to and note; the next migration drops the two tables. Reversible: the way back copies the entries of
campaigns, applications and deliverables into the old tables and removes them from the log."""

from django.db import migrations

BATCH = 2000


def _ct(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="campaigns", model=model)[0]


def _copy(AuditEntry, rows, make):
    batch = []
    for row in rows.order_by("at", "id").iterator(chunk_size=BATCH):
        batch.append(make(row))
        if len(batch) >= BATCH:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


def forward(apps, schema_editor):
    CampaignEvent = apps.get_model("campaigns", "CampaignEvent")
    ApplicationEvent = apps.get_model("campaigns", "ApplicationEvent")
    AuditEntry = apps.get_model("audit", "AuditEntry")

    def entry(row, ct, target_id, source):
        return AuditEntry(target_type=ct, target_id=target_id, actor_id=row.actor_id, at=row.at,
                          action="moved" if row.from_status else "created", from_state=row.from_status,
                          to_state=row.to_status, note=row.note, data={"migrated_from": source, "id": row.pk})

    if CampaignEvent.objects.exists():
        ct = _ct(apps, "campaign")
        _copy(AuditEntry, CampaignEvent.objects.all(), lambda r: entry(r, ct, r.campaign_id, "campaignevent"))
    if ApplicationEvent.objects.exists():
        app_ct, deliverable_ct = _ct(apps, "application"), _ct(apps, "deliverable")
        _copy(AuditEntry, ApplicationEvent.objects.all(), lambda r: (
            entry(r, deliverable_ct, r.deliverable_id, "applicationevent") if r.deliverable_id
            else entry(r, app_ct, r.application_id, "applicationevent")))


def backward(apps, schema_editor):
    CampaignEvent = apps.get_model("campaigns", "CampaignEvent")
    ApplicationEvent = apps.get_model("campaigns", "ApplicationEvent")
    Deliverable = apps.get_model("campaigns", "Deliverable")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in (CampaignEvent, ApplicationEvent):  # keep each entry's time (these historical classes are throwaway)
        model._meta.get_field("at").auto_now_add = False
    types = {ct.model: ct.pk for ct in ContentType.objects.filter(
        app_label="campaigns", model__in=["campaign", "application", "deliverable"])}
    entries = AuditEntry.objects.filter(target_type_id__in=types.values(), action__in=["created", "moved"])
    owner = dict(Deliverable.objects.values_list("pk", "application_id"))
    campaign_rows, application_rows = [], []
    for e in entries.order_by("at", "id").iterator(chunk_size=BATCH):
        common = {"actor_id": e.actor_id, "from_status": e.from_state, "to_status": e.to_state, "note": e.note,
                  "at": e.at}
        if e.target_type_id == types.get("campaign"):
            campaign_rows.append(CampaignEvent(campaign_id=e.target_id, **common))
        elif e.target_type_id == types.get("application"):
            application_rows.append(ApplicationEvent(application_id=e.target_id, **common))
        elif e.target_id in owner:
            application_rows.append(ApplicationEvent(application_id=owner[e.target_id], deliverable_id=e.target_id,
                                                     **common))
    CampaignEvent.objects.bulk_create(campaign_rows, batch_size=BATCH)
    ApplicationEvent.objects.bulk_create(application_rows, batch_size=BATCH)
    for model in (CampaignEvent, ApplicationEvent):
        model._meta.get_field("at").auto_now_add = True
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0002_matching_indexes"),
        ("audit", "0001_audit_log"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
