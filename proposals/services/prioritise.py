"""Suggest a programme within budget (issue 16): the year's ranking, its committed
budget and ceiling, and the Secretariat's balance constraints, handed to the solver
of ``proposals.prioritise``. It changes nothing, so it records nothing.

The candidates are exactly the ranking's rows for the same user (the same
``year_ranking.ranking``, the same scores and "recommended" verdict), the budget
exactly the ranking's ``year_ranking.year_budget``: one rule in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pompidou.errors import DomainError
from pompidou.listing import cached_result, cached_value
from pompidou.rules import require
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from .. import permissions, year_ranking
from ..prioritise import Candidate, Constraints, Outcome, suggest
from ..year_ranking import RankedProposal, YearBudget


@dataclass
class Suggestion:
    """What the page and the API show: the year's budget, the outcome of the solver,
    the choices the constraints may name, and how many proposals the user cannot see."""

    year: int
    budget: YearBudget
    outcome: Outcome
    constraints: Constraints
    priorities: list[ThematicPriority] = field(default_factory=list)
    formats: list[PermanentFormat] = field(default_factory=list)
    withheld: int = 0


def work_programme_of(year: int) -> WorkProgramme | None:
    """The work programme whose years cover ``year`` (the one in force first)."""
    covering = WorkProgramme.objects.filter(first_year__lte=year, last_year__gte=year)
    return (
        covering.filter(status=WorkProgramme.Status.IN_FORCE).first()
        or covering.order_by("-first_year").first()
    )


def structure_of(
    wp: WorkProgramme | None,
) -> tuple[list[ThematicPriority], list[PermanentFormat]]:
    """The priorities and formats the constraints may name (2 queries)."""
    if wp is None:
        return [], []
    priorities = list(ThematicPriority.objects.filter(work_programme=wp).order_by("number"))
    formats = list(PermanentFormat.objects.filter(work_programme=wp).order_by("number"))
    return priorities, formats


def candidate(row: RankedProposal) -> Candidate:
    p = row.proposal
    return Candidate(
        pk=p.pk,
        reference=p.reference or "",
        title=p.title,
        cost=p.estimated_cost or Decimal("0"),  # as the ranking counts a proposal without a cost
        score=row.score.weighted_total,
        recommended=row.score.recommended,
        priorities=row.priorities,
        format=p.permanent_format.number if p.permanent_format else None,
        percentage=row.score.percentage,
    )


def year_candidates(year: int, budget: YearBudget, user: Any) -> list[Candidate]:
    """The year's ranking as ``user`` reads it, best score first (until the next write:
    a candidate reads no cumulative cost, so no budget either)."""
    qs, extra = year_ranking.ranking_inputs(year, user)
    return cached_result(
        "candidates",
        qs,
        lambda: [candidate(row) for row in year_ranking.ranking(year, budget, user)],
        extra,
    )


def _counts(
    values: Mapping[str, Any], known: list[str], what: str, errors: list[str]
) -> dict[str, int]:
    counts = {}
    for key, value in values.items():
        key = str(key).strip()
        if key not in known:
            errors.append(
                _("%(what)s %(key)s is not one of this programme's: %(known)s.")
                % {"what": what, "key": key, "known": ", ".join(known)}
            )
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.append(
                _("%(what)s %(key)s: give a whole number, 0 or more.") % {"what": what, "key": key}
            )
        else:
            counts[key] = value
    return counts


def _proposals(pks: Iterable[int], known: set[int], year: int, errors: list[str]):
    pks = frozenset(pks)
    unknown = sorted(pks - known)
    if unknown:
        errors.append(
            _(
                "Proposal %(ids)s is not one of the proposals under assessment for %(year)s "
                "that you may see."
            )
            % {"ids": ", ".join(map(str, unknown)), "year": year}
        )
    return pks


def constraints_for(
    year: int,
    candidates: list[Candidate],
    priorities: list[ThematicPriority],
    formats: list[PermanentFormat],
    given: Mapping[str, Any],
) -> Constraints:
    """The constraints checked against the year's programme and ranking; every
    problem reported at once, each under its field."""
    errors: dict[str, list[str]] = {
        "min_per_priority": [],
        "max_per_format": [],
        "include": [],
        "exclude": [],
    }
    known = {c.pk for c in candidates}
    constraints = Constraints(
        min_per_priority=_counts(
            given.get("min_per_priority") or {},
            [p.number for p in priorities],
            _("Thematic priority"),
            errors["min_per_priority"],
        ),
        max_per_format=_counts(
            given.get("max_per_format") or {},
            [f.number for f in formats],
            _("Format"),
            errors["max_per_format"],
        ),
        include=_proposals(given.get("include") or (), known, year, errors["include"]),
        exclude=_proposals(given.get("exclude") or (), known, year, errors["exclude"]),
        above_threshold_only=bool(given.get("above_threshold_only")),
    )
    if any(errors.values()):
        raise DomainError({name: msgs for name, msgs in errors.items() if msgs})
    return constraints


def prioritise(
    *,
    actor: Any,
    year: int,
    min_per_priority: Mapping[str, Any] | None = None,
    max_per_format: Mapping[str, Any] | None = None,
    include: Iterable[int] = (),
    exclude: Iterable[int] = (),
    above_threshold_only: bool = False,
) -> Suggestion:
    """The selection of the year's proposals under assessment that maximises the
    total weighted score within the budget left under the ceiling, under the given
    constraints, beside the greedy choice. Whoever reads the ranking may ask."""
    require(permissions.can_view_score(actor))
    wp = work_programme_of(year)
    if wp is None:
        raise DomainError(_("No work programme covers %(year)s.") % {"year": year}, field="year")
    budget = year_ranking.year_budget(year)
    if budget.ceiling is None:
        raise DomainError(
            _(
                "The annual programme %(year)s has no budget ceiling yet: set it on the "
                "annual programme's page first."
            )
            % {"year": year},
            field="year",
        )
    priorities, formats = structure_of(wp)
    candidates = year_candidates(year, budget, actor)
    constraints = constraints_for(
        year,
        candidates,
        priorities,
        formats,
        {
            "min_per_priority": min_per_priority,
            "max_per_format": max_per_format,
            "include": include,
            "exclude": exclude,
            "above_threshold_only": above_threshold_only,
        },
    )
    capacity = budget.headroom or Decimal("0")
    # The solver's answer is a function of these inputs (and of the language of its
    # reasons): the same question asked again is answered from the cache.
    outcome = cached_value(
        "prioritise",
        repr(
            (
                get_language(),
                candidates,
                constraints,
                capacity,
                settings.PRIORITISE_TIME_LIMIT_SECONDS,
            )
        ),
        lambda: suggest(
            candidates,
            constraints,
            capacity,
            time_limit=settings.PRIORITISE_TIME_LIMIT_SECONDS,
            workers=settings.PRIORITISE_SOLVER_WORKERS,
        ),
    )
    return Suggestion(
        year,
        budget,
        outcome,
        constraints,
        priorities,
        formats,
        year_ranking.ranking_withheld(year, actor),
    )
