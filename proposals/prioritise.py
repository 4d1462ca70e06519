"""Prioritisation under a budget ceiling (issue 16): the proposals of a year that
maximise the total weighted score within what the annual programme has left, under
the Secretariat's balance constraints, beside the greedy score-per-euro choice.

An integer program solved exactly by OR-Tools CP-SAT (see the README for the
choice); under the budget alone, by CP-SAT's own dynamic programme run in
``proposals.knapsack`` (the same selection, in milliseconds). CP-SAT takes
integers only, so amounts are scaled to cents and weighted totals (two decimals,
as ``selectors.scores_for`` rounds them) to hundredths: exactly, with no rounding. This module reads no database: the service
(``proposals.services.prioritise``) gathers the candidates from the ranking's own
selectors and calls ``suggest``.
"""

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.sat.python import cp_model

from pompidou.lib.l10n import number

from . import knapsack
from .prioritise_explain import Group, explain, groups_in_conflict


@dataclass(frozen=True)
class Candidate:
    """A proposal of the year's ranking, as the solver sees it."""

    pk: int
    reference: str
    title: str
    cost: Decimal
    score: Decimal | None  # the weighted total; None until every criterion is scored
    recommended: bool  # above the work programme's thresholds
    priorities: tuple[str, ...] = ()  # thematic priority numbers ("3.1")
    format: str | None = None  # permanent format number ("4.5"), None when time-limited
    percentage: Decimal | None = None

    @property
    def cents(self) -> int:
        return _scaled(self.cost)

    @property
    def points(self) -> int:
        return _scaled(self.score or Decimal("0"))


def _scaled(value: Decimal) -> int:
    """Hundredths of ``value``, exactly (the model's columns have two decimals)."""
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than two decimals")
    return int(scaled)


@dataclass(frozen=True)
class Constraints:
    """The Secretariat's balance constraints; every one optional."""

    min_per_priority: Mapping[str, int] = field(default_factory=dict)
    max_per_format: Mapping[str, int] = field(default_factory=dict)
    include: frozenset[int] = frozenset()
    exclude: frozenset[int] = frozenset()
    above_threshold_only: bool = False


@dataclass
class Selection:
    """A set of proposals, in ranking order, with what it costs and scores."""

    chosen: list[Candidate]
    unmet: list[str] = field(default_factory=list)  # constraints it does not meet

    @property
    def cost(self) -> Decimal:
        return sum((c.cost for c in self.chosen), Decimal("0"))

    @property
    def score(self) -> Decimal:
        return sum((c.score or Decimal("0") for c in self.chosen), Decimal("0"))

    @property
    def pks(self) -> list[int]:
        return [c.pk for c in self.chosen]


@dataclass
class Outcome:
    """The optimal selection (None when the constraints cannot be met, with the
    reasons in ``problems``), the greedy one, and the proposals left out with why."""

    capacity: Decimal  # what the selection must fit in: the headroom, never below 0
    candidates: list[Candidate]  # every one, in ranking order
    eligible: list[Candidate]
    left_out: list[tuple[Candidate, str]]
    optimal: Selection | None
    greedy: Selection
    proven: bool  # the solver proved the optimum within its time limit
    problems: list[str]
    seconds: float
    time_limit: float

    @property
    def difference(self) -> Decimal | None:
        return None if self.optimal is None else self.optimal.score - self.greedy.score

    @property
    def remaining(self) -> Decimal | None:
        return None if self.optimal is None else self.capacity - self.optimal.cost

    @property
    def greedy_remaining(self) -> Decimal:
        return self.capacity - self.greedy.cost

    def rows(self) -> list["Row"]:
        """Every candidate in ranking order: in the optimum, in the greedy choice, or
        left out and why."""
        optimal = set(self.optimal.pks) if self.optimal else set()
        greedy = set(self.greedy.pks)
        why = {c.pk: reason for c, reason in self.left_out}
        return [Row(c, c.pk in optimal, c.pk in greedy, why.get(c.pk, "")) for c in self.candidates]


@dataclass(frozen=True)
class Row:
    candidate: Candidate
    optimal: bool
    greedy: bool
    left_out: str


def eligibility(
    candidates: Iterable[Candidate], constraints: Constraints
) -> tuple[list[Candidate], list[tuple[Candidate, str]]]:
    """The candidates the solver may choose, and the others with the reason."""
    eligible, left_out = [], []
    for c in candidates:
        if c.score is None:
            left_out.append((c, _("no weighted score yet: not every criterion is scored")))
        elif c.pk in constraints.exclude:
            left_out.append((c, _("must be left out")))
        elif constraints.above_threshold_only and not c.recommended:
            left_out.append((c, _("below the threshold")))
        else:
            eligible.append(c)
    return eligible, left_out


def _model(
    eligible: list[Candidate], constraints: Constraints, capacity: int
) -> tuple[cp_model.CpModel, list[cp_model.IntVar], list[Group]]:
    """The integer program: one boolean per eligible proposal; each constraint group
    enforced by its own literal, so that an infeasible model can name its groups."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{c.pk}") for c in eligible]
    groups: list[Group] = []

    def group(kind: str, key: str, expression, bound: int, at_least: bool) -> None:
        literal = model.new_bool_var(f"{kind}:{key}")
        if at_least:
            model.add(expression >= bound).only_enforce_if(literal)
        else:
            model.add(expression <= bound).only_enforce_if(literal)
        groups.append(Group(kind, key, bound, literal))

    group("budget", "", sum(c.cents * v for c, v in zip(eligible, x, strict=True)), capacity, False)
    included = [v for c, v in zip(eligible, x, strict=True) if c.pk in constraints.include]
    if included:
        group("include", "", sum(included), len(included), True)
    for number_, minimum in sorted(constraints.min_per_priority.items()):
        under = [v for c, v in zip(eligible, x, strict=True) if number_ in c.priorities]
        group("min", number_, sum(under), minimum, True)
    for number_, maximum in sorted(constraints.max_per_format.items()):
        of = [v for c, v in zip(eligible, x, strict=True) if c.format == number_]
        group("max", number_, sum(of), maximum, False)
    model.maximize(sum(c.points * v for c, v in zip(eligible, x, strict=True)))
    return model, x, groups


def _solver(seconds: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    return solver


def suggest(
    candidates: Iterable[Candidate],
    constraints: Constraints,
    capacity: Decimal,
    *,
    time_limit: float = 10.0,
    workers: int = 2,
) -> Outcome:
    """The best selection within ``capacity`` under ``constraints``, and the greedy one."""
    started = time.perf_counter()
    candidates = list(candidates)
    capacity = max(capacity, Decimal("0"))
    eligible, left_out = eligibility(candidates, constraints)
    cap = _scaled(capacity)
    greedy_choice = greedy(eligible, constraints, capacity)
    problems = explain(candidates, eligible, constraints, capacity)
    optimal, proven = None, False
    if not problems and not (
        constraints.include or constraints.min_per_priority or constraints.max_per_format
    ):
        # The budget alone: CP-SAT's own dynamic programme, run here in a few ms.
        taken = knapsack.solve([c.cents for c in eligible], [c.points for c in eligible], cap)
        if taken is not None:
            optimal = Selection([c for c, t in zip(eligible, taken, strict=True) if t])
            proven = True
    if not problems and optimal is None:
        model, x, groups = _model(eligible, constraints, cap)
        for g in groups:
            model.add(g.literal == 1)  # every group holds: presolve removes the literals
        solver = _solver(time_limit, workers)
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = [c for c, v in zip(eligible, x, strict=True) if solver.boolean_value(v)]
            optimal = Selection(chosen)
            proven = status == cp_model.OPTIMAL
        elif status == cp_model.INFEASIBLE:
            remaining = max(time_limit - (time.perf_counter() - started), 1.0)
            problems = groups_in_conflict(
                lambda: _model(eligible, constraints, cap), capacity, remaining
            )
        else:
            problems = [
                _(
                    "No selection meeting the constraints was found within %(s)s seconds. "
                    "Loosen a constraint or try again."
                )
                % {"s": number(time_limit)}
            ]
    return Outcome(
        capacity,
        candidates,
        eligible,
        left_out,
        optimal,
        greedy_choice,
        proven,
        problems,
        time.perf_counter() - started,
        time_limit,
    )


def _per_euro(c: Candidate) -> tuple:
    # Best score per euro first; a proposal that costs nothing comes before any other.
    ratio = Fraction(c.points, c.cents) if c.cents else None
    return (ratio is not None, -(ratio or 0), -c.points, c.pk)


def greedy(eligible: list[Candidate], constraints: Constraints, capacity: Decimal) -> Selection:
    """The greedy choice the optimum is compared with: the must-includes, then the
    best score per euro under each priority still short of its minimum, then the best
    score per euro of the rest, each taken when it fits the budget left and the
    format maxima. It may miss a constraint the optimum meets (``unmet`` says which)."""
    cap = _scaled(capacity)
    order = sorted(eligible, key=_per_euro)
    chosen: list[Candidate] = []
    taken: set[int] = set()
    spent = 0
    per_format: dict[str, int] = {}

    def take(c: Candidate, forced: bool = False) -> bool:
        nonlocal spent
        maximum = constraints.max_per_format.get(c.format or "")
        room = maximum is None or per_format.get(c.format or "", 0) < maximum
        if c.pk in taken or not (forced or (spent + c.cents <= cap and room)):
            return False
        chosen.append(c)
        taken.add(c.pk)
        spent += c.cents
        if c.format:
            per_format[c.format] = per_format.get(c.format, 0) + 1
        return True

    for c in order:
        if c.pk in constraints.include:
            take(c, forced=True)
    for priority, minimum in sorted(constraints.min_per_priority.items()):
        have = sum(1 for c in chosen if priority in c.priorities)
        for c in order:
            if have >= minimum:
                break
            if priority in c.priorities and take(c):
                have += 1
    for c in order:
        take(c)
    rank = {c.pk: n for n, c in enumerate(eligible)}
    chosen.sort(key=lambda c: rank[c.pk])
    return Selection(chosen, unmet(chosen, constraints, capacity))


def unmet(chosen: list[Candidate], constraints: Constraints, capacity: Decimal) -> list[str]:
    """The constraints a selection does not meet, in words."""
    missing = []
    cost = sum((c.cost for c in chosen), Decimal("0"))
    if cost > capacity:
        missing.append(
            _("It costs %(c)s EUR, more than the %(r)s EUR left.")
            % {"c": number(cost, 0), "r": number(capacity, 0)}
        )
    pks = {c.pk for c in chosen}
    left = sorted(constraints.include - pks)
    if left:
        missing.append(_("It leaves out must-include proposals."))
    for priority, minimum in sorted(constraints.min_per_priority.items()):
        have = sum(1 for c in chosen if priority in c.priorities)
        if have < minimum:
            missing.append(
                ngettext(
                    "It has %(n)s proposal under priority %(p)s, fewer than the %(k)s asked.",
                    "It has %(n)s proposals under priority %(p)s, fewer than the %(k)s asked.",
                    have,
                )
                % {"n": have, "p": priority, "k": minimum}
            )
    for format_, maximum in sorted(constraints.max_per_format.items()):
        have = sum(1 for c in chosen if c.format == format_)
        if have > maximum:
            missing.append(
                _("It has %(n)s proposals of format %(f)s, more than the %(m)s allowed.")
                % {"n": have, "f": format_, "m": maximum}
            )
    return missing
