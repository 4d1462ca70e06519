"""The budget alone is solved by ``proposals.knapsack``: CP-SAT's own dynamic programme,
so the selection is CP-SAT's, ties included; CP-SAT still answers whenever a balance
constraint is set or its presolve would not use that programme. No database."""

import random
from decimal import Decimal

import pytest
from ortools.sat.python import cp_model

from proposals import knapsack, prioritise
from proposals.prioritise import Candidate, Constraints, suggest


def cpsat(cents: list[int], points: list[int], capacity: int) -> list[bool]:
    """The model ``prioritise`` gives CP-SAT under the budget alone."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(cents))]
    literal = model.new_bool_var("budget:")
    model.add(sum(c * v for c, v in zip(cents, x, strict=True)) <= capacity).only_enforce_if(
        literal
    )
    model.maximize(sum(p * v for p, v in zip(points, x, strict=True)))
    model.add(literal == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    assert solver.solve(model) == cp_model.OPTIMAL
    return [bool(solver.boolean_value(v)) for v in x]


def year(rng: random.Random) -> tuple[list[int], list[int], int]:
    """A year full of ties: few distinct costs and scores, so many selections reach
    the best total and only the way ties are broken decides between them."""
    n = rng.choice([3, 4, 6, 10, 40, 150])
    costs = rng.choice([[1, 2, 3], [500, 1000, 1500, 2000], list(range(1, 30))])
    scores = rng.choice([[1, 2], [5, 6, 7], list(range(1, 40)), [100]])
    scale = rng.choice([1, 100, 50_000])
    cents = [rng.choice(costs) * scale for _ in range(n)]
    if rng.random() < 0.2:
        cents[rng.randrange(n)] = 0
    points = [rng.choice(scores) for _ in range(n)]
    return cents, points, int(sum(cents) * rng.choice([0.1, 0.3, 0.5, 0.8, 0.95]))


def test_the_selection_is_cp_sats_ties_included():
    rng = random.Random(17)
    compared = 0
    for _ in range(300):
        cents, points, capacity = year(rng)
        taken = knapsack.solve(cents, points, capacity)
        if taken is None:
            continue
        compared += 1
        assert taken == cpsat(cents, points, capacity), (cents, points, capacity)
    assert compared > 200


def test_identical_proposals_the_later_is_taken_as_cp_sat_does():
    # Three alike, room for two: a tie CP-SAT's programme breaks towards the later ones.
    assert knapsack.solve([100, 100, 100], [5, 5, 5], 200) == [False, True, True]
    assert cpsat([100, 100, 100], [5, 5, 5], 200) == [False, True, True]


def test_of_equal_totals_the_cheaper_selection_is_kept():
    # The first two (300) and the third (400) both score 10: the smaller amount wins.
    assert knapsack.solve([100, 200, 400], [4, 6, 10], 400) == [True, True, False]
    assert cpsat([100, 200, 400], [4, 6, 10], 400) == [True, True, False]


def test_what_cp_sat_would_not_solve_by_its_programme_is_left_to_it():
    assert knapsack.solve([100, 200, 300], [0, 6, 10], 300) is None  # a score of 0
    assert knapsack.solve([100, 250, 300], [1, 6, 10], 260) is None  # two fit
    millions = [1, 3 * 10**6, 3 * 10**6, 3 * 10**6]
    assert knapsack.solve(millions, [1, 1, 1, 1], 5 * 10**6) is None  # too many amounts
    assert knapsack.solve([1, 2, 3], [1, 1, 1], 10) == [True, True, True]  # all fit


def cand(pk: int, cost: int, score: str) -> Candidate:
    return Candidate(pk, f"PR-{pk}", f"P{pk}", Decimal(cost), Decimal(score), True)


def test_suggest_answers_the_budget_alone_without_cp_sat(monkeypatch):
    candidates = [cand(pk, 10_000 * (pk % 4 + 1), f"{10 + pk % 3}.25") for pk in range(1, 60)]
    expected = suggest(candidates, Constraints(), Decimal("300000"))  # with the programme

    class NoSolver:
        def __init__(self):
            raise AssertionError("CP-SAT asked")

    monkeypatch.setattr(prioritise.cp_model, "CpSolver", NoSolver)
    outcome = suggest(candidates, Constraints(), Decimal("300000"))
    assert outcome.optimal.pks == expected.optimal.pks
    assert outcome.proven
    monkeypatch.setattr(prioritise.knapsack, "solve", lambda *args: None)
    with pytest.raises(AssertionError, match="CP-SAT asked"):
        suggest(candidates, Constraints(), Decimal("300000"))


def test_suggest_under_the_budget_alone_matches_cp_sat(monkeypatch):
    rng = random.Random(5)
    candidates = [
        cand(pk, rng.choice([5_000, 10_000, 15_000]), rng.choice(["12.50", "14.00", "14.25"]))
        for pk in range(1, 120)
    ]
    fast = suggest(candidates, Constraints(), Decimal("400000"))
    monkeypatch.setattr(prioritise.knapsack, "solve", lambda *args: None)
    slow = suggest(candidates, Constraints(), Decimal("400000"))
    assert fast.optimal.pks == slow.optimal.pks
    assert fast.optimal.score == slow.optimal.score


def test_a_balance_constraint_is_cp_sats(monkeypatch):
    asked = []
    monkeypatch.setattr(prioritise.knapsack, "solve", lambda *args: asked.append(args))
    candidates = [cand(pk, 10_000, "10.00") for pk in range(1, 6)]
    outcome = suggest(candidates, Constraints(include=frozenset({1})), Decimal("30000"))
    assert 1 in outcome.optimal.pks
    assert asked == []
