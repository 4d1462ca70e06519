"""The pages of two-factor authentication: set up a TOTP device, give the code."""

from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import user_has_device

from pompidou.errors import DomainError

from . import services
from .forms import CodeForm
from .middleware import two_factor_exempt


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@two_factor_exempt
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Show a new device's QR code and secret; confirm it with a first code."""
    user: Any = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        # Replacing a device needs the current one: a stolen password is not enough.
        return redirect(f"{reverse('accounts:two_factor_verify')}?next={request.path}")
    device = services.totp_device_pending(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_device_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            django_otp.login(request, device)
            return redirect(_next(request))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": services.qr_svg(device),
            "secret": services.secret_of(device),
            "next": _next(request),
        },
    )


@two_factor_exempt
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code after the password. A wrong code counts as a failed login (the
    lockout and the audit log see it)."""
    user: Any = request.user
    if not user_has_device(user, confirmed=True):
        return redirect(f"{reverse('accounts:two_factor_setup')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        device = None
        if AxesProxyHandler.is_allowed(request, credentials):
            device = services.totp_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        # Counted like a wrong password; a lockout turns this answer into the
        # lockout page (axes.middleware.AxesMiddleware).
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code", _("The code is not right, or it has already been used."))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)}
    )
