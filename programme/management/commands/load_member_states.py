from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programme.loader import MEMBER_STATES, LoaderError, load_member_states


class Command(BaseCommand):
    help = "Load the member states and MedNET partners. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=MEMBER_STATES)

    def handle(self, *args, file: Path, **options):
        try:
            report = load_member_states(file)
        except LoaderError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Member states: {report.counts['member_states']} "
                f"({report.created} created, {report.updated} updated)."
            )
        )
