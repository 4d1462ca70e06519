"""What every kind of import shares: reading a row's cells into values, and the
lookups of the programme's reference data (member states, priorities, formats)
made once per import rather than once per row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.db.models import TextChoices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from programme.models import MemberState, WorkProgramme

from ..columns import CellError, Column, fold, text

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
Errors = dict[str, list[str]]


def choice_parser(choices: type[TextChoices]) -> Any:
    """A cell naming one of ``choices`` by its value or its English or French label."""

    known: dict[str, dict[str, str]] = {}

    def names() -> dict[str, str]:
        # Read once per process and language set (switching languages per cell
        # would cost more than the row's database work).
        if "names" not in known:
            found = {}
            for value, label in choices.choices:
                found[fold(value)] = value
                for language in ("en", "fr"):
                    with translation.override(language):
                        found[fold(str(label))] = value
            known["names"] = found
        return known["names"]

    def parse(value: Any) -> str | None:
        raw = text(value)
        if not raw:
            return None
        found = names().get(fold(raw))
        if found is None:
            raise CellError(
                _("%(value)s is not one of: %(allowed)s.")
                % {"value": raw, "allowed": ", ".join(choices.values)}
            )
        return found

    return parse


class ImportKind:
    """One kind of record a spreadsheet brings in; subclasses name the columns, the
    natural key and how a row is written (``apply``)."""

    name: ClassVar[str]
    label: ClassVar[str | Promise]
    columns: ClassVar[Sequence[Column]]
    key_column: ClassVar[str]

    def __init__(self) -> None:
        self._states: dict[str, MemberState] | None = None
        self._programmes: list[WorkProgramme] | None = None

    # --- cells ----------------------------------------------------------------

    def parse(self, row: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
        values: dict[str, Any] = {}
        errors: Errors = {}
        for column in self.columns:
            if column.key not in row:
                continue
            raw = row[column.key]
            try:
                values[column.key] = column.parse(raw)
            except CellError as exc:
                errors.setdefault(column.key, []).append(str(exc))
                continue
            if column.required and values[column.key] in (None, "", []):
                errors.setdefault(column.key, []).append(
                    _("%(column)s is required.") % {"column": column.en}
                )
        return values, errors

    def key_of(self, values: dict[str, Any]) -> str:
        return text(values.get(self.key_column)).upper()

    def apply(self, values: dict[str, Any], actor: Any) -> str:
        """Write one row: ``created``, ``updated`` or ``unchanged``; a DomainError
        (or a database error) refuses it."""
        raise NotImplementedError

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        """Read the records a chunk of rows names, in a few queries for all of them."""

    def flush(self, actor: Any) -> None:
        """Write what ``apply`` kept for a bulk insert."""

    def discard(self) -> None:
        """Forget what ``apply`` kept: the chunk is replayed row by row."""

    def finish(self) -> None:
        """Anything to do once every row is written (in the same transaction)."""

    # --- reference data, read once per import -----------------------------------

    def member_state(self, code: str, field: str, errors: Errors) -> MemberState | None:
        if self._states is None:
            self._states = {s.code: s for s in MemberState.objects.all()}
        state = self._states.get(code.upper())
        if state is None:
            errors.setdefault(field, []).append(
                _("Unknown member state %(code)s (use its ISO code, e.g. FR).") % {"code": code}
            )
        return state

    def member_states(self, codes: list[str], field: str, errors: Errors) -> list[MemberState]:
        found = [self.member_state(code, field, errors) for code in codes]
        return [s for s in found if s is not None]

    def programmes(self) -> list[WorkProgramme]:
        if self._programmes is None:
            self._programmes = list(
                WorkProgramme.objects.prefetch_related("priorities", "formats").order_by(
                    "first_year"
                )
            )
        return self._programmes
