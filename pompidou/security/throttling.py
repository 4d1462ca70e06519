"""API throttles counted in the shared cache, per client address (``ip.client_ip``)."""

from typing import Any

from rest_framework import throttling

from .ip import client_ip


class ClientAddressMixin:
    def get_ident(self, request: Any) -> str:
        return client_ip(request) or "unknown"


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    """Anonymous requests: ``API_ANON_RATE`` per address."""


class LoginRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    """The token endpoint: 20 attempts a minute per address, on top of the lockout
    (which counts failures only)."""

    scope = "login"
    rate = "20/minute"
