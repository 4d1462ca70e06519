from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programme.loader import WORK_PROGRAMME_2015_2018, LoaderError, load_work_programme


class Command(BaseCommand):
    help = "Load the 2015–2018 work programme (or the one in --file). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=WORK_PROGRAMME_2015_2018,
            help="YAML file describing a work programme.",
        )

    def handle(self, *args, file: Path, **options):
        try:
            report = load_work_programme(file)
        except LoaderError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        counts = ", ".join(
            f"{value} {key.replace('_', ' ')}" for key, value in report.counts.items()
        )
        state = (
            f"{report.created} created, {report.updated} updated, {report.deleted} deleted"
            if report.changed
            else "already up to date"
        )
        self.stdout.write(self.style.SUCCESS(f"Work programme loaded ({state}): {counts}."))
