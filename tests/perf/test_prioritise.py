"""Suggest a programme within budget at 500 proposals with balance constraints: the
solver alone (target under 2 s, the optimum proven) on seeded random years, and the
whole service over 500 proposals in the database (reading the ranking's scores,
then solving). Prints the figures.

Run with ``RUN_PERF=1 pytest -m perf -s tests/perf/test_prioritise.py``.
"""

import datetime as dt
import os
import random
import statistics
import time
from decimal import Decimal

import pytest

from proposals.prioritise import Candidate, Constraints, suggest

pytestmark = [
    pytest.mark.perf,
    pytest.mark.skipif(os.environ.get("RUN_PERF") != "1", reason="benchmark: set RUN_PERF=1"),
]

SIZE = 500
TARGET_SECONDS = 2.0
PRIORITIES = ["3.1", "3.2", "3.3", "3.4"]
FORMATS = [None, "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8", "4.9"]


def _year(seed: int) -> tuple[list[Candidate], Constraints, Decimal]:
    rng = random.Random(seed)
    candidates = [
        Candidate(
            pk=pk,
            reference=f"PR-2018-{pk:04d}",
            title=f"Proposal {pk}",
            cost=Decimal(rng.randrange(5_000, 120_000, 250)),
            score=Decimal(rng.randrange(1_000, 3_500)) / 100,
            recommended=rng.random() < 0.7,
            priorities=tuple(rng.sample(PRIORITIES, rng.choice([1, 1, 2]))),
            format=rng.choice(FORMATS),
        )
        for pk in range(1, SIZE + 1)
    ]
    recommended = [c.pk for c in candidates if c.recommended]
    include = rng.sample(recommended, 5)
    constraints = Constraints(
        min_per_priority=dict.fromkeys(PRIORITIES, 8),
        max_per_format={f: 12 for f in FORMATS if f},
        include=frozenset(include),
        exclude=frozenset(rng.sample([pk for pk in recommended if pk not in include], 20)),
        above_threshold_only=seed % 2 == 0,
    )
    total = sum((c.cost for c in candidates), Decimal(0))
    return candidates, constraints, (total * Decimal("0.15")).quantize(Decimal("1"))


def test_500_proposals_with_balance_constraints_solve_in_under_2_seconds():
    timings, gaps = [], []
    for seed in range(10):
        candidates, constraints, capacity = _year(seed)
        outcome = suggest(candidates, constraints, capacity, time_limit=10)
        assert outcome.optimal is not None, outcome.problems
        assert outcome.proven
        assert outcome.optimal.cost <= capacity
        assert outcome.optimal.score >= outcome.greedy.score or outcome.greedy.unmet
        timings.append(outcome.seconds)
        gaps.append(outcome.difference)
        print(
            f"seed {seed}: {len(outcome.eligible)} eligible, {len(outcome.optimal.chosen)} chosen,"
            f" score {outcome.optimal.score} vs greedy {outcome.greedy.score}"
            f" (+{outcome.difference}), {outcome.seconds:.3f} s"
        )
    print(
        f"solver, {SIZE} proposals, 10 years: median {statistics.median(timings):.3f} s,"
        f" max {max(timings):.3f} s; gain over greedy median {statistics.median(gaps)}"
    )
    assert max(timings) < TARGET_SECONDS


@pytest.mark.django_db
def test_the_service_over_500_proposals_in_the_database(programme, secretariat, pc_fr, expert):
    from activities.models import AnnualProgramme
    from programme.models import MemberState
    from proposals import services
    from proposals.models import Assessment, CriterionScore, Proposal, Support
    from proposals.selectors import scored_criteria

    AnnualProgramme.objects.create(
        work_programme=programme, year=2018, budget_ceiling=Decimal("6000000")
    )
    rng = random.Random(1)
    fr = MemberState.objects.get(code="FR")
    de = MemberState.objects.get(code="DE")
    priorities = list(programme.priorities.all())
    formats = [None, *programme.formats.all()]
    proposals = Proposal.objects.bulk_create(
        Proposal(
            reference=f"PR-2018-{n:04d}",
            work_programme=programme,
            member_state=fr,
            proposer=pc_fr,
            title=f"Generated proposal {n}",
            start_date=dt.date(2018, 1, 1),
            end_date=dt.date(2018, 12, 31),
            estimated_cost=Decimal(rng.randrange(5_000, 120_000, 250)),
            route=Proposal.Route.ANNUAL,
            year=2018,
            status=Proposal.Status.UNDER_ASSESSMENT,
            permanent_format=rng.choice(formats),
        )
        for n in range(1, SIZE + 1)
    )
    through = Proposal.thematic_priorities.through
    through.objects.bulk_create(
        through(proposal_id=p.pk, thematicpriority_id=t.pk)
        for p in proposals
        for t in rng.sample(priorities, rng.choice([1, 1, 2]))
    )
    Support.objects.bulk_create(Support(proposal=p, member_state=de) for p in proposals)
    assessments = Assessment.objects.bulk_create(
        Assessment(proposal=p, assessor=expert, status=Assessment.Status.SUBMITTED)
        for p in proposals
    )
    criteria = list(scored_criteria(proposals[0]))
    CriterionScore.objects.bulk_create(
        CriterionScore(assessment=a, criterion=c, score=Decimal(rng.randrange(4, 11)) / 2)
        for a in assessments
        for c in criteria
    )
    constraints = {
        "min_per_priority": {p.number: 8 for p in priorities},
        "max_per_format": {f.number: 12 for f in formats if f},
    }
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        suggestion = services.prioritise(actor=secretariat, year=2018, **constraints)
        timings.append(time.perf_counter() - started)
    outcome = suggestion.outcome
    assert len(outcome.candidates) == SIZE
    assert outcome.optimal is not None and outcome.proven, outcome.problems
    print(
        f"service, {SIZE} proposals in the database ({len(outcome.eligible)} eligible): whole request median {statistics.median(timings):.3f} s, solver"
        f" {outcome.seconds:.3f} s; {len(outcome.optimal.chosen)} chosen, score"
        f" {outcome.optimal.score} vs greedy {outcome.greedy.score}"
    )
    assert outcome.seconds < TARGET_SECONDS
