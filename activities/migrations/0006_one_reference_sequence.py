"""The activities' reference counters (PG-YYYY-NNN) move into the one reference
sequence with their last numbers, under the key "activity"."""

from django.db import migrations


def forward(apps, schema_editor):
    Sequence = apps.get_model("pompidou", "Sequence")
    ActivitySequence = apps.get_model("activities", "ActivitySequence")
    for row in ActivitySequence.objects.all():
        Sequence.objects.update_or_create(
            key="activity", year=row.year, defaults={"last_number": row.last_number}
        )


def backward(apps, schema_editor):
    Sequence = apps.get_model("pompidou", "Sequence")
    ActivitySequence = apps.get_model("activities", "ActivitySequence")
    for row in Sequence.objects.filter(key="activity"):
        ActivitySequence.objects.update_or_create(
            year=row.year, defaults={"last_number": row.last_number}
        )
    Sequence.objects.filter(key="activity").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_delete_changerecord"),
        ("pompidou", "0003_reference_sequence"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(
            name="ActivitySequence",
        ),
    ]
