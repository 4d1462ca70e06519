"""``POST /api/v1/auth/token/``: a username and password for the user's API token.

Apart from ``authentication.py``, which DRF's settings import while DRF's views are
still loading."""

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from .schema import examples


class LoginThrottle(AnonRateThrottle):
    scope = "login"
    rate = "20/minute"


class TokenApi(ObtainAuthToken):
    """Exchange a username and password for the user's API token."""

    throttle_classes = [LoginThrottle]
    # ObtainAuthToken names its own parsers; take the API's (JSON depth bounded).
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # type: ignore[assignment]

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        examples=examples(
            "Your token, for your username and password",
            request={"username": "pc_fr", "password": "…"},
            response={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"},
        ),
    )
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().post(request, *args, **kwargs)
