"""The issue's check on the demo data (``load_demo``) for 2018: the suggestion stays
within budget, meets the balance constraints and beats or equals greedy; an
impossible constraint set explains itself."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from activities import services as activity_services
from activities.models import AnnualProgramme
from proposals import services, year_ranking
from proposals.prioritise import unmet

D = Decimal
BALANCE = {
    "min_per_priority": {"3.1": 1, "3.3": 1},
    "max_per_format": {"4.5": 1},
    "above_threshold_only": True,
}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
    return User.objects.get(username="secretariat")


def test_the_demo_2018_is_over_its_ceiling_so_nothing_more_is_suggested(demo):
    suggestion = services.prioritise(actor=demo, year=2018)
    budget = year_ranking.year_budget(2018)
    assert budget.over  # 527,000 committed against a 500,000 ceiling
    assert suggestion.outcome.capacity == 0
    assert suggestion.outcome.optimal.pks == [] == suggestion.outcome.greedy.pks
    # A minimum cannot be met then, and the page says why.
    impossible = services.prioritise(actor=demo, year=2018, **BALANCE).outcome
    assert impossible.optimal is None
    assert impossible.problems == [
        "The cheapest eligible proposal under priority 3.1 costs 28,000 EUR, "
        "more than the 0 EUR left.",
        "The cheapest eligible proposal under priority 3.3 costs 28,000 EUR, "
        "more than the 0 EUR left.",
    ]


def test_with_room_under_the_ceiling_the_2018_suggestion_meets_everything(demo):
    # load_demo takes a while: the ceilings are tried in turn on one load.
    for ceiling in ("560000", "600000", "610000", "700000"):
        activity_services.annual_programme_set_ceiling(
            annual_programme=AnnualProgramme.objects.get(year=2018),
            actor=demo,
            budget_ceiling=D(ceiling),
        )
        suggestion = services.prioritise(actor=demo, year=2018, **BALANCE)
        outcome = suggestion.outcome
        budget = year_ranking.year_budget(2018)
        assert outcome.capacity == budget.headroom == D(ceiling) - D("527000")
        assert outcome.optimal is not None, outcome.problems
        assert outcome.proven
        assert budget.committed + outcome.optimal.cost <= budget.ceiling
        assert unmet(outcome.optimal.chosen, suggestion.constraints, outcome.capacity) == []
        assert outcome.optimal.score >= outcome.greedy.score
        assert outcome.optimal.chosen  # 28,000 and more fit: something is suggested
        assert all(c.recommended and c.score is not None for c in outcome.optimal.chosen)


def test_an_impossible_constraint_set_on_the_demo_explains_itself(demo):
    activity_services.annual_programme_set_ceiling(
        annual_programme=AnnualProgramme.objects.get(year=2018),
        actor=demo,
        budget_ceiling=D("600000"),
    )
    mednet = next(
        c
        for c in services.prioritise(actor=demo, year=2018).outcome.candidates
        if c.reference == "PR-2018-0002"
    )
    outcome = services.prioritise(
        actor=demo, year=2018, min_per_priority={"3.1": 2, "3.3": 2}, max_per_format={"4.5": 0}
    ).outcome
    assert outcome.optimal is None
    assert outcome.problems == [
        "Priority 3.1 asks for at least 2 selected, but the format maxima let only 1 of its "
        "proposals in.",
        "Priority 3.3 asks for at least 2 selected, but the format maxima let only 1 of its "
        "proposals in.",
    ]
    both = services.prioritise(
        actor=demo, year=2018, include=[mednet.pk], exclude=[mednet.pk]
    ).outcome
    assert both.problems == ["The must-include and the must-exclude lists both name PR-2018-0002."]
