"""The permission matrix's machinery (issue 13, point 8): the roles, the answers a cell
may hold, how a row's address is built from the URL pattern and the world's objects,
and how one request is asked and classified.

The rows live one table per app beside this module (``proposals.py``,
``activities.py``, ``evaluation.py``, ``portal.py``); ``tests/portal/
test_permission_matrix.py`` walks the URL resolver and asks every row as every role.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

ROLES = (
    "anonymous",
    "secretariat",
    "pc_own",  # PC of the proposing / lead state (France)
    "pc_other",  # PC of another state (Germany)
    "bureau_own",  # Bureau member of the proposing / lead state (France)
    "bureau_other",  # another Bureau member (the Norwegian chair, who supervises)
    "assessor",  # the expert assigned to the proposal
    "expert",  # an expert not assigned
)
MEMBERS = tuple(role for role in ROLES if role != "anonymous")
LOGIN, DENIED = "login", "denied"  # the login page; 401, 403 or 404
API_ANON = DENIED  # without credentials the API refuses (401 or 403), never the data


def everyone(**answers) -> dict[str, object]:
    """A row's answers: the portal's members get ``ok`` unless named."""
    ok = answers.pop("ok", 200)
    return {role: answers.get(role, ok) for role in MEMBERS} | {
        "anonymous": answers.get("anonymous", LOGIN)
    }


def only(allowed: dict, *, anonymous: object = LOGIN, others: object = DENIED) -> dict:
    """Those named get their answer, the other members ``others``."""
    return {role: allowed.get(role, others) for role in MEMBERS} | {"anonymous": anonymous}


def public(ok: object = 200) -> dict:
    """The same answer for everyone, the anonymous visitor included."""
    return dict.fromkeys(ROLES, ok)


@dataclass(frozen=True)
class Row:
    """One URL: the method it is asked with, the object of the world it names (its
    kwargs and the text that identifies it), and the answer of each role.

    ``shows``: the object's identifying text is in the body of every 200 answer (a
    detail page or endpoint): so its absence from a refusal proves something.
    """

    method: str
    target: str | None
    answers: dict[str, object]
    shows: bool = False
    data: dict = field(default_factory=dict)


def url_patterns() -> dict[str, tuple[bool, tuple[str, ...]]]:
    """Every named URL pattern of the portal: name → (a page under i18n_patterns?,
    the names of its parameters). The router's ``.json`` variants share their
    route's name: the plain one (met first) gives the parameters."""
    found: dict[str, tuple[bool, tuple[str, ...]]] = {}

    def params(pattern) -> tuple[str, ...]:
        if isinstance(pattern, RoutePattern):
            return tuple(pattern.converters)
        if isinstance(pattern, RegexPattern):
            return tuple(pattern.regex.groupindex)
        return ()  # LocalePrefixPattern

    def walk(patterns, namespace: str, page: bool, inherited: tuple[str, ...]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                is_page = page or type(p.pattern).__name__ == "LocalePrefixPattern"
                walk(
                    p.url_patterns,
                    namespace + (f"{p.namespace}:" if p.namespace else ""),
                    is_page,
                    inherited + params(p.pattern),
                )
            elif isinstance(p, URLPattern) and p.name:
                found.setdefault(namespace + p.name, (page, inherited + params(p.pattern)))

    walk(get_resolver().url_patterns, "", False, ())
    return found


def outcome(response, *, page: bool) -> object:
    """A response as the table writes it."""
    location = response.get("Location", "")
    if page and response.status_code == 302 and "/login/" in location:
        return LOGIN
    if response.status_code in (401, 403, 404):
        return DENIED
    return response.status_code


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
