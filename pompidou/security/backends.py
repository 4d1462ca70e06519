"""The lockout backend: django-axes' check before the password is looked at."""

from typing import Any

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' backend, for the logins made over HTTP.

    Every login a person or a REST client makes passes the request (the login page,
    the admin login, ``POST /api/v1/auth/token/``). ``authenticate()`` without a
    request comes from code, not from a visitor (a test's ``client.login``, a shell):
    there is no address to count, so the lockout stands aside instead of refusing.
    """

    def authenticate(
        self,
        request: Any,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
