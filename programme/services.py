"""Writes of the programme app: onboarding accounts."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pompidou.errors import DomainError

from . import roles
from .models import BureauMandate, MemberState, Profile

User = get_user_model()


@transaction.atomic
def account_create(
    *,
    username: str,
    role: str,
    member_state_code: str | None = None,
    office: str | None = None,
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    mandate_start: date | None = None,
    mandate_end: date | None = None,
    validate: bool = True,
):
    """Create a user with their role, delegation and (for the Bureau) mandate.

    A correspondent and a Bureau member belong to a member state; a Bureau
    member is a correspondent with a mandate. Every problem is reported at
    once and nothing is created.
    """
    errors: dict[str, list[str]] = {}
    if role not in roles.ACCOUNT_ROLES:
        errors["role"] = [f"Unknown role {role!r}; choose one of {', '.join(roles.ACCOUNT_ROLES)}."]
    if not username or User.objects.filter(username__iexact=username).exists():
        errors["username"] = [f"The username {username!r} is empty or already taken."]
    state = None
    if member_state_code:
        state = MemberState.objects.filter(code=member_state_code.upper()).first()
        if state is None:
            errors["member_state"] = [f"No member state has the ISO code {member_state_code!r}."]
    elif role in (roles.CORRESPONDENT, "bureau"):
        errors["member_state"] = [
            "A Permanent Correspondent or Bureau member needs a member state (--member-state)."
        ]
    if role == "bureau":
        if office not in BureauMandate.Office.values:
            errors["office"] = [
                f"A Bureau member needs an office: {', '.join(BureauMandate.Office.values)}."
            ]
    elif office:
        errors["office"] = ["Only a Bureau member holds an office (use --role bureau)."]
    if password and validate and not errors:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise DomainError(errors)

    user = User.objects.create_user(
        username=username,
        email=email,
        password=password or None,
        first_name=first_name,
        last_name=last_name,
        # The Secretariat keeps the back office in /admin/.
        is_staff=(role == roles.SECRETARIAT),
    )
    if not password:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    groups = roles.ensure_groups()
    group = roles.CORRESPONDENT if role == "bureau" else role
    user.groups.add(groups[group])
    Profile.objects.create(user=user, member_state=state)
    if role == "bureau":
        BureauMandate.objects.create(
            user=user,
            office=office or "",  # checked above: a Bureau member has an office
            start_date=mandate_start or timezone.localdate(),
            end_date=mandate_end,
        )
    return user
