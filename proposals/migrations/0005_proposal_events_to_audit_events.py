"""Moves the proposals' own history (ProposalEvent) into the portal's one audit log
(AuditEvent), kind by kind; the names the old free-text comment held (a delegation,
an assessor, a document, a vote) become the event's ``changes`` so the history reads
as before. Reversible: the way back rebuilds ProposalEvent rows from the events.
"""

from django.db import migrations

# ProposalEvent.kind → AuditEvent.Kind, and the key of ``changes`` its comment goes to
# (None: the comment stays a comment; "" : the comment is dropped, it repeated the actor).
KINDS = {
    "created": ("created", None),
    "status": ("status", None),
    "support": ("support_added", "member_state"),
    "support_withdrawn": ("support_withdrawn", "member_state"),
    "assessor": ("assessor_assigned", "assessor"),
    "assessed": ("assessment_submitted", ""),
    "vote": ("vote", "vote"),
    "attachment": ("attachment_added", "document"),
    "attachment_removed": ("attachment_removed", "document"),
    "referred": ("referred", None),
}
REMOVED = {"support_withdrawn", "attachment_removed"}
VOTES = {"approve": "Approve", "reject": "Reject", "abstain": "Abstain"}


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="proposals", model=model)[0]


def forward(apps, schema_editor):
    ProposalEvent = apps.get_model("proposals", "ProposalEvent")
    AuditEvent = apps.get_model("pompidou", "AuditEvent")
    ct = _content_type(apps, "proposal")
    rows = []
    for e in ProposalEvent.objects.select_related("proposal").order_by("at", "id").iterator():
        kind, key = KINDS.get(e.kind, (e.kind, None))
        comment, changes = e.comment, {}
        if key == "":
            comment = ""
        elif key:
            value = VOTES.get(e.comment, e.comment) if key == "vote" else e.comment
            changes = {key: [value, None] if e.kind in REMOVED else [None, value]}
            comment = ""
        p = e.proposal
        rows.append(
            AuditEvent(
                actor_id=e.actor_id,
                at=e.at,
                content_type=ct,
                object_id=p.pk,
                subject_label=f"{p.reference or 'draft'} {p.title}"[:200],
                kind=kind,
                from_state=e.from_status,
                to_state=e.to_status,
                changes=changes,
                comment=comment,
            )
        )
    AuditEvent.objects.bulk_create(rows, batch_size=500)


def backward(apps, schema_editor):
    ProposalEvent = apps.get_model("proposals", "ProposalEvent")
    AuditEvent = apps.get_model("pompidou", "AuditEvent")
    ct = _content_type(apps, "proposal")
    old = {new: (kind, key) for kind, (new, key) in KINDS.items()}
    labels = {label: code for code, label in VOTES.items()}
    rows = []
    events = AuditEvent.objects.filter(content_type=ct).order_by("at", "id")
    for e in events.iterator():
        kind, key = old.get(e.kind, (e.kind, None))
        comment = e.comment
        if key:
            pair = e.changes.get(key) or [None, None]
            value = pair[0] if kind in REMOVED else pair[1]
            comment = labels.get(value, value) if key == "vote" else (value or "")
        rows.append(
            ProposalEvent(
                proposal_id=e.object_id,
                actor_id=e.actor_id,
                kind=kind[:30],
                from_status=e.from_state[:20],
                to_status=e.to_state[:20],
                comment=comment or "",
            )
        )
    created = ProposalEvent.objects.bulk_create(rows, batch_size=500)
    # ``at`` is auto_now_add: set it from the events afterwards.
    for row, e in zip(created, events.iterator(), strict=True):
        ProposalEvent.objects.filter(pk=row.pk).update(at=e.at)
    events.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0004_clean_control_characters"),
        ("pompidou", "0002_audit_event"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
