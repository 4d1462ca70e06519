"""API authentication: ``Authorization: Token <key>`` or ``Authorization: Bearer <key>``.

Clients written against OAuth-style APIs send ``Bearer``; DRF's TokenAuthentication
only knows ``Token`` and let such a request through as anonymous, so a client saw
public data only, without any error. Both keywords are accepted now, and a
missing, malformed or unknown key answers 401.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

KEYWORDS = ("Token", "Bearer")


class TokenOrBearerAuthentication(TokenAuthentication):
    keyword = "Token"  # named in WWW-Authenticate on a 401

    def authenticate(self, request: Any) -> Any:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in {k.lower() for k in KEYWORDS}:
            return None  # another scheme (or none): the session may still authenticate
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: give 'Token <key>' or 'Bearer <key>'.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(
                _("Invalid token: it contains characters a key never has.")
            ) from exc
        return self.authenticate_credentials(key)
