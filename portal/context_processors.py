from typing import Any

from django.http import HttpRequest

from programme.roles import roles_of


def portal(request: HttpRequest) -> dict[str, Any]:
    """The user's roles (templates ask the one roles module, as views do) and the
    navigation entry of the current page."""
    match = getattr(request, "resolver_match", None)
    nav = (match.namespace or match.url_name) if match else None
    return {"roles": roles_of(getattr(request, "user", None)), "nav": nav}
