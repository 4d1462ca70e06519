"""A session that must be verified by a TOTP code reaches nothing else before it is."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .signals import NEEDS_CODE

OPEN_PREFIXES = ("/i18n/",)


def two_factor_exempt(view: Any) -> Any:
    """Mark a view a session waiting for its code may still open."""
    view.two_factor_exempt = True
    return view


class TwoFactorRequiredMiddleware:
    """After the password, a session marked at login as needing a code (see
    ``accounts.signals``) is sent to the code page (or, with no device yet, to the
    setup page) until ``django_otp`` has verified it; the API answers 403 to such a
    session. Token clients are not sessions: the token endpoint asks for the code."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.session.get(NEEDS_CODE):
            return None
        user = request.user
        if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
            return None
        if getattr(view_func, "two_factor_exempt", False) or request.path_info.startswith(
            OPEN_PREFIXES
        ):
            return None
        if getattr(view_func, "view_class", None) in (LoginView, LogoutView):
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Give the code of your authenticator app on the portal first.")},
                status=403,
            )
        target = (
            "accounts:two_factor_verify"
            if user_has_device(user, confirmed=True)
            else "accounts:two_factor_setup"
        )
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
