"""The answer to a locked-out login: 429, JSON under /api/, a page elsewhere."""

from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message(request: Any = None) -> str:
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    if minutes is None:
        return _(
            "Too many failed logins: this account is locked. Ask the Secretariat to unlock it."
        )
    return _(
        "Too many failed logins: logins to this account or from this address are "
        "refused for %(minutes)d minutes after the last attempt. Wait, then try again, "
        "or use “Forgotten your password?”."
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: what a locked-out login answers."""
    message = lockout_message(request)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
