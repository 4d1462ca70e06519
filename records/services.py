"""Importing a spreadsheet: a dry run, then the import, all rows or none.

Both runs are the same code: every row is written inside one transaction (each in
its own savepoint, so a row the database refuses is reported and the others go on),
through the rules of the services that own the records. A dry run, or a run with
any refused row, is rolled back at the end: what the dry run reports is exactly
what the import does. Rows are matched on natural keys, so a second import of the
same file counts every row as unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from pompidou import audit
from pompidou.errors import NON_FIELD, DomainError
from pompidou.rules import require

from . import permissions
from .kinds import CREATED, KINDS, REFUSED, UNCHANGED, UPDATED, ImportKind
from .models import RecordImport
from .reader import MAX_IMPORT_BYTES, kind_of_file, read_rows

ACTIONS = (CREATED, UPDATED, UNCHANGED, REFUSED)
# Rows kept for the page besides the refused ones (all of which are kept).
SHOWN_ROWS = 500


@dataclass
class ImportResult:
    counts: Counter[str] = field(default_factory=Counter)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, number: int, key: str, action: str, errors: dict[str, list[str]] | None = None):
        self.counts[action] += 1
        if action == REFUSED or len(self.rows) < SHOWN_ROWS:
            self.rows.append({"row": number, "key": key, "action": action, "errors": errors or {}})

    @property
    def refused(self) -> int:
        return self.counts[REFUSED]

    def as_counts(self) -> dict[str, int]:
        return {action: self.counts[action] for action in ACTIONS}


def get_kind(name: str) -> ImportKind:
    try:
        return KINDS[name]()
    except KeyError:
        raise DomainError(
            _("Unknown kind %(kind)s; choose one of %(kinds)s.")
            % {"kind": name, "kinds": ", ".join(KINDS)},
            field="kind",
        ) from None


def _row_errors(exc: Exception) -> dict[str, list[str]]:
    if isinstance(exc, DomainError):
        return exc.errors
    if isinstance(exc, ValidationError):
        return {k: list(v) for k, v in exc.message_dict.items()}
    return {NON_FIELD: [_("The database refused the row: %(e)s") % {"e": str(exc).strip()}]}


# Rows read, checked and written together: one savepoint and a few bulk inserts
# per chunk rather than a dozen queries per row.
CHUNK = 500


def _chunks(
    rows: Iterator[tuple[int, dict[str, Any]]],
) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    chunk: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


Outcome = tuple[str, dict[str, list[str]]]


def _apply(kind: ImportKind, values: dict[str, Any], actor: Any) -> Outcome:
    try:
        return kind.apply(values, actor), {}
    except (DomainError, ValidationError) as exc:
        return REFUSED, _row_errors(exc)


def _write_chunk(kind: ImportKind, ready: list[tuple[int, str, dict[str, Any]]], actor: Any):
    """Every row of the chunk in one savepoint; when the database refuses one, the
    chunk is rolled back and replayed row by row (a savepoint each) to name it."""
    kind.prefetch([values for _n, _k, values in ready])
    try:
        with transaction.atomic():
            outcomes = [_apply(kind, values, actor) for _n, _k, values in ready]
            kind.flush(actor)
        return outcomes
    except DatabaseError:
        kind.discard()
    outcomes = []
    for _n, _k, values in ready:
        try:
            with transaction.atomic():
                outcome = _apply(kind, values, actor)
                kind.flush(actor)
        except DatabaseError as exc:
            kind.discard()
            outcome = REFUSED, _row_errors(exc)
        outcomes.append(outcome)
    return outcomes


def run_rows(
    *, kind: ImportKind, handle: IO[bytes], name: str, actor: Any, dry_run: bool
) -> ImportResult:
    """Every row of the file through ``kind``; rolled back unless it is the import
    and no row is refused. A refused row's partial writes (if a rule refused it
    half-way) never stay: any refusal rolls the whole run back."""
    result = ImportResult()
    seen: dict[str, int] = {}
    with transaction.atomic():
        for chunk in _chunks(read_rows(handle, name, kind.columns)):
            ready = []
            for number, row in chunk:
                values, errors = kind.parse(row)
                key = kind.key_of(values)
                if key and key in seen:
                    errors.setdefault(kind.key_column, []).append(
                        _("Duplicate %(key)s: already on row %(row)s.")
                        % {"key": key, "row": seen[key]}
                    )
                elif key:
                    seen[key] = number
                if errors:
                    result.add(number, key, REFUSED, errors)
                else:
                    ready.append((number, key, values))
            for (number, key, _values), (action, errors) in zip(
                ready, _write_chunk(kind, ready, actor), strict=True
            ):
                result.add(number, key, action, errors)
        if dry_run or result.refused:
            transaction.set_rollback(True)
        else:
            kind.finish()
    result.rows.sort(key=lambda row: row["row"])
    return result


def _record(record: RecordImport, result: ImportResult, actor: Any, *, dry_run: bool) -> None:
    record.counts = result.as_counts()
    record.rows = result.rows
    if result.refused:
        record.status = RecordImport.Status.REFUSED
    elif dry_run:
        record.status = RecordImport.Status.CHECKED
    else:
        record.status = RecordImport.Status.IMPORTED
    record.save()
    audit.record(
        record,
        audit.Kind.CREATED
        if record.status == RecordImport.Status.IMPORTED
        else audit.Kind.REVIEWED,
        actor,
        changes={
            "kind": [None, record.kind],
            "file": [None, record.file_name],
            "dry_run": [None, dry_run],
            **{action: [None, count] for action, count in record.counts.items()},
        },
        label=str(record),
        comment=_("dry run") if dry_run else _("import"),
    )


def _check_upload(upload: UploadedFile) -> str:
    name = Path(upload.name or "").name
    kind_of_file(name)
    if upload.size and upload.size > MAX_IMPORT_BYTES:
        raise DomainError(
            _("The file is larger than %(mb)s MB; split it.") % {"mb": MAX_IMPORT_BYTES // 2**20},
            field="file",
        )
    return name


@transaction.atomic
def import_check(*, kind: str, upload: UploadedFile, actor: Any) -> RecordImport:
    """The dry run of an uploaded file: kept with its token, so that "Import now"
    imports exactly the file that was checked."""
    require(permissions.can_import_records(actor), field="file")
    importer = get_kind(kind)
    name = _check_upload(upload)
    result = run_rows(kind=importer, handle=upload, name=name, actor=actor, dry_run=True)
    upload.seek(0)
    record = RecordImport(kind=kind, file_name=name, user=actor if actor.is_authenticated else None)
    record.file.save(name, upload, save=False)
    _record(record, result, actor, dry_run=True)
    return record


@transaction.atomic
def import_confirm(*, record: RecordImport, actor: Any) -> RecordImport:
    """Import a checked file: every row or none (refused when any row is)."""
    require(permissions.can_import_records(actor))
    record = RecordImport.objects.select_for_update().get(pk=record.pk)
    if record.status != RecordImport.Status.CHECKED:
        raise DomainError(
            _("This file was refused or already imported; upload it again to check it anew.")
        )
    if not record.file:
        raise DomainError(_("The uploaded file is no longer here; upload it again."))
    importer = get_kind(record.kind)
    with record.file.open("rb") as handle:
        result = run_rows(
            kind=importer, handle=handle, name=record.file_name, actor=actor, dry_run=False
        )
    _record(record, result, actor, dry_run=False)
    if record.status == RecordImport.Status.IMPORTED and record.file:
        # The file has served: no imported spreadsheet stays on the server.
        storage, stored = record.file.storage, str(record.file.name)
        record.file = ""
        record.save(update_fields=["file"])
        transaction.on_commit(lambda: storage.delete(stored))
    return record


def import_path(*, kind: str, path: Path, actor: Any = None, dry_run: bool = False) -> RecordImport:
    """The command's import of a file on disk (run by whoever has the server: no user)."""
    importer = get_kind(kind)
    with transaction.atomic(), path.open("rb") as handle:
        result = run_rows(
            kind=importer, handle=handle, name=path.name, actor=actor, dry_run=dry_run
        )
        record = RecordImport(kind=kind, file_name=path.name, user=actor)
        _record(record, result, actor, dry_run=dry_run)
    return record
