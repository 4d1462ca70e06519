"""Suggest a programme within budget: the service over the ranking's own figures,
who may ask, bad input, and the page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import AnnualProgramme
from pompidou.errors import DomainError, PermissionDenied
from proposals import services, year_ranking
from tests.conftest import client_for
from tests.proposals.conftest import LOGIN, PERSONAS, check
from tests.proposals.prioritise_helpers import year_fixture  # noqa: F401  (the `year` fixture)

D = Decimal
SUGGEST = "/en/proposals/suggest/"


def test_the_suggestion_beats_greedy_within_what_the_ranking_says_is_left(personas, year):
    suggestion = services.prioritise(actor=personas["secretariat"], year=2017)
    budget = year_ranking.year_budget(2017)
    outcome = suggestion.outcome
    # The same committed figure and ceiling as the ranking.
    assert suggestion.budget == budget
    assert outcome.capacity == budget.headroom == D("100000")
    assert outcome.optimal.pks == [year["p2"].pk, year["p3"].pk]
    assert outcome.optimal.score == D("56.00")
    assert outcome.optimal.cost <= outcome.capacity
    assert outcome.greedy.pks == [year["p1"].pk]
    assert outcome.difference == D("21.00")
    assert outcome.proven
    # The unscored one is listed, not chosen.
    assert [(c.pk, "no weighted score" in why) for c, why in outcome.left_out] == [
        (year["p5"].pk, True)
    ]


def test_the_candidates_are_the_rankings_rows_with_its_scores(personas, year):
    suggestion = services.prioritise(actor=personas["secretariat"], year=2017)
    ranked = year_ranking.ranking(2017, year_ranking.year_budget(2017), personas["secretariat"])
    assert [c.pk for c in suggestion.outcome.candidates] == [r.proposal.pk for r in ranked]
    assert [c.score for c in suggestion.outcome.candidates] == [
        r.score.weighted_total for r in ranked
    ]
    assert [c.recommended for c in suggestion.outcome.candidates] == [
        r.score.recommended for r in ranked
    ]


def test_balance_constraints_and_the_threshold_shape_the_suggestion(personas, year):
    def best(**constraints):
        return services.prioritise(
            actor=personas["secretariat"], year=2017, **constraints
        ).outcome.optimal

    p1, p2, p3, p4 = (year[k].pk for k in ("p1", "p2", "p3", "p4"))
    assert best(min_per_priority={"3.1": 1}).pks == [p1]
    # P4 (45,000) and one of P2 and P3, which score alike.
    under_34 = best(min_per_priority={"3.4": 1})
    assert under_34.pks in ([p2, p4], [p3, p4])
    assert under_34.score == D("49.00")
    assert best(min_per_priority={"3.4": 1}, exclude=[p2]).pks == [p3, p4]
    one_of_42 = best(max_per_format={"4.2": 1})
    assert one_of_42.score == D("49.00")
    assert sum(1 for c in one_of_42.chosen if c.format == "4.2") == 1
    assert best(include=[p1], exclude=[p4]).pks == [p1]
    assert best(above_threshold_only=True).pks == [p2, p3]


def test_an_impossible_constraint_set_explains_itself(personas, year):
    outcome = services.prioritise(
        actor=personas["secretariat"],
        year=2017,
        min_per_priority={"3.4": 1},
        above_threshold_only=True,
    ).outcome
    assert outcome.optimal is None
    assert outcome.problems == [
        "Priority 3.4 asks for at least 1 selected, but only 0 eligible proposals are under it."
    ]


def test_bad_constraints_are_refused_naming_each_field(personas, year):
    with pytest.raises(DomainError) as refused:
        services.prioritise(
            actor=personas["secretariat"],
            year=2017,
            min_per_priority={"9.9": 1, "3.1": -1},
            max_per_format={"4.2": "two"},
            include=[999999],
        )
    errors = refused.value.errors
    assert set(errors) == {"min_per_priority", "max_per_format", "include"}
    assert "9.9 is not one of this programme's: 3.1, 3.2, 3.3, 3.4" in errors["min_per_priority"][0]
    assert "3.1: give a whole number" in errors["min_per_priority"][1]
    assert "999999" in errors["include"][0]


def test_a_year_without_a_ceiling_or_a_programme_is_refused_on_the_year(personas, year):
    AnnualProgramme.objects.filter(year=2017).update(budget_ceiling=0)
    with pytest.raises(DomainError) as refused:
        services.prioritise(actor=personas["secretariat"], year=2017)
    assert "no budget ceiling yet" in refused.value.errors["year"][0]
    with pytest.raises(DomainError) as refused:
        services.prioritise(actor=personas["secretariat"], year=2031)
    assert refused.value.errors == {"year": ["No work programme covers 2031."]}


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("secretariat", True),
        ("bureau_chair", True),
        ("pc_fr", False),
        ("pc_de", False),
        ("expert", False),
        ("outsider", False),
    ],
)
def test_who_may_ask_for_a_suggestion_is_who_reads_the_ranking(personas, year, who, allowed):
    if allowed:
        assert services.prioritise(actor=personas[who], year=2017).outcome.optimal
    else:
        with pytest.raises(PermissionDenied):
            services.prioritise(actor=personas[who], year=2017)


def test_a_bureau_member_is_not_suggested_their_own_states_proposals(personas, programme, year):
    from tests.proposals.prioritise_helpers import scored

    norwegian = scored(
        {**personas, "pc_fr": personas["bureau_chair"]},
        programme,
        title="Norwegian",
        cost="1000",
        score="5",
        priority="3.1",
    )
    chair = services.prioritise(actor=personas["bureau_chair"], year=2017)
    assert norwegian.pk not in [c.pk for c in chair.outcome.candidates]
    assert chair.withheld == 1
    secretariat = services.prioritise(actor=personas["secretariat"], year=2017)
    assert norwegian.pk in secretariat.outcome.optimal.pks


# --- the page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, expected",
    [
        ("secretariat", 200),
        ("bureau_chair", 200),
        ("pc_fr", 403),
        ("expert", 403),
        ("outsider", 403),
        ("anonymous", LOGIN),
    ],
)
def test_the_page_is_for_those_who_read_the_ranking(personas, year, who, expected):
    assert who in PERSONAS
    check(client_for(personas[who]).get(f"{SUGGEST}?year=2017&run=1"), expected)


def test_the_page_shows_the_suggestion_beside_greedy(personas, year):
    page = client_for(personas["secretariat"]).get(
        SUGGEST, {"year": 2017, "run": "1", "max_4_2": "2"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="optimal-score">56.00<' in html
    assert 'data-testid="greedy-score">35.00<' in html
    assert 'data-testid="difference">+21.00<' in html
    assert "The optimum is proven" in html
    assert page.context["outcome"].optimal.pks == [year["p2"].pk, year["p3"].pk]


def test_the_page_refuses_bad_input_with_form_errors_and_suggests_nothing(personas, year):
    page = client_for(personas["secretariat"]).get(
        SUGGEST, {"year": 2017, "run": "1", "min_3_1": "-1", "max_4_2": "two", "include": "x"}
    )
    assert page.status_code == 200
    form = page.context["form"]
    assert form.errors["min_3_1"] == ["Ensure this value is greater than or equal to 0."]
    assert form.errors["max_4_2"] == ["Enter a whole number."]
    assert "include" in form.errors
    assert page.context["outcome"] is None


def test_the_page_without_run_shows_the_form_only(personas, year):
    page = client_for(personas["secretariat"]).get(SUGGEST, {"year": 2017})
    assert page.status_code == 200
    assert page.context["outcome"] is None
    assert not page.context["form"].is_bound


def test_the_ranking_links_to_the_suggestion(personas, year):
    html = client_for(personas["secretariat"]).get("/en/proposals/ranking/2017/").content
    assert b'href="/en/proposals/suggest/?year=2017"' in html


def test_the_service_reads_a_fixed_number_of_queries_whatever_the_size(personas, programme, year):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            services.prioritise(actor=personas["secretariat"], year=2017)
        return len(queries)

    before = count()
    from tests.proposals.prioritise_helpers import scored

    for n in range(3):
        scored(personas, programme, title=f"More {n}", cost="1000", score="4", priority="3.2")
    assert count() == before


def test_the_page_brings_a_missing_year_within_the_programme_and_refuses_another(
    personas, programme, year
):
    client = client_for(personas["secretariat"])
    page = client.get(SUGGEST)
    assert page.context["year"] in programme.years
    assert page.context["form"]["year"].value() == page.context["year"]
    refused = client.get(SUGGEST, {"year": 2031, "run": "1"})
    assert refused.context["form"].errors["year"] == [
        "Select a valid choice. 2031 is not one of the available choices."
    ]
    assert refused.context["outcome"] is None
