"""Logins, logouts, failed logins and lockouts in the audit log (connected by
``PompidouConfig.ready``), with the address they came from."""

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .. import audit
from .ip import client_ip
from .middleware import LOGIN_AT


def _path(request: Any) -> str:
    return str(getattr(request, "path", "") or "")[:2000] if request is not None else ""


def _ip(request: Any) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="pompidou.audit.login")
def logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[LOGIN_AT] = int(time.time())
    audit.record(
        user,
        audit.Kind.LOGIN,
        user,
        label=user.get_username(),
        comment=_path(request),
        ip=_ip(request),
    )


@receiver(user_logged_out, dispatch_uid="pompidou.audit.logout")
def logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:  # no one was logged in
        return
    audit.record(
        user,
        audit.Kind.LOGOUT,
        user,
        label=user.get_username(),
        comment=_path(request),
        ip=_ip(request),
    )


@receiver(user_login_failed, dispatch_uid="pompidou.audit.login_failed")
def login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Django has already masked the password in ``credentials``.
    username = str(credentials.get("username") or "")
    audit.record(
        None, audit.Kind.LOGIN_FAILED, label=username, comment=_path(request), ip=_ip(request)
    )


@receiver(user_locked_out, dispatch_uid="pompidou.audit.locked_out")
def locked_out(
    sender: Any,
    request: Any = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    audit.record(
        None,
        audit.Kind.LOCKED_OUT,
        label=username or "",
        comment=_path(request),
        ip=ip_address or _ip(request),
    )
