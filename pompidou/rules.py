"""Permissions that carry their reason.

Every ``can_<verb>(user, obj)`` predicate of an app returns a :class:`Verdict`: truthy
when the user may, falsy with the sentence that tells them why not. One predicate
covers the role, the object's state and any conflict of interest, so services,
DRF permissions and templates ask the same question and show the same answer::

    verdict = permissions.can_submit_proposal(user, proposal)
    if not verdict:
        verdict.reason            # "Only the proposer's delegation submits it."
    require(verdict)              # raises PermissionDenied or DomainError

A refusal because of *who* the user is raises :class:`PermissionDenied` (HTTP 403);
a refusal because of the object's *state* raises :class:`DomainError` (HTTP 400 on
the API, a form error on the pages): the user may act, just not now.

Predicates are registered by name (``@rule("proposals.submit")``) so that the
``{% can %}`` template tag can ask them without the project package importing an
app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from .errors import DomainError, PermissionDenied

Reason = str | Promise


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer of a permission predicate: ``bool(verdict)`` says yes or no, ``reason``
    says why not, ``state`` tells a refusal by the object's state from one by role."""

    allowed: bool
    reason: Reason = ""
    state: bool = False
    field: str | None = None  # the form field a state refusal is about, if any

    def __bool__(self) -> bool:
        return self.allowed

    def __str__(self) -> str:
        return str(self.reason)

    def __and__(self, other: Verdict) -> Verdict:
        return self if not self.allowed else other


ALLOW = Verdict(True)


def allow() -> Verdict:
    return ALLOW


def deny(reason: Reason) -> Verdict:
    """Refused because of who the user is (403)."""
    return Verdict(False, reason)


def deny_state(reason: Reason, field: str | None = None) -> Verdict:
    """Refused because of the object's state (400): right person, wrong moment."""
    return Verdict(False, reason, state=True, field=field)


def check(condition: bool, reason: Reason) -> Verdict:
    return ALLOW if condition else deny(reason)


def require(verdict: Verdict | bool, reason: Reason = "", *, field: str | None = None) -> None:
    """Raise the error that goes with a refusal; nothing when allowed."""
    if verdict:
        return
    if isinstance(verdict, Verdict):
        reason = verdict.reason or reason
        field = field or verdict.field
        if verdict.state:
            raise DomainError(str(reason), field=field)
    raise PermissionDenied(str(reason), field=field)


def gate(verdict: Verdict | bool) -> None:
    """A page's check: a refusal by role is the 403 page with its reason. A refusal by
    the record's state is left to the service, whose DomainError the page shows as a
    form error, so the user reads why not now rather than a dead end."""
    if verdict or getattr(verdict, "state", False):
        return
    from django.core.exceptions import PermissionDenied as PageDenied

    raise PageDenied(str(getattr(verdict, "reason", "")))


# --- the registry the {% can %} tag reads -----------------------------------------

_RULES: dict[str, Callable[..., Verdict | bool]] = {}


def rule(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a predicate under ``name`` (``"<app>.<verb>"``) for ``{% can %}``."""

    def register(predicate: Callable[..., Any]) -> Callable[..., Any]:
        if name in _RULES and _RULES[name] is not predicate:
            raise ValueError(f"Permission rule {name!r} is registered twice.")
        _RULES[name] = predicate
        return predicate

    return register


def ask(name: str, user: Any, obj: Any = None) -> Verdict:
    """The registered predicate ``name`` applied to ``user`` (and ``obj``)."""
    try:
        predicate = _RULES[name]
    except KeyError:
        raise KeyError(f"No permission rule named {name!r}; known: {sorted(_RULES)}") from None
    answer = predicate(user) if obj is None else predicate(user, obj)
    return answer if isinstance(answer, Verdict) else Verdict(bool(answer))


def registered() -> dict[str, Callable[..., Any]]:
    return dict(_RULES)
