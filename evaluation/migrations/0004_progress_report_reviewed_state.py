"""Progress reports gain the state "reviewed" (the supervising Bureau member's review
was a comment beside the state), and the reports and feedback requests already in the
database get their history in the one audit log: filed, reviewed, accepted, closed."""

from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    ProgressReport = apps.get_model("evaluation", "ProgressReport")
    FeedbackRequest = apps.get_model("evaluation", "FeedbackRequest")
    AuditEvent = apps.get_model("pompidou", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ProgressReport.objects.filter(review="submitted", reviewed_by__isnull=False).update(
        review="reviewed"
    )
    ProgressReport.objects.filter(review="submitted").exclude(reviewer_comment="").update(
        review="reviewed"
    )
    report_type, _ = ContentType.objects.get_or_create(
        app_label="evaluation", model="progressreport"
    )
    request_type, _ = ContentType.objects.get_or_create(
        app_label="evaluation", model="feedbackrequest"
    )
    events = []
    for r in ProgressReport.objects.select_related("activity").iterator():
        label = f"{r.activity.reference} {r.period}"[:200]
        common = {"content_type": report_type, "object_id": r.pk, "subject_label": label}
        events.append(
            AuditEvent(**common, actor_id=r.submitted_by_id, at=r.submitted_at, kind="created")
        )
        if r.reviewer_comment:
            events.append(
                AuditEvent(
                    **common,
                    actor_id=r.reviewed_by_id,
                    at=r.accepted_at or r.updated_at,
                    kind="status",
                    from_state="submitted",
                    to_state="reviewed",
                    comment=r.reviewer_comment,
                )
            )
        if r.review == "accepted":
            events.append(
                AuditEvent(
                    **common,
                    actor_id=r.accepted_by_id,
                    at=r.accepted_at or r.updated_at,
                    kind="status",
                    from_state="reviewed" if r.reviewer_comment else "submitted",
                    to_state="accepted",
                )
            )
    for fr in FeedbackRequest.objects.select_related("activity").iterator():
        common = {
            "content_type": request_type,
            "object_id": fr.pk,
            "subject_label": f"{fr.activity.reference}: feedback by {fr.deadline}"[:200],
        }
        events.append(
            AuditEvent(**common, actor_id=fr.created_by_id, at=fr.created_at, kind="created")
        )
        if fr.status == "closed":
            events.append(
                AuditEvent(
                    **common,
                    actor_id=None,
                    at=fr.updated_at,
                    kind="status",
                    from_state="open",
                    to_state="closed",
                )
            )
    AuditEvent.objects.bulk_create(events, batch_size=500)


def backwards(apps, schema_editor):
    ProgressReport = apps.get_model("evaluation", "ProgressReport")
    AuditEvent = apps.get_model("pompidou", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ProgressReport.objects.filter(review="reviewed").update(review="submitted")
    AuditEvent.objects.filter(
        content_type__in=ContentType.objects.filter(
            app_label="evaluation", model__in=["progressreport", "feedbackrequest"]
        )
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_clean_control_characters"),
        ("evaluation", "0003_clean_control_characters"),
        ("pompidou", "0002_audit_event"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="progressreport",
            name="review",
            field=models.CharField(
                choices=[
                    ("submitted", "Submitted"),
                    ("reviewed", "Reviewed"),
                    ("accepted", "Accepted"),
                ],
                default="submitted",
                editable=False,
                max_length=10,
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddConstraint(
            model_name="progressreport",
            constraint=models.CheckConstraint(
                condition=models.Q(("review__in", ["submitted", "reviewed", "accepted"])),
                name="progressreport_review_valid",
            ),
        ),
    ]
