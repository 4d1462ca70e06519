from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pompidou.errors import DomainError
from programme import roles
from programme.models import BureauMandate
from programme.services import account_create


class Command(BaseCommand):
    help = (
        "Onboard a delegate or staff member. A Bureau member is a correspondent with a "
        "current mandate. Without --password, prints a one-time link to set one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=" | ".join(roles.ACCOUNT_ROLES))
        parser.add_argument("--member-state", dest="member_state", help="ISO code, e.g. FR")
        parser.add_argument(
            "--office", help=" | ".join(o.replace("_", "-") for o in BureauMandate.Office.values)
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--password")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Address of the portal, for the one-time link.",
        )

    def handle(
        self, *args, username, role, member_state, office, email, password, base_url, **options
    ):
        try:
            user = account_create(
                username=username,
                role=role,
                member_state_code=member_state,
                office=office.replace("-", "_") if office else None,
                email=email,
                password=password,
            )
        except DomainError as exc:
            lines = [f"  {field}: {' '.join(msgs)}" for field, msgs in exc.errors.items()]
            raise CommandError("Nothing was created.\n" + "\n".join(lines)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({role})."))
        if not password:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
            self.stdout.write(f"One-time link to set the password: {base_url.rstrip('/')}{path}")
