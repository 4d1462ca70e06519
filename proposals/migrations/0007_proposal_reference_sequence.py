"""Proposals are numbered from the one reference sequence (key "proposal"): its
counters start at the highest number each year's references (PR-YYYY-NNNN) already
carry, so no reference is given twice."""

import re

from django.db import migrations

REFERENCE = re.compile(r"^PR-(\d{4})-(\d+)$")


def forward(apps, schema_editor):
    Sequence = apps.get_model("pompidou", "Sequence")
    Proposal = apps.get_model("proposals", "Proposal")
    last: dict[int, int] = {}
    for reference in Proposal.objects.exclude(reference=None).values_list("reference", flat=True):
        match = REFERENCE.match(reference)
        if match:
            year, number = int(match[1]), int(match[2])
            last[year] = max(last.get(year, 0), number)
    for year, number in last.items():
        Sequence.objects.update_or_create(
            key="proposal", year=year, defaults={"last_number": number}
        )


def backward(apps, schema_editor):
    apps.get_model("pompidou", "Sequence").objects.filter(key="proposal").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0006_delete_proposalevent"),
        ("pompidou", "0003_reference_sequence"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
