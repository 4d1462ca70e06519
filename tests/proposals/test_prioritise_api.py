"""``POST /api/v1/proposals/prioritise/``: the selection, its totals and the greedy
comparison; 400 naming the field; 403 for whoever does not read the ranking."""

from decimal import Decimal

import pytest

from tests.conftest import answer, client_as, token_client
from tests.proposals.prioritise_helpers import year_fixture  # noqa: F401  (the `year` fixture)

D = Decimal
URL = "/api/v1/proposals/prioritise/"


def post(user, body, status=200):
    return answer(client_as(user).post(URL, body, format="json"), status)


def test_the_answer_has_the_selection_its_totals_and_the_greedy_comparison(personas, year):
    body = post(personas["secretariat"], {"year": 2017, "max_per_format": {"4.1": 1}})
    assert body["feasible"] is True
    assert body["proven_optimal"] is True
    assert (body["ceiling"], body["committed"], body["budget_left"]) == (
        "500000.00",
        "400000.00",
        "100000.00",
    )
    selection = body["selection"]
    assert [p["id"] for p in selection["proposals"]] == [year["p2"].pk, year["p3"].pk]
    assert selection["proposals"][0] == {
        "id": year["p2"].pk,
        "reference": year["p2"].reference,
        "title": "Two",
        "cost": "50000.00",
        "weighted_score": "28.00",
        "recommended": True,
        "thematic_priorities": ["3.2"],
        "permanent_format": "4.2",
    }
    assert (selection["total_score"], selection["total_cost"], selection["remaining"]) == (
        "56.00",
        "100000.00",
        "0.00",
    )
    greedy = body["greedy"]
    assert [p["id"] for p in greedy["proposals"]] == [year["p1"].pk]
    assert (greedy["total_score"], greedy["remaining"], greedy["unmet"]) == (
        "35.00",
        "40000.00",
        [],
    )
    assert body["difference"] == "21.00"
    assert body["problems"] == []
    assert [
        (row["proposal"]["id"], row["proposal"]["weighted_score"]) for row in body["left_out"]
    ] == [(year["p5"].pk, None)]


def test_an_impossible_constraint_set_answers_why(personas, year):
    p1 = year["p1"].pk
    body = post(personas["secretariat"], {"year": 2017, "include": [p1], "exclude": [p1]})
    assert body["feasible"] is False
    assert body["selection"] is None and body["difference"] is None
    assert body["problems"] == [
        f"The must-include and the must-exclude lists both name {year['p1'].reference}."
    ]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "year"),
        ({"year": "next"}, "year"),
        ({"year": 2031}, "year"),
        ({"year": 2017, "min_per_priority": {"3.1": -1}}, "min_per_priority"),
        ({"year": 2017, "min_per_priority": {"9.9": 1}}, "min_per_priority"),
        ({"year": 2017, "min_per_priority": ["3.1"]}, "min_per_priority"),
        ({"year": 2017, "max_per_format": {"4.2": "two"}}, "max_per_format"),
        ({"year": 2017, "max_per_format": {"7.7": 1}}, "max_per_format"),
        ({"year": 2017, "include": [999999]}, "include"),
        ({"year": 2017, "exclude": "all"}, "exclude"),
        ({"year": 2017, "above_threshold_only": "perhaps"}, "above_threshold_only"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(personas, year, body, field):
    errors = post(personas["secretariat"], body, status=400)
    assert field in errors, errors


@pytest.mark.parametrize(
    "who, status",
    [
        ("secretariat", 200),
        ("bureau_chair", 200),
        ("pc_fr", 403),
        ("pc_de", 403),
        ("expert", 403),
        ("outsider", 403),
    ],
)
def test_who_may_ask_is_who_reads_the_ranking(personas, year, who, status):
    # The refusal comes before the body is read: a bad body is still a 403.
    answer(token_client(personas[who]).post(URL, {"year": 2017}, format="json"), status)
    if status == 403:
        answer(client_as(personas[who]).post(URL, {"year": "bad"}, format="json"), 403)


def test_anonymous_callers_are_refused(year):
    response = client_as(None).post(URL, {"year": 2017}, format="json")
    assert response.status_code in (401, 403)
