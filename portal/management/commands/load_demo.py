from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from programme.demo import DEMO_PASSWORD, load_demo_accounts


class Command(BaseCommand):
    help = "Load demo data: member states, the programme, accounts for every role. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a production database).",
        )

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo accounts with DEBUG off: they share a published "
                "password. Use --force only on a database that is not production."
            )
        call_command("load_member_states", stdout=self.stdout)
        call_command("load_work_programme", stdout=self.stdout)
        created = load_demo_accounts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo accounts: {created} created; password for all: {DEMO_PASSWORD}"
            )
        )
        from django.test.utils import override_settings

        from activities.demo import load_demo_activities
        from evaluation.demo import load_demo_evaluation
        from meetings.demo import load_demo_meetings
        from proposals.demo import load_demo_proposals

        # The demo's steps would e-mail the demo accounts; nobody is listening.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.stdout.write(f"Demo activities: {load_demo_activities()} created.")
            self.stdout.write(f"Demo proposals: {load_demo_proposals()} created.")
            self.stdout.write(f"Demo progress reports: {load_demo_evaluation()} filed.")
            self.stdout.write(f"Demo agenda items: {load_demo_meetings()} created.")
        from proposals.models import Proposal

        # A database loaded before the demo was dated in its 2015–2018 period keeps
        # its record (the loaders add nothing where data exist); say how to renew it.
        if Proposal.objects.filter(created_at__year__gt=2018, proposer__username="pc_fr").exists():
            self.stdout.write(
                self.style.WARNING(
                    "The demo proposals here were loaded by an older version and are dated "
                    "today; load the demo into an empty database to get its 2015–2018 record."
                )
            )
