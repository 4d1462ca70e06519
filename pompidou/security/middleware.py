"""The absolute session lifetime and the audit of refused access."""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .. import audit
from .ip import client_ip

# When the session's user logged in (seconds since the epoch), set at login by
# pompidou.security.signals.
LOGIN_AT = "pompidou_login_at"


class SessionLifetimeMiddleware:
    """A session lasts at most ``SESSION_ABSOLUTE_SECONDS`` from its login.

    The idle expiry (``SESSION_COOKIE_AGE``, renewed at every request) ends a session
    left alone; this one ends a session however active, so a stolen session cookie
    is not good for ever. Past the lifetime the user is logged out (the logout is in
    the audit log) and the request goes on anonymous: a page then asks for the login
    again with a message, the API answers 401.
    """

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        session = request.session
        if auth.SESSION_KEY in session:
            started = session.get(LOGIN_AT)
            now = time.time()
            if not isinstance(started, int | float):
                # A session from before the lifetime was enforced: it counts from now.
                session[LOGIN_AT] = int(now)
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                auth.logout(request)
                messages.info(
                    request,
                    _("Your session has ended (it lasts at most %(hours)s hours): log in again.")
                    % {"hours": f"{settings.SESSION_ABSOLUTE_SECONDS / 3600:g}"},
                    fail_silently=True,
                )
        return self.get_response(request)


class AccessDeniedAuditMiddleware:
    """Every 403 the portal answers (a page, the API, the admin, a CSRF refusal) is
    written to the audit log: who, from which address, which method and path."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            audit.record(
                None,
                audit.Kind.ACCESS_DENIED,
                user,
                label=request.path[:200],
                comment=f"{request.method} {request.get_full_path()}"[:2000],
                ip=client_ip(request),
            )
        return response
