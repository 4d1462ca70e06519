"""A 2017 for the prioritisation tests: a 500,000 ceiling with 400,000 committed
(100,000 left), and proposals under assessment whose best score per euro is not
the best programme."""

from decimal import Decimal

import pytest

from proposals import services
from tests.proposals.factories import assigned, full_scores, over_ceiling_2017

D = Decimal


def scored(personas, programme, *, title, cost, score, priority, fmt=None):
    """A French proposal for 2017, supported by Germany, every criterion at ``score``."""
    extra = {"permanent_format": programme.formats.get(number=fmt)} if fmt else {}
    proposal, assessment = assigned(
        personas["pc_fr"],
        personas["secretariat"],
        personas["expert"],
        programme,
        title=title,
        estimated_cost=D(cost),
        thematic_priorities=[programme.priorities.get(number=priority)],
        **extra,
    )
    services.support_add(proposal=proposal, actor=personas["pc_de"])
    if score is not None:
        services.assessment_save(
            assessment=assessment,
            actor=personas["expert"],
            scores=full_scores(proposal, score=D(score)),
            submit=True,
        )
    proposal.refresh_from_db()
    return proposal


@pytest.fixture(name="year")
def year_fixture(personas, programme, states):
    """P1 (60,000, 35.00, 3.1, format 4.1) has the best score per euro; P2 and P3
    (50,000, 28.00, 3.2 and 3.3, format 4.2) score more together; P4 scores 21.00,
    below the threshold; P5 has no score yet."""
    over_ceiling_2017(programme, personas["secretariat"], states, committed="400000")
    return {
        "p1": scored(personas, programme, title="One", cost="60000", score="5", priority="3.1", fmt="4.1"),
        "p2": scored(personas, programme, title="Two", cost="50000", score="4", priority="3.2", fmt="4.2"),
        "p3": scored(personas, programme, title="Three", cost="50000", score="4", priority="3.3", fmt="4.2"),
        "p4": scored(personas, programme, title="Four", cost="45000", score="3", priority="3.4"),
        "p5": scored(personas, programme, title="Five", cost="1000", score=None, priority="3.4"),
    }  # fmt: skip
