"""The change log of activities and annual programmes, in words, for members.

One place turns a ChangeRecord's ``{"field": [old, new]}`` into what a person
reads: the model field's label, names rather than codes, yes/no, dates as
d/m/Y, lists joined with commas. Pages show it through ``{% history records %}``;
who sees it at all is ``permissions.can_view_history``.
"""

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, AnnualProgramme, ChangeRecord

register = template.Library()

# Keys of the log that are not model fields.
EXTRA_LABELS = {
    "source": _("adopted from the proposal"),
    "milestone": _("milestone"),
    "meeting": _("adopted at"),
    "from": _("started from the year"),
    "entries": _("activities"),
}
# Actions whose keys are activity references and whose values are budgets for the year.
ENTRY_ACTIONS = {"entry_added", "entry_removed", "entry_budget"}
TEXT_LIMIT = 160


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _model_of(record: ChangeRecord) -> type[models.Model]:
    return Activity if record.activity_id else AnnualProgramme


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _amount(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return formats.number_format(number, 2, use_l10n=True, force_grouping=True)


def _date(value: Any) -> str:
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def shown(value: Any, field: models.Field | None = None) -> str:
    """One old or new value as people read it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value) or "—"
    if field is not None:
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.DateField):
            return _date(value)
        if isinstance(field, models.DecimalField):
            return _amount(value)
        if isinstance(field, models.FileField):
            return os.path.basename(str(value))
    return Truncator(str(value)).chars(TEXT_LIMIT)


def describe(record: ChangeRecord) -> list[Change]:
    """The record's changes as (label, old, new) in words."""
    model = _model_of(record)
    changes = []
    for key, pair in (record.changes or {}).items():
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if record.action in ENTRY_ACTIONS:
            changes.append(
                Change(
                    key,
                    _amount(old) if old is not None else "—",
                    _amount(new) if new is not None else "—",
                )
            )
            continue
        if record.action == "milestone" and isinstance(new, bool):
            # {"<milestone title>": [was done, is done]}
            changes.append(
                Change(key, *(str(_("done") if v else _("not done")) for v in (old, new)))
            )
            continue
        field = _field(model, key)
        label = str(field.verbose_name if field is not None else EXTRA_LABELS.get(key, key))
        changes.append(Change(label[:1].upper() + label[1:], shown(old, field), shown(new, field)))
    return changes


def actor_name(record: ChangeRecord) -> str:
    actor = record.actor
    if actor is None:
        return str(_("the portal"))
    return actor.get_full_name() or actor.username


@register.inclusion_tag("activities/partials/history.html")
def history(records) -> dict:
    """``{% history records %}``: the list of changes, newest first, in words."""
    return {
        "entries": [{"record": r, "actor": actor_name(r), "changes": describe(r)} for r in records]
    }
