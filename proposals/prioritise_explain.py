"""Why no selection meets the Secretariat's constraints, in words.

First each constraint on its own (and the must-includes with it) against the
budget left, which names the exact cause in most cases; when the constraints fail
only together, CP-SAT's assumptions name the groups in conflict, reduced to a
minimal set by dropping one group at a time.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.sat.python import cp_model

from pompidou.lib.l10n import number

if TYPE_CHECKING:
    from .prioritise import Candidate, Constraints


@dataclass(frozen=True)
class Group:
    """One constraint of the model (the budget, the must-includes, a priority's
    minimum, a format's maximum) and the literal that enforces it."""

    kind: str  # "budget", "include", "min", "max"
    key: str  # the priority or format number
    bound: int
    literal: Any

    def describe(self, capacity: Decimal) -> str:
        if self.kind == "budget":
            return _("the budget left, %(r)s EUR") % {"r": eur(capacity)}
        if self.kind == "include":
            return _("the must-include proposals")
        if self.kind == "min":
            return ngettext(
                "at least %(k)s proposal under priority %(p)s",
                "at least %(k)s proposals under priority %(p)s",
                self.bound,
            ) % {"k": self.bound, "p": self.key}
        return ngettext(
            "at most %(m)s proposal of format %(f)s",
            "at most %(m)s proposals of format %(f)s",
            self.bound,
        ) % {"m": self.bound, "f": self.key}


def eur(amount: Decimal) -> str:
    # Not services.base.eur: this module is imported by the services package itself.
    return number(amount, 0)


def _refs(candidates) -> str:
    return ", ".join(c.reference for c in candidates)


def explain(
    candidates: list["Candidate"],
    eligible: list["Candidate"],
    constraints: "Constraints",
    capacity: Decimal,
) -> list[str]:
    """Each constraint checked on its own against the budget left; [] when none
    fails alone (the solver then decides whether they hold together)."""
    problems = []
    by_pk = {c.pk: c for c in candidates}
    both = [by_pk[pk] for pk in sorted(constraints.include & constraints.exclude) if pk in by_pk]
    if both:
        problems.append(
            _("The must-include and the must-exclude lists both name %(refs)s.")
            % {"refs": _refs(both)}
        )
    eligible_pks = {c.pk for c in eligible}
    wanted = [by_pk[pk] for pk in sorted(constraints.include) if pk in by_pk]
    for c in wanted:
        if c.pk in eligible_pks or c.pk in constraints.exclude:
            continue
        if c.score is None:
            problems.append(
                _("%(ref)s must be included but has no weighted score yet.") % {"ref": c.reference}
            )
        elif constraints.above_threshold_only and not c.recommended:
            problems.append(
                _(
                    "%(ref)s must be included but is below the threshold, and only "
                    "proposals above it may be chosen."
                )
                % {"ref": c.reference}
            )
    included = [c for c in wanted if c.pk in eligible_pks]
    cost = sum((c.cost for c in included), Decimal("0"))
    if cost > capacity:
        problems.append(
            _("The must-include proposals cost %(c)s EUR, more than the %(r)s EUR left.")
            % {"c": eur(cost), "r": eur(capacity)}
        )
    for format_, maximum in sorted(constraints.max_per_format.items()):
        forced = [c for c in included if c.format == format_]
        if len(forced) > maximum:
            problems.append(
                _(
                    "The must-include list names %(n)s proposals of format %(f)s "
                    "(%(refs)s), more than the %(m)s allowed."
                )
                % {"n": len(forced), "f": format_, "refs": _refs(forced), "m": maximum}
            )
    for priority, minimum in sorted(constraints.min_per_priority.items()):
        problems += _priority_problems(priority, minimum, eligible, included, constraints, capacity)
    return problems


def _priority_problems(
    priority: str,
    minimum: int,
    eligible: list["Candidate"],
    included: list["Candidate"],
    constraints: "Constraints",
    capacity: Decimal,
) -> list[str]:
    under = [c for c in eligible if priority in c.priorities]
    if len(under) < minimum:
        return [
            ngettext(
                "Priority %(p)s asks for at least %(k)s selected, but only %(n)s eligible "
                "proposal is under it.",
                "Priority %(p)s asks for at least %(k)s selected, but only %(n)s eligible "
                "proposals are under it.",
                len(under),
            )
            % {"k": minimum, "p": priority, "n": len(under)}
        ]
    # What the format maxima let through under this priority.
    allowed = 0
    by_format: dict[str | None, list[Candidate]] = {}
    for c in under:
        by_format.setdefault(c.format, []).append(c)
    for format_, of in by_format.items():
        maximum = constraints.max_per_format.get(format_ or "")
        allowed += len(of) if maximum is None else min(len(of), maximum)
    if allowed < minimum:
        return [
            _(
                "Priority %(p)s asks for at least %(k)s selected, but the format maxima "
                "let only %(n)s of its proposals in."
            )
            % {"k": minimum, "p": priority, "n": allowed}
        ]
    # The cheapest way to reach the minimum, on top of the must-includes.
    forced = list(included)
    have = sum(1 for c in forced if priority in c.priorities)
    others = sorted((c for c in under if c not in forced), key=lambda c: c.cost)
    extra = others[: max(minimum - have, 0)]
    cost = sum((c.cost for c in forced + extra), Decimal("0"))
    if cost > capacity:
        if included:
            text = _(
                "The must-include proposals with the cheapest ones that make up the "
                "minimum of %(k)s under priority %(p)s cost %(c)s EUR, more than the "
                "%(r)s EUR left."
            )
        else:
            text = ngettext(
                "The cheapest eligible proposal under priority %(p)s costs %(c)s EUR, "
                "more than the %(r)s EUR left.",
                "The %(k)s cheapest eligible proposals under priority %(p)s cost "
                "%(c)s EUR, more than the %(r)s EUR left.",
                minimum,
            )
        return [text % {"k": minimum, "p": priority, "c": eur(cost), "r": eur(capacity)}]
    return []


def groups_in_conflict(
    build: Callable[[], tuple[cp_model.CpModel, list, list[Group]]],
    capacity: Decimal,
    seconds: float,
) -> list[str]:
    """The constraint groups that cannot hold together, named: CP-SAT's sufficient
    assumptions, then each dropped in turn while the rest stays infeasible."""

    def infeasible(kept: list[int]) -> tuple[bool, list[int]]:
        model, _x, groups = build()
        model.add_assumptions([groups[i].literal for i in kept])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(seconds / 4, 0.5)
        solver.parameters.num_workers = 1  # the core is read from a single worker
        status = solver.solve(model)
        if status != cp_model.INFEASIBLE:
            return False, kept
        core = set(solver.sufficient_assumptions_for_infeasibility())
        return True, [i for i in kept if groups[i].literal.index in core] or kept

    _model, _x, groups = build()
    ok, core = infeasible(list(range(len(groups))))
    if not ok:
        return [_("The constraints cannot all be met together.")]
    for i in list(core):
        trial = [j for j in core if j != i]
        if trial and infeasible(trial)[0]:
            core = trial
    names = "; ".join(groups[i].describe(capacity) for i in core)
    return [_("These constraints cannot all be met together: %(names)s.") % {"names": names}]
