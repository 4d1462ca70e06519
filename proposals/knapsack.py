"""The budget alone (no balance constraint): a 0/1 knapsack solved exactly by dynamic
programming over the amounts, in a few milliseconds where CP-SAT spends a large part
of a request on the same computation.

CP-SAT's presolve solves such a model by this very dynamic programme (its
``BasicKnapsackSolver``: "independent linear: solved by DP" in its log), allocating a
state of 16 bytes per proposal and amount. This module walks the same states in the
same order with numpy arrays and breaks ties as it does, so its selection is CP-SAT's
(``tests/proposals/test_knapsack.py`` compares them on years full of ties):

- the amounts are counted in units of the greatest common divisor of the costs;
- proposals are added in the given order (the ranking's); at each amount, taking the
  proposal wins over leaving it out when both reach the same score;
- of the amounts reaching the best score, the smallest is kept, and the choices are
  read back from the last proposal to the first.

Where CP-SAT would not use its dynamic programme (an amount too large for it, a
proposal scoring 0), ``solve`` answers None and the caller asks CP-SAT.
"""

from collections.abc import Sequence
from math import gcd

import numpy as np

# CP-SAT's limits for its dynamic programme (BasicKnapsackSolver::Solve): at most 10^6
# amounts, at most 10^8 units of work (proposals x amounts x 2 values).
MOST_AMOUNTS = 10**6
MOST_WORK = 10**8
FEWEST = 3
UNREACHED = -(2**62)


def solve(cents: Sequence[int], points: Sequence[int], capacity: int) -> list[bool] | None:
    """Which proposals (costs ``cents``, scores ``points``, in ranking order) to take
    for the highest total score within ``capacity`` cents; None when the answer
    should come from CP-SAT."""
    if any(p <= 0 for p in points) or any(c < 0 for c in cents) or capacity < 0:
        return None
    # A proposal that costs nothing is taken (it is in the objective alone); the
    # budget constraint is over the others.
    paid = [i for i, c in enumerate(cents) if c > 0]
    taken = [c == 0 for c in cents]
    if sum(cents[i] for i in paid) <= capacity:  # everything fits: the only optimum
        return [True] * len(cents)
    # With fewer proposals that fit, CP-SAT's presolve solves the model by other rules
    # (and breaks ties otherwise): so few are for CP-SAT, as fast there.
    if sum(1 for i in paid if cents[i] <= capacity) < FEWEST:
        return None
    unit = 0
    for i in paid:
        unit = gcd(unit, cents[i])
    amounts = capacity // unit + 1
    if amounts - 1 > MOST_AMOUNTS or len(paid) * amounts * 2 > MOST_WORK:
        return None
    # best[a]: the highest score of the proposals so far costing exactly a units, or
    # below UNREACHED - 1 when none does (adding scores keeps it far below 0);
    # took[k][a]: whether the k-th paid proposal is in that selection.
    best = np.full(amounts, UNREACHED, dtype=np.int64)
    best[0] = 0
    took = np.zeros((len(paid), amounts), dtype=np.bool_)
    for k, i in enumerate(paid):
        cost = cents[i] // unit
        if cost >= amounts:
            continue  # never fits
        with_it = best[: amounts - cost] + points[i]
        after = best[cost:]
        # Ties go to taking it (CP-SAT meets that state first and keeps it).
        np.greater_equal(with_it, after, out=took[k, cost:])
        np.maximum(after, with_it, out=after)
    amount = int(np.argmax(best))  # the first, smallest amount of the best score
    for k in range(len(paid) - 1, -1, -1):
        if took[k, amount]:
            taken[paid[k]] = True
            amount -= cents[paid[k]] // unit
    return taken
