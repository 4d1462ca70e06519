"""One reference sequence (``Sequence(key, year, last_number)``) instead of one counter
table per kind of reference; the compiled documents' counters move over with their
last numbers (the activities' and proposals' follow in their apps' migrations)."""

from django.db import migrations, models


def documents_forward(apps, schema_editor):
    Sequence = apps.get_model("pompidou", "Sequence")
    DocumentSequence = apps.get_model("pompidou", "DocumentSequence")
    Sequence.objects.bulk_create(
        Sequence(key="document", year=row.year, last_number=row.last_number)
        for row in DocumentSequence.objects.all()
    )


def documents_backward(apps, schema_editor):
    Sequence = apps.get_model("pompidou", "Sequence")
    DocumentSequence = apps.get_model("pompidou", "DocumentSequence")
    DocumentSequence.objects.bulk_create(
        DocumentSequence(year=row.year, last_number=row.last_number)
        for row in Sequence.objects.filter(key="document")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pompidou", "0002_audit_event"),
    ]

    operations = [
        migrations.CreateModel(
            name="Sequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=30)),
                ("year", models.PositiveSmallIntegerField()),
                ("last_number", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "reference counter",
            },
        ),
        migrations.AddConstraint(
            model_name="sequence",
            constraint=models.UniqueConstraint(
                fields=("key", "year"), name="sequence_one_per_key_and_year"
            ),
        ),
        migrations.RunPython(documents_forward, documents_backward),
        migrations.DeleteModel(
            name="DocumentSequence",
        ),
    ]
