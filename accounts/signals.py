from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import session_needs_code

# In the session: whether it must be verified by a TOTP code before any page.
NEEDS_CODE = "accounts_needs_code"


@receiver(user_logged_in, dispatch_uid="accounts.two_factor_at_login")
def note_two_factor(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Asked once here, so that no request after pays a query for it.
    session = getattr(request, "session", None)
    if session is not None:
        session[NEEDS_CODE] = session_needs_code(user)
