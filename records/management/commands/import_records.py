"""``python manage.py import_records KIND FILE [--dry-run]``: the back office's import
from the command line, recorded in the audit log like it (by no user)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompidou.errors import DomainError
from records.kinds import KINDS, REFUSED
from records.services import import_path


class Command(BaseCommand):
    help = "Import past records from an XLSX or CSV file: all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and change nothing."
        )

    def handle(self, *args, kind: str, file: Path, dry_run: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            record = import_path(kind=kind, path=file, dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for row in record.rows:
            if row["action"] == REFUSED:
                for field, messages in row["errors"].items():
                    for message in messages:
                        self.stdout.write(f"row {row['row']} {row['key']}: {field}: {message}")
        counts = ", ".join(f"{action} {n}" for action, n in record.counts.items())
        if record.counts.get(REFUSED):
            raise CommandError(f"Nothing imported: {counts}.")
        verb = "Dry run, nothing changed" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {counts}."))
