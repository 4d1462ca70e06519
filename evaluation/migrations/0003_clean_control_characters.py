"""Cleans the control characters stored before text fields refused them (issue 12).

A vertical tab (Word's manual line break), a form feed or a CR becomes a line feed;
any other C0 control character but tab is dropped. The rule is a copy of
``pompidou.lib.text`` as it stood, so a later change there does not rewrite history.
"""

import re
from functools import reduce
from operator import or_

from django.db import migrations, models

# Written with escapes, not the characters (a NUL cannot be sent to PostgreSQL):
# PostgreSQL's regex and SQLite's (Python's re) read \xNN alike.
FIND = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")
_DROPPED = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _clean(value):
    return _DROPPED.sub("", _BREAKS.sub("\n", value))


def clean_control_characters(apps, schema_editor):
    for model in apps.get_app_config("evaluation").get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [
            f.attname
            for f in model._meta.local_concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not names:
            continue
        found = reduce(or_, (models.Q(**{f"{name}__regex": FIND}) for name in names))
        for row in model._base_manager.filter(found).values("pk", *names).iterator():
            changed = {
                name: _clean(row[name])
                for name in names
                if row[name] and _clean(row[name]) != row[name]
            }
            if changed:
                model._base_manager.filter(pk=row["pk"]).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ('evaluation', '0002_evaluationreport'),
    ]

    operations = [migrations.RunPython(clean_control_characters, migrations.RunPython.noop)]
