"""``python manage.py import_records KIND FILE [--dry-run] [--user NAME]``: the back
office's import from the command line, recorded in the audit log like it (by no user,
or by the Secretariat member named: proposals are recorded as proposed by them)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompidou.errors import DomainError
from records.kinds import KINDS, REFUSED
from records.permissions import can_import_records
from records.services import import_path


class Command(BaseCommand):
    help = "Import past records from an XLSX or CSV file: all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and change nothing."
        )
        parser.add_argument(
            "--user",
            help="The Secretariat member who imports (needed for proposals: their proposer).",
        )

    def handle(
        self, *args, kind: str, file: Path, dry_run: bool, user: str | None = None, **options
    ) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {user}.")
            verdict = can_import_records(actor)
            if not verdict:
                raise CommandError(str(verdict))
        try:
            record = import_path(kind=kind, path=file, actor=actor, dry_run=dry_run)
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
