"""Adoption and entry into force of a work programme (the programme's own part).

Two steps of the cycle (programme/workflow.py): the Secretariat records what the
Ministerial Conference adopted (its name, number, place and days, and the document
reference), then puts the adopted programme in force, which closes the one in force.
Handing over the running activities and open proposals belongs to the layers above
(``proposals.handover.programme_put_in_force``), which call ``programme_enforce`` in
their transaction; this module imports no app above the programme.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pompidou import audit
from pompidou.errors import DomainError
from pompidou.rules import require

from . import permissions
from .models import PermanentFormat, ThematicPriority, WorkProgramme
from .workflow import PROGRAMME_WORKFLOW

W = WorkProgramme.Status


def _locked(programme: WorkProgramme) -> WorkProgramme:
    return WorkProgramme.objects.select_for_update().get(pk=programme.pk)


def _adoption_errors(
    programme: WorkProgramme,
    *,
    adopted_by_en: str,
    conference_number: int | None,
    adopted_place: str,
    conference_start: dt.date | None,
    adopted_on: dt.date | None,
    reference: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if programme.status != W.CONSULTATION:
        errors["status"] = [
            _("Only a work programme in consultation can be adopted; this one is %(status)s.")
            % {"status": programme.get_status_display().lower()}
        ]
    if not adopted_by_en.strip():
        errors["adopted_by_en"] = [_("Name the Conference that adopted the programme.")]
    if conference_number is None or conference_number < 1:
        errors["conference_number"] = [_("Give the number of the Ministerial Conference.")]
    if not adopted_place.strip():
        errors["adopted_place"] = [_("Say where the Conference was held.")]
    if conference_start is None:
        errors["conference_start"] = [_("Give the first day of the Conference.")]
    if adopted_on is None:
        errors["adopted_on"] = [_("Give the last day of the Conference, the day of adoption.")]
    elif conference_start is not None and adopted_on < conference_start:
        errors["adopted_on"] = [_("The last day is before the first day of the Conference.")]
    if not reference.strip():
        errors["reference"] = [_("Give the reference of the adopted document.")]
    elif WorkProgramme.objects.filter(reference=reference).exclude(pk=programme.pk).exists():
        errors["reference"] = [
            _("Another work programme already has the reference %(ref)s.") % {"ref": reference}
        ]
    return errors


@transaction.atomic
def programme_adopt(
    *,
    programme: WorkProgramme,
    by: Any,
    adopted_by_en: str,
    adopted_by_fr: str = "",
    conference_number: int | None,
    adopted_place: str,
    conference_start: dt.date | None,
    adopted_on: dt.date | None,
    reference: str,
) -> WorkProgramme:
    """Record the adoption of a programme in consultation by the Ministerial Conference:
    the Conference (name in both languages, number, place, first and last day) and the
    reference of the adopted document. Every problem at once; nothing written on one."""
    require(permissions.can_move_programme(by, programme))
    programme = _locked(programme)
    reference = reference.strip()
    errors = _adoption_errors(
        programme,
        adopted_by_en=adopted_by_en,
        conference_number=conference_number,
        adopted_place=adopted_place,
        conference_start=conference_start,
        adopted_on=adopted_on,
        reference=reference,
    )
    if errors:
        raise DomainError(errors)
    values: dict[str, Any] = {
        "adopted_by_en": adopted_by_en.strip(),
        "adopted_by_fr": adopted_by_fr.strip(),
        "conference_number": conference_number,
        "adopted_place": adopted_place.strip(),
        "conference_start": conference_start,
        "adopted_on": adopted_on,
        "reference": reference,
    }
    changes = {
        name: [getattr(programme, name), value]
        for name, value in values.items()
        if getattr(programme, name) != value
    }
    return PROGRAMME_WORKFLOW.move(programme, W.ADOPTED, by, changes=changes, **values)


def programme_enforce(*, programme: WorkProgramme, by: Any) -> WorkProgramme | None:
    """Put an adopted programme in force and close the one in force, in the caller's
    transaction; returns the closed one (None when none was in force).

    The old one is closed first: one programme in force at a time is a unique index
    (``workprogramme_one_in_force``), checked row by row, so the other order fails."""
    require(permissions.can_move_programme(by, programme))
    programme = _locked(programme)
    if programme.status != W.ADOPTED:
        raise DomainError(
            _("Only an adopted work programme can be put in force; this one is %(status)s.")
            % {"status": programme.get_status_display().lower()},
            field="status",
        )
    old = WorkProgramme.objects.select_for_update().filter(status=W.IN_FORCE).first()
    if old is not None:
        PROGRAMME_WORKFLOW.move(
            old, W.CLOSED, by, comment=_("Replaced by %(ref)s.") % {"ref": programme.reference}
        )
    PROGRAMME_WORKFLOW.move(programme, W.IN_FORCE, by)
    return old


def row_key(kind: str, pk: int, name: str | None = None) -> str:
    """The error key of a hand-over row (``activity-12``) or of one of its fields
    (``activity-12.permanent_format``): the page puts it next to that row and field."""
    return f"{kind}-{pk}" + (f".{name}" if name else "")


def field_key(kind: str, pk: int) -> Callable[[str], str]:
    return partial(row_key, kind, pk)


def confirm_list(
    kind: str,
    pending: dict[int, Any],
    rows: Iterable[Any],
    *,
    gone: str,
    added: Callable[[Any], str],
) -> tuple[dict[str, list[str]], list[tuple[Any, Any]]]:
    """Match the rows the Secretariat confirmed (each names its record by ``kind``'s id)
    with the records ``pending`` now (locked): a row whose record is no longer pending
    was changed meanwhile (``gone``, formatted with the id); a pending record without
    a row appeared meanwhile (``added(record)``). Returns those errors and the
    (row, record) pairs to check further."""
    errors: dict[str, list[str]] = {}
    matched = []
    for row in rows:
        pk = getattr(row, kind)
        record = pending.get(pk)
        if record is None:
            errors[row_key(kind, pk)] = [gone % {"id": pk}]
        else:
            matched.append((row, record))
    seen = {record.pk for _row, record in matched}
    for record in pending.values():
        if record.pk not in seen:
            errors[row_key(kind, record.pk)] = [added(record)]
    return errors, matched


def remap(
    record: Any,
    *,
    new: WorkProgramme,
    fmt: PermanentFormat | None,
    priorities: list[ThematicPriority],
    by: Any,
    comment: str,
    **extra: Any,
) -> None:
    """Put a record of the programme in force (an activity, a proposal) under ``new``
    with its priorities and format there (and ``extra`` fields), with one event in its
    history saying what changed."""
    before = {
        "work_programme": record.work_programme,
        "permanent_format": record.permanent_format,
        "thematic_priorities": list(record.thematic_priorities.all()),
        **{name: getattr(record, name) for name in extra},
    }
    after = {"work_programme": new, "permanent_format": fmt, "thematic_priorities": priorities}
    record.work_programme = new
    record.permanent_format = fmt
    for name, value in extra.items():
        setattr(record, name, value)
    record.save(update_fields=["work_programme", "permanent_format", *extra, "updated_at"])
    record.thematic_priorities.set(priorities)
    audit.record(
        record,
        audit.Kind.UPDATED,
        by,
        changes=audit.diff(before, {**after, **extra}),
        comment=comment,
    )


def programme_in_force() -> WorkProgramme | None:
    return WorkProgramme.objects.in_force().first()


# --- mapping the old programme's priorities and formats onto the new one --------------


@dataclass(frozen=True)
class Mapping:
    """The new programme's priorities and formats, which a row carried over or moved
    must choose from (rule shared by activities and proposals)."""

    priorities: frozenset[int]
    formats: frozenset[int]

    @classmethod
    def of(cls, programme: WorkProgramme) -> Mapping:
        return cls(
            frozenset(programme.priorities.values_list("pk", flat=True)),
            frozenset(programme.formats.values_list("pk", flat=True)),
        )

    def errors(
        self,
        ref: str,
        key: Callable[[str], str],
        priorities: Sequence[int],
        fmt: int | None,
        *,
        priority_required: bool = True,
    ) -> dict[str, list[str]]:
        """The row's problems, keyed ``key(field)``; ``ref`` names the row."""
        errors = {}
        if any(pk not in self.priorities for pk in priorities):
            errors[key("thematic_priorities")] = [
                _("%(ref)s: a priority chosen is not one of the new programme's.") % {"ref": ref}
            ]
        elif not priorities and priority_required:
            errors[key("thematic_priorities")] = [
                _("%(ref)s: choose at least one priority of the new programme.") % {"ref": ref}
            ]
        if fmt is not None and fmt not in self.formats:
            errors[key("permanent_format")] = [
                _("%(ref)s: the format chosen is not one of the new programme's.") % {"ref": ref}
            ]
        return errors


_WORDS = re.compile(r"\w+")


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _match(old: Any, new: Iterable[Any], name: str) -> Any:
    """The item of ``new`` with ``old``'s number, else with its name (or title)."""
    new = list(new)
    for item in new:
        if item.number == old.number:
            return item
    wanted = _key(getattr(old, name))
    return next((item for item in new if _key(getattr(item, name)) == wanted), None)


def suggested_priorities(
    old: Iterable[ThematicPriority], new: Iterable[ThematicPriority]
) -> list[ThematicPriority]:
    """The new programme's priorities that match ``old`` ones by number or by title."""
    new = list(new)
    found = [_match(p, new, "title") for p in old]
    return list({p.pk: p for p in found if p is not None}.values())


def suggested_format(
    old: PermanentFormat | None, new: Iterable[PermanentFormat]
) -> PermanentFormat | None:
    """The new programme's format matching ``old`` by number or by name."""
    return None if old is None else _match(old, new, "name")
