"""Who must prove a second factor."""

from typing import Any

from django.conf import settings

from pompidou.rules import Verdict, check, rule
from programme.roles import roles_of


@rule("accounts.two_factor_required")
def two_factor_required(user: Any) -> Verdict:
    """True when the user must give a TOTP code after the password: the Secretariat,
    current Bureau members and superusers, when ``OTP_REQUIRED`` is on. (Anyone who
    has set up a device gives the code too: see ``services.session_needs_code``.)"""
    if not settings.OTP_REQUIRED or not getattr(user, "is_authenticated", False):
        return check(False, "")
    roles = roles_of(user)
    return check(bool(user.is_superuser or roles.is_secretariat or roles.is_bureau), "")
