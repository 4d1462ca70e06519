"""The history of activities and annual programmes moves from ChangeRecord into the
one AuditEvent table (issue 11): same actor, time, changes and comment; the action
becomes the event's kind (same names); a status change's {"status": [old, new]} (and
an adoption's) becomes the event's from/to states."""

from django.db import migrations

KINDS = {
    "created",
    "updated",
    "status",
    "milestone",
    "entry_added",
    "entry_removed",
    "entry_budget",
    "adopted",
    "rolled_over",
}
MOVES = {"status", "adopted"}


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="activities", model=model)[0]


def forward(apps, schema_editor):
    ChangeRecord = apps.get_model("activities", "ChangeRecord")
    AuditEvent = apps.get_model("pompidou", "AuditEvent")
    activity_ct = _content_type(apps, "activity")
    programme_ct = _content_type(apps, "annualprogramme")
    events = []
    records = ChangeRecord.objects.select_related("activity", "annual_programme").order_by(
        "at", "id"
    )
    for record in records.iterator(chunk_size=2000):
        if record.activity_id:
            ct, pk = activity_ct, record.activity_id
            label = f"{record.activity.reference} {record.activity.title}"
        else:
            ct, pk = programme_ct, record.annual_programme_id
            label = f"Annual programme of activities {record.annual_programme.year}"
        changes = dict(record.changes or {})
        from_state = to_state = ""
        if record.action in MOVES and isinstance(changes.get("status"), list):
            old, new = (list(changes.pop("status")) + ["", ""])[:2]
            from_state, to_state = old or "", new or ""
        events.append(
            AuditEvent(
                actor_id=record.actor_id,
                at=record.at,
                content_type=ct,
                object_id=pk,
                subject_label=label[:200],
                kind=record.action if record.action in KINDS else "updated",
                from_state=from_state,
                to_state=to_state,
                changes=changes,
                comment=record.comment,
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    # Moved, not copied: each way leaves one history (the next migration drops the table).
    ChangeRecord.objects.all().delete()


def backward(apps, schema_editor):
    ChangeRecord = apps.get_model("activities", "ChangeRecord")
    AuditEvent = apps.get_model("pompidou", "AuditEvent")
    activity_ct = _content_type(apps, "activity")
    programme_ct = _content_type(apps, "annualprogramme")
    events = AuditEvent.objects.filter(content_type__in=[activity_ct, programme_ct])
    records = []
    for event in events.order_by("at", "id").iterator(chunk_size=2000):
        changes = dict(event.changes or {})
        if event.kind in MOVES and event.to_state:
            changes = {"status": [event.from_state, event.to_state], **changes}
        on_activity = event.content_type_id == activity_ct.pk
        records.append(
            ChangeRecord(
                actor_id=event.actor_id,
                activity_id=event.object_id if on_activity else None,
                annual_programme_id=None if on_activity else event.object_id,
                action=event.kind,
                changes=changes,
                comment=event.comment,
            )
        )
    created = ChangeRecord.objects.bulk_create(records, batch_size=2000)
    # ``at`` is auto_now_add: set it back afterwards, row by row.
    for record, event in zip(created, events.order_by("at", "id"), strict=True):
        ChangeRecord.objects.filter(pk=record.pk).update(at=event.at)
    events.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_clean_control_characters"),
        ("pompidou", "0002_audit_event"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
