"""Who must prove a second factor; who erases accounts."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from pompidou.rules import Verdict, allow, check, deny_state, rule
from programme.roles import SECRETARIAT, roles_of


@rule("accounts.two_factor_required")
def two_factor_required(user: Any) -> Verdict:
    """True when the user must give a TOTP code after the password: the Secretariat,
    current Bureau members and superusers, when ``OTP_REQUIRED`` is on. (Anyone who
    has set up a device gives the code too: see ``services.session_needs_code``.)"""
    if not settings.OTP_REQUIRED or not getattr(user, "is_authenticated", False):
        return check(False, "")
    roles = roles_of(user)
    return check(bool(user.is_superuser or roles.is_secretariat or roles.is_bureau), "")


@rule("accounts.erase_accounts")
def can_erase_accounts(user: Any) -> Verdict:
    """The Secretariat (and a superuser) erases accounts and feedback invitees."""
    allowed = getattr(user, "is_superuser", False) or roles_of(user).is_secretariat
    return check(allowed, _("Only the Secretariat erases accounts and invitees."))


@rule("accounts.erase_account")
def can_erase_account(user: Any, account: Any) -> Verdict:
    """The Secretariat erases an account: never its own, never one already erased,
    and never the last active Secretariat member's."""
    verdict = can_erase_accounts(user)
    if not verdict:
        return verdict
    if account.pk == user.pk:
        return deny_state(_("You cannot erase your own account: ask another Secretariat member."))
    if not account.is_active and account.username.startswith("former-"):
        return deny_state(_("This account has already been erased."))
    if roles_of(account).is_secretariat:
        others = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=SECRETARIAT)
            .exclude(pk=account.pk)
        )
        if not others.exists():
            return deny_state(
                _("This is the last Secretariat member: give the role to someone else first.")
            )
    return allow()
