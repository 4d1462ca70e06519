"""Workflows as data: the states of a record, the moves between them, who may make
each move, and named groups of states.

Each app declares its workflows in its own ``workflow.py``; one file per app shows
every state rule of that app. Services change a status only through
:meth:`Workflow.move`, which

* checks the move is allowed from the state read (a clear error otherwise),
* checks the move's permission predicate (a :class:`pompidou.rules.Verdict`),
* updates the row *conditionally on the state read*, so of two concurrent moves
  only one lands and the other gets "changed meanwhile",
* writes one :class:`pompidou.models.AuditEvent` (from, to, comment, fields).

Pages, API and dashboards ask :meth:`Workflow.available` for the moves (buttons)
a user has on a record, and :meth:`Workflow.group` for the named state sets
("open", "decidable") instead of writing the states out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .errors import DomainError
from .listing import lists_changed
from .rules import Verdict, require

Predicate = Callable[[Any, Any], "Verdict | bool"]
_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True)
class Move:
    """One allowed move: from any of ``sources`` to ``target``, named ``name``
    (the button's verb), made by whoever ``permission(user, obj)`` allows (anyone the
    service lets through when None)."""

    name: str
    sources: frozenset[str]
    target: str
    label: Any = ""
    permission: Predicate | None = None

    def allowed(self, user: Any, obj: Any) -> Verdict:
        if self.permission is None:
            return Verdict(True)
        answer = self.permission(user, obj)
        return answer if isinstance(answer, Verdict) else Verdict(bool(answer))


def move(
    name: str,
    sources: Iterable[str],
    target: str,
    label: Any = "",
    permission: Predicate | None = None,
) -> Move:
    return Move(name, frozenset(sources), target, label or name, permission)


@dataclass
class Workflow:
    """The states of ``model.<field>`` and the moves between them."""

    model: type[models.Model]
    moves: tuple[Move, ...]
    field: str = "status"
    # Any set of states on the way in (``{S.PLANNED, S.ONGOING}``); frozen on creation.
    groups: Mapping[str, AbstractSet[str]] = dc_field(default_factory=dict)
    noun: Any = ""  # "proposal", for messages; the model's verbose name by default

    def __post_init__(self) -> None:
        states = set(self.states)
        for m in self.moves:
            unknown = (set(m.sources) | {m.target}) - states
            if unknown:
                raise ValueError(f"{self.model.__name__}: move {m.name!r} names {unknown}")
        self.groups = {name: frozenset(s) for name, s in self.groups.items()}
        for name, group in self.groups.items():
            if group - states:
                raise ValueError(f"{self.model.__name__}: group {name!r} names {group - states}")

    # --- reading ---------------------------------------------------------------

    def _choices(self) -> list[tuple[str, Any]]:
        return list(getattr(self.model._meta.get_field(self.field), "choices", None) or [])

    @property
    def states(self) -> list[str]:
        return [value for value, _label in self._choices()]

    def label(self, state: str) -> str:
        return str(dict(self._choices()).get(state, state))

    def group(self, name: str) -> frozenset[str]:
        return frozenset(self.groups[name])  # the frozenset itself: already frozen

    def targets(self, state: str) -> set[str]:
        return {m.target for m in self.moves if state in m.sources}

    def can_move(self, state: str, target: str) -> bool:
        return target in self.targets(state)

    def is_final(self, state: str) -> bool:
        return not self.targets(state)

    def moves_from(self, state: str) -> list[Move]:
        return [m for m in self.moves if state in m.sources]

    def available(self, user: Any, obj: Any) -> list[Move]:
        """The moves ``user`` may make on ``obj`` now (the buttons to show)."""
        state = getattr(obj, self.field)
        return [m for m in self.moves_from(state) if m.allowed(user, obj)]

    def named(self, name: str) -> Move:
        for m in self.moves:
            if m.name == name:
                return m
        raise KeyError(name)

    # --- writing ---------------------------------------------------------------

    def _noun(self) -> str:
        return str(self.noun or self.model._meta.verbose_name)

    def refuse(self, old: str, to: str) -> DomainError:
        allowed = ", ".join(sorted(self.label(s).lower() for s in self.targets(old))) or _("none")
        return DomainError(
            _("A %(noun)s that is %(old)s cannot become %(new)s (allowed: %(allowed)s).")
            % {
                "noun": self._noun(),
                "old": self.label(old).lower(),
                "new": self.label(to).lower(),
                "allowed": allowed,
            },
            field=self.field,
        )

    def move(
        self,
        obj: _M,
        to: str,
        actor: Any,
        *,
        comment: str = "",
        check_permission: bool = True,
        changes: Mapping[str, Any] | None = None,
        kind: str = audit.Kind.STATUS,
        **fields: Any,
    ) -> _M:
        """Move ``obj`` to state ``to``; the only writer of the state field.

        ``fields`` are written in the same conditional update (a decision date, who
        accepted). The move's permission is checked for ``actor`` unless the portal
        itself moves (``actor=None``, a beat job) or the service has already asked
        (``check_permission=False``). ``kind`` names the event when the move is a step
        of its own in the history (an annual programme ``adopted``).
        """
        old = getattr(obj, self.field)
        if to not in self.states:
            raise DomainError(_("Unknown status %(s)r.") % {"s": to}, field=self.field)
        candidates = [m for m in self.moves_from(old) if m.target == to]
        if not candidates:
            raise self.refuse(old, to)
        if check_permission and actor is not None:
            verdicts = [m.allowed(actor, obj) for m in candidates]
            if not any(verdicts):
                require(verdicts[0])
        values = dict(fields)
        # The object's own class: a workflow may be declared on an abstract model
        # (every ReportJob) and move rows of its concrete subclasses.
        model = type(obj)
        names = {f.name for f in model._meta.get_fields()}
        if "updated_at" in names and "updated_at" not in values:
            values["updated_at"] = timezone.now()
        changed = model._default_manager.filter(pk=obj.pk, **{self.field: old}).update(
            **{self.field: to}, **values
        )
        lists_changed()  # an update() sends no signal: a filtered list's count moved
        if changed != 1:
            raise DomainError(
                _("This %(noun)s was changed meanwhile; reload it and try again.")
                % {"noun": self._noun()}
            )
        setattr(obj, self.field, to)
        for name, value in values.items():
            setattr(obj, name, value)
        audit.record(
            obj,
            kind,
            actor,
            from_state=old,
            to_state=to,
            changes=changes,
            comment=comment,
        )
        return obj
