"""The solver of "Suggest a programme within budget": exact optimum under the balance
constraints, the greedy comparison, and infeasible constraints explained. No database:
candidates are built by hand."""

import itertools
import random
from decimal import Decimal

import pytest
from ortools.sat.python import cp_model

from proposals import prioritise
from proposals.prioritise import Candidate, Constraints, greedy, suggest

D = Decimal


def cand(pk, cost, score, priorities=("3.1",), fmt=None, recommended=True):
    return Candidate(
        pk=pk,
        reference=f"PR-2018-{pk:04d}",
        title=f"Proposal {pk}",
        cost=D(cost),
        score=None if score is None else D(score),
        recommended=recommended,
        priorities=tuple(priorities),
        format=fmt,
    )


# The classic case where the best score per euro is not the best programme: A has the
# best ratio but leaves no room for B and C, which together score far more.
A = cand(1, "60000", "36.00", ("3.1",), "4.1")
B = cand(2, "50000", "29.50", ("3.2",), "4.2")
C = cand(3, "50000", "29.25", ("3.3",), "4.2")


def test_the_optimum_beats_the_greedy_choice_when_score_per_euro_misleads():
    outcome = suggest([A, B, C], Constraints(), D("100000"))
    assert outcome.greedy.pks == [1]
    assert outcome.optimal.pks == [2, 3]
    assert outcome.optimal.score == D("58.75")
    assert outcome.difference == D("22.75")
    assert outcome.remaining == D("0")
    assert outcome.proven
    assert outcome.problems == []


def test_the_optimum_equals_greedy_when_everything_fits():
    outcome = suggest([A, B, C], Constraints(), D("160000"))
    assert outcome.optimal.pks == outcome.greedy.pks == [1, 2, 3]
    assert outcome.difference == 0


def test_scores_and_costs_with_cents_are_compared_exactly():
    # 0.01 of score and 1 cent of cost decide: scaled to integers without rounding.
    x = cand(1, "100.01", "10.01")
    y = cand(2, "100.00", "10.00")
    assert suggest([x, y], Constraints(), D("100.00")).optimal.pks == [2]
    assert suggest([x, y], Constraints(), D("100.01")).optimal.pks == [1]


def test_more_than_two_decimals_is_refused_rather_than_rounded():
    with pytest.raises(ValueError):
        assert cand(1, "1.005", "1").cents


def test_a_minimum_per_priority_is_met_even_at_a_lower_total():
    outcome = suggest([A, B, C], Constraints(min_per_priority={"3.1": 1}), D("110000"))
    assert outcome.optimal.pks == [1, 2]
    assert 1 in outcome.optimal.pks


def test_a_maximum_per_format_is_kept():
    outcome = suggest([A, B, C], Constraints(max_per_format={"4.2": 1}), D("200000"))
    assert outcome.optimal.pks == [1, 2]
    assert sum(1 for c in outcome.optimal.chosen if c.format == "4.2") == 1


def test_must_include_and_must_exclude_are_obeyed():
    outcome = suggest(
        [A, B, C], Constraints(include=frozenset({1}), exclude=frozenset({2})), D("110000")
    )
    assert outcome.optimal.pks == [1, 3]
    assert (B, "must be left out") in outcome.left_out
    assert 2 not in outcome.greedy.pks


def test_only_above_threshold_leaves_out_the_others():
    low = cand(4, "1000", "40.00", recommended=False)
    outcome = suggest([A, low], Constraints(above_threshold_only=True), D("100000"))
    assert outcome.optimal.pks == [1]
    assert outcome.left_out == [(low, "below the threshold")]
    assert suggest([A, low], Constraints(), D("100000")).optimal.pks == [1, 4]


def test_a_proposal_without_a_weighted_score_is_left_out_and_listed():
    unscored = cand(5, "1000", None)
    outcome = suggest([A, unscored], Constraints(), D("100000"))
    assert outcome.optimal.pks == [1]
    assert outcome.left_out[0][0] == unscored
    assert "no weighted score yet" in outcome.left_out[0][1]
    assert [r.left_out != "" for r in outcome.rows()] == [False, True]


def test_nothing_fits_when_the_programme_is_already_over_its_ceiling():
    outcome = suggest([A, B], Constraints(), D("-27000"))
    assert outcome.capacity == 0
    assert outcome.optimal.pks == [] and outcome.greedy.pks == []


def test_a_free_proposal_is_taken_first_by_greedy():
    free = cand(6, "0", "1.00")
    assert greedy([A, free], Constraints(), D("0")).pks == [6]


def test_greedy_fills_a_priority_minimum_first_and_says_what_it_misses():
    # Greedy takes the cheapest route to 3.3 first, then what fits.
    choice = greedy([A, B, C], Constraints(min_per_priority={"3.3": 1}), D("100000"))
    assert choice.pks == [2, 3]
    assert choice.unmet == []
    missed = greedy([A, B], Constraints(min_per_priority={"3.3": 1}), D("100000"))
    assert missed.unmet == ["It has 0 proposals under priority 3.3, fewer than the 1 asked."]


# --- infeasible constraints explain themselves ------------------------------------------


def problems(constraints, capacity="100000", candidates=(A, B, C)):
    outcome = suggest(list(candidates), constraints, D(capacity))
    assert outcome.optimal is None
    return outcome.problems


def test_a_proposal_both_included_and_excluded_is_named():
    assert problems(Constraints(include=frozenset({2}), exclude=frozenset({2}))) == [
        "The must-include and the must-exclude lists both name PR-2018-0002."
    ]


def test_must_includes_above_the_budget_left_say_what_they_cost():
    assert problems(Constraints(include=frozenset({1, 2}))) == [
        "The must-include proposals cost 110,000 EUR, more than the 100,000 EUR left."
    ]


def test_a_minimum_above_the_eligible_proposals_is_named():
    assert problems(Constraints(min_per_priority={"3.2": 2})) == [
        "Priority 3.2 asks for at least 2 selected, but only 1 eligible proposal is under it."
    ]


def test_a_minimum_the_budget_cannot_pay_is_named():
    assert problems(Constraints(min_per_priority={"3.1": 1}), capacity="50000") == [
        "The cheapest eligible proposal under priority 3.1 costs 60,000 EUR, "
        "more than the 50,000 EUR left."
    ]


def test_a_minimum_the_format_maxima_forbid_is_named():
    both = [B, C, cand(7, "1", "1", ("3.2",), "4.2")]
    assert problems(
        Constraints(min_per_priority={"3.2": 2}, max_per_format={"4.2": 1}), candidates=both
    ) == [
        "Priority 3.2 asks for at least 2 selected, but the format maxima let only 1 "
        "of its proposals in."
    ]


def test_must_includes_above_a_format_maximum_are_named():
    assert problems(Constraints(include=frozenset({2, 3}), max_per_format={"4.2": 1})) == [
        "The must-include list names 2 proposals of format 4.2 (PR-2018-0002, "
        "PR-2018-0003), more than the 1 allowed."
    ]


def test_a_must_include_without_score_or_below_threshold_is_named():
    unscored = cand(8, "1", None)
    low = cand(9, "1", "1", recommended=False)
    found = problems(
        Constraints(include=frozenset({8, 9}), above_threshold_only=True),
        candidates=(A, unscored, low),
    )
    assert found == [
        "PR-2018-0008 must be included but has no weighted score yet.",
        "PR-2018-0009 must be included but is below the threshold, and only proposals "
        "above it may be chosen.",
    ]


def test_constraints_that_fail_only_together_are_named_by_the_solver():
    # Each minimum alone fits in 100,000; 3.1 (A, 60,000) with either of the others
    # (50,000) does not. The smallest conflicting set is named: the budget, 3.1 and
    # one other minimum; not the third minimum, nor the unrelated format maximum.
    found = problems(
        Constraints(min_per_priority={"3.1": 1, "3.2": 1, "3.3": 1}, max_per_format={"4.9": 0})
    )
    assert found in (
        [
            "These constraints cannot all be met together: the budget left, 100,000 EUR; "
            f"at least 1 proposal under priority 3.1; at least 1 proposal under priority {p}."
        ]
        for p in ("3.2", "3.3")
    )


BALANCED = Constraints(max_per_format={"4.1": 1})


def test_a_solver_stopped_by_its_time_limit_says_the_optimum_is_not_proven(monkeypatch):
    class Stopped(cp_model.CpSolver):
        def solve(self, model, *args):
            super().solve(model, *args)
            return cp_model.FEASIBLE

    monkeypatch.setattr(prioritise.cp_model, "CpSolver", Stopped)
    # A balance constraint, so that CP-SAT is asked (the budget alone is solved by
    # proposals.knapsack, always to the proven optimum).
    outcome = suggest([A, B, C], BALANCED, D("100000"), time_limit=1)
    assert outcome.optimal is not None
    assert not outcome.proven


def test_no_solution_within_the_time_limit_is_said(monkeypatch):
    monkeypatch.setattr(prioritise.cp_model.CpSolver, "solve", lambda self, m: cp_model.UNKNOWN)
    outcome = suggest([A, B, C], BALANCED, D("100000"), time_limit=3)
    assert outcome.optimal is None
    assert outcome.problems == [
        "No selection meeting the constraints was found within 3 seconds. "
        "Loosen a constraint or try again."
    ]


# --- against brute force ----------------------------------------------------------------


def _best_by_brute_force(candidates, constraints, capacity):
    best = None
    for size in range(len(candidates) + 1):
        for chosen in itertools.combinations(candidates, size):
            if not prioritise.unmet(list(chosen), constraints, capacity):
                score = sum((c.score for c in chosen), D(0))
                best = score if best is None or score > best else best
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_optimum_matches_brute_force_on_random_years(seed):
    rng = random.Random(seed)
    candidates = [
        cand(
            pk,
            f"{rng.randrange(5, 60) * 1000}",
            f"{rng.randrange(1000, 4000) / 100:.2f}",
            rng.sample(["3.1", "3.2", "3.3", "3.4"], rng.randint(1, 2)),
            rng.choice([None, "4.1", "4.2"]),
        )
        for pk in range(1, 11)
    ]
    constraints = Constraints(
        min_per_priority={"3.1": rng.randint(0, 2), "3.4": rng.randint(0, 2)},
        max_per_format={"4.2": rng.randint(0, 2)},
    )
    capacity = D(rng.randrange(40, 200) * 1000)
    outcome = suggest(candidates, constraints, capacity)
    best = _best_by_brute_force(candidates, constraints, capacity)
    if best is None:
        assert outcome.optimal is None and outcome.problems
        return
    assert outcome.optimal.score == best
    assert outcome.optimal.cost <= capacity
    assert prioritise.unmet(outcome.optimal.chosen, constraints, capacity) == []
    if not outcome.greedy.unmet:
        assert outcome.optimal.score >= outcome.greedy.score


def test_must_includes_with_a_minimum_above_the_budget_are_named():
    assert problems(Constraints(include=frozenset({1}), min_per_priority={"3.2": 1})) == [
        "The must-include proposals with the cheapest ones that make up the minimum of 1 "
        "under priority 3.2 cost 110,000 EUR, more than the 100,000 EUR left."
    ]
