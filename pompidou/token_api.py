"""``POST /api/v1/auth/token/``: a username and password for the user's API token.

Apart from ``authentication.py``, which DRF's settings import while DRF's views are
still loading.

The endpoint is a login like the page: failures count towards the lockout
(django-axes sees ``authenticate()`` called with the request), a locked-out
account or address answers 429, and an account that must use two-factor
authentication (``accounts.two_factor_required``) gives its current TOTP code as
``otp``.
"""

from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from django_otp import match_token, user_has_device
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings

from . import audit, rules
from .schema import examples
from .security.ip import client_ip
from .security.lockout import lockout_response
from .security.throttling import LoginRateThrottle

# Kept for the name other modules and tests know.
LoginThrottle = LoginRateThrottle


def _two_factor_refusal(request: Any, user: Any) -> Any:
    """None when the account needs no code or gave the right one; else the answer."""
    has_device = user_has_device(user, confirmed=True)
    if not has_device and not rules.ask("accounts.two_factor_required", user):
        return None
    if not has_device:
        return Response(
            {"otp": [_("Set up two-factor authentication on the portal before using the API.")]},
            status=400,
        )
    code = str(request.data.get("otp") or "").strip()
    if code and match_token(user, code) is not None:
        return None
    # A wrong or missing code counts like a wrong password.
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    if getattr(request, "axes_locked_out", False):
        return lockout_response(request._request)
    return Response(
        {"otp": [_("Give the current code of your authenticator app as “otp”.")]}, status=400
    )


class TokenApi(ObtainAuthToken):
    """Exchange a username and password (and, for accounts with two-factor
    authentication, the current code as ``otp``) for the user's API token."""

    throttle_classes = [LoginRateThrottle]
    # ObtainAuthToken names its own parsers; take the API's (JSON depth bounded).
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # type: ignore[assignment]

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {
                "username": serializers.CharField(),
                "password": serializers.CharField(),
                "otp": serializers.CharField(required=False),
            },
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        examples=examples(
            "Your token, for your username and password",
            request={"username": "pc_fr", "password": "…"},
            response={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"},
        ),
    )
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        # django-axes flags the request when this failure (or an earlier one) locked
        # the account or the address.
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request._request)
        if not valid:
            raise serializers.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        refusal = _two_factor_refusal(request, user)
        if refusal is not None:
            return refusal
        token, _created = Token.objects.get_or_create(user=user)
        audit.record(
            user,
            audit.Kind.LOGIN,
            user,
            label=user.get_username(),
            comment=f"{request.method} {request.path} (API token)",
            ip=client_ip(request),
        )
        return Response({"token": token.key})
