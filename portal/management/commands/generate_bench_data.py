import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.benchdata import NotEmpty, generate


class Command(BaseCommand):
    help = (
        "Generate a realistic, reproducible record at scale (activities 2011–2026, annual "
        "programmes, evaluation, proposals) with bulk inserts, into a database without "
        "activities. For measuring the portal; never on a production database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--activities", type=int, default=1000)
        parser.add_argument("--proposals", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)

    def handle(
        self, *args: Any, activities: int, proposals: int, seed: int, **options: Any
    ) -> None:
        started = time.monotonic()
        try:
            counts = generate(activities, proposals, seed)
        except NotEmpty as exc:
            raise CommandError(str(exc)) from exc
        phases = ", ".join(f"{k} {v} s" for k, v in counts.pop("phases", {}).items())
        summary = ", ".join(
            f"{v} {k.replace('_', ' ')}" for k, v in counts.items() if k != "refreshed"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated in {time.monotonic() - started:.1f} s: {summary}. "
                f"Refreshed: {', '.join(counts['refreshed']) or 'nothing'}. Phases: {phases}."
            )
        )
