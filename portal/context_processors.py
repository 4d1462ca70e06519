from functools import cache
from typing import Any

from django.http import HttpRequest

from pompidou.notices import unread_count
from programme.roles import roles_of


def portal(request: HttpRequest) -> dict[str, Any]:
    """The user's roles (templates ask the one roles module, as views do), the
    navigation entry of the current page, and the number of unread notices."""
    match = getattr(request, "resolver_match", None)
    nav = (match.namespace or match.url_name) if match else None
    user = getattr(request, "user", None)
    context = {"roles": roles_of(user), "nav": nav}
    if user is not None and user.is_authenticated:
        # A callable the template calls when it shows the count (one COUNT query,
        # once per page; none for an htmx fragment without the navigation).
        context["inbox_unread"] = cache(lambda: unread_count(user))
    return context
