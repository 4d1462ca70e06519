"""The history of any record, in words, for people: ``{% audit_history events %}``.

One place turns an ``AuditEvent`` into what a person reads: the event's kind in
words, the subject model's field labels, state labels rather than codes, names
rather than ids, yes/no, dates as d/m/Y, amounts with grouping, file names without
folders, long texts cut. Who sees a history at all is each app's
``can_view_history``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from pompidou.lib.countries import in_current_language
from pompidou.models import AuditEvent

register = template.Library()

Kind = AuditEvent.Kind
# Keys of ``changes`` that are not fields of the subject's model.
EXTRA_LABELS = {
    "source": _("adopted from the proposal"),
    "milestone": _("milestone"),
    "meeting": _("adopted at"),
    "from": _("started from the year"),
    "entries": _("activities"),
    "assessor": _("assessor"),
    "member_state": _("member state"),
    "vote": _("vote"),
    "document": _("document"),
}
# Keys whose meaning depends on the event: a support names the supporting
# delegation, not the subject's own ``member_state`` field.
KIND_LABELS: dict[tuple[str, str], str | Promise] = {
    (Kind.SUPPORT_ADDED.value, "member_state"): _("supporting delegation"),
    (Kind.SUPPORT_WITHDRAWN.value, "member_state"): _("supporting delegation"),
}
# Kinds whose keys are activity references and whose values are budgets for the year.
AMOUNT_KINDS = {Kind.ENTRY_ADDED, Kind.ENTRY_REMOVED, Kind.ENTRY_BUDGET}
# Keys whose values are member states' names, recorded in the actor's language and
# read in the reader's.
STATE_KEYS = {"member_state", "lead_member_state", "participating_states"}
TEXT_LIMIT = 160


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return f if isinstance(f, models.Field) else None


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
        return ", ".join(shown(v, field if field and field.choices else None) for v in value) or "—"
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


def _model(event: AuditEvent) -> type[models.Model] | None:
    return event.content_type.model_class() if event.content_type is not None else None


def state_label(event: AuditEvent, state: str) -> str:
    model = _model(event)
    # The first state field that knows the state: a progress report has a RAG "status"
    # beside the "review" its workflow moves.
    for name in ("status", "review"):
        f = _field(model, name)
        if f is not None and f.choices and state in dict(f.flatchoices):
            return str(dict(f.flatchoices)[state])
    return state


def describe(event: AuditEvent) -> list[Change]:
    """The event's changes as (label, old, new) in words."""
    model = _model(event)
    out = []
    for key, pair in (event.changes or {}).items():
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if event.kind in AMOUNT_KINDS:
            out.append(
                Change(
                    key,
                    _amount(old) if old is not None else "—",
                    _amount(new) if new is not None else "—",
                )
            )
            continue
        if event.kind == Kind.MILESTONE and isinstance(new, bool):
            # {"<milestone title>": [was done, is done]}
            out.append(Change(key, *(str(_("done") if v else _("not done")) for v in (old, new))))
            continue
        if key in STATE_KEYS:
            old, new = _state_names(old), _state_names(new)
        f = _field(model, key)
        label = str(
            KIND_LABELS.get((event.kind, key))
            or (f.verbose_name if f is not None else EXTRA_LABELS.get(key, key))
        )
        out.append(Change(label[:1].upper() + label[1:], shown(old, f), shown(new, f)))
    return out


def _state_names(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_state_names(v) for v in value]
    return in_current_language(value) if isinstance(value, str) else value


def actor_name(event: AuditEvent) -> str:
    actor = event.actor
    if actor is None:
        return str(_("the portal"))
    return actor.get_full_name() or actor.username


@register.filter
def event_kind(kind: str) -> str:
    """An event kind in words."""
    try:
        return str(Kind(kind).label)
    except ValueError:
        return kind


@register.inclusion_tag("partials/audit_history.html")
def audit_history(events: Any, newest_first: bool = False) -> dict:
    """``{% audit_history events %}``: the events of a record, in words."""
    rows = [
        {
            "event": e,
            "actor": actor_name(e),
            "label": event_kind(e.kind),
            "from": state_label(e, e.from_state) if e.from_state else "",
            "to": state_label(e, e.to_state) if e.to_state else "",
            "changes": describe(e),
        }
        for e in events
    ]
    if newest_first:
        rows.reverse()
    return {"entries": rows}
