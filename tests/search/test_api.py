"""``GET /api/v1/search/``: the page's rules for REST clients, its 400s, its pages and
its query budget; and the GIN index the PostgreSQL queries use."""

import pytest
from django.db import connection

from search.engine import search
from tests.activities.factories import ActivityFactory
from tests.conftest import answer, client_as, token_client
from tests.proposals.factories import ProposalFactory

URL = "/api/v1/search/"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "q", "Type one or more words to search for."),
        ({"q": "   "}, "q", "Type one or more words to search for."),
        ({"q": "x" * 201}, "q", "Search with at most 200 characters."),
        ({"q": "drugs\x01"}, "q", "Search with words only, without control characters."),
        ({"q": "drugs", "kind": "budget"}, "kind", "Choose a kind from the list."),
    ],
)
def test_a_bad_query_is_a_400_naming_its_field(db, params, field, message):
    assert answer(client_as(None).get(URL, params), 400) == {field: [message]}


def test_a_bad_page_size_is_a_400_and_a_page_past_the_end_a_404(db):
    assert answer(client_as(None).get(URL, {"q": "drugs", "page_size": "x"}), 400) == {
        "page_size": ["Give a whole number from 1."]
    }
    answer(client_as(None).get(URL, {"q": "drugs", "page": 99}), 404)


def test_results_are_typed_paginated_and_marked(programme):
    for n in range(3):
        ActivityFactory(work_programme=programme, adoption_route="ad_hoc", title=f"Hashish {n}")
    body = answer(client_as(None).get(URL, {"q": "hashish", "page_size": 2}))
    assert body["count"] == 3 and body["next"] and body["previous"] is None
    first = body["results"][0]
    assert first["kind"] == "activity" and first["label"] == "Activity"
    assert first["url"] == f"/en/activities/{first['reference']}/"
    assert first["passage"] == "What the activity does."
    second_page = answer(client_as(None).get(URL, {"q": "hashish", "page_size": 2, "page": 2}))
    titles = {r["title"] for r in body["results"] + second_page["results"]}
    assert titles == {"Hashish 0", "Hashish 1", "Hashish 2"}
    ActivityFactory(
        work_programme=programme,
        adoption_route="ad_hoc",
        title="Seizures at ports",
        description='Hashish "resin" seized & burnt',
    )
    seized = answer(client_as(None).get(URL, {"q": "hashish seized"}))["results"]
    assert [(r["passage"], r["passage_html"]) for r in seized] == [
        (
            'Hashish "resin" seized & burnt',
            "<mark>Hashish</mark> &quot;resin&quot; <mark>seized</mark> &amp; burnt",
        )
    ]


def test_the_api_keeps_a_draft_to_its_delegation_and_the_secretariat(
    programme, states, pc_fr, pc_de, secretariat
):
    ProposalFactory(
        work_programme=programme,
        member_state=states["DE"],
        proposer=pc_de,
        title="Synthetic cathinones at festivals",
        status="draft",
        reference=None,
    )
    found = {
        user.username: answer(token_client(user).get(URL, {"q": "cathinones"}))["count"]
        for user in (pc_fr, pc_de, secretariat)
    }
    assert found == {"pc_fr": 0, "pc_de": 1, "secretariat": 1}
    assert answer(client_as(None).get(URL, {"q": "cathinones"}))["count"] == 0


@pytest.mark.parametrize("activities", [1, 6])
def test_a_page_of_results_costs_the_same_queries_whatever_it_holds(
    programme, activities, django_assert_num_queries
):
    for n in range(activities):
        ActivityFactory(work_programme=programme, adoption_route="ad_hoc", title=f"Kratom {n}")
    # Anonymous, so no session or token query; proposals: none visible, not counted.
    # 1-4 the counts of priorities, formats, activities and meetings,
    # 5 the ranked (kind, id) of the page, 6 the activities on it with their passages.
    with django_assert_num_queries(6):
        body = answer(client_as(None).get(URL, {"q": "kratom"}))
    assert body["count"] == activities


def test_the_page_answers_the_same_rules(db):
    from tests.conftest import client_for

    page = client_for(None).get("/en/search/", {"q": "x" * 201})
    assert page.status_code == 200
    assert "Search with at most 200 characters." in page.content.decode()
    empty = client_for(None).get("/en/search/").content.decode()
    assert 'data-testid="search-empty"' in empty
    none = client_for(None).get("/fr/search/", {"q": "zzzyqx"}).content.decode()
    assert 'data-testid="search-none"' in none


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the GIN index is PostgreSQL's")
@pytest.mark.parametrize(
    ("kind", "index"),
    [("activity", "activities_activity_search"), ("proposal", "proposals_proposal_search")],
)
def test_the_query_can_use_the_gin_index(secretariat, kind, index):
    """The planner takes a sequential scan on a handful of rows; with it disabled, the
    plan shows that the query's condition is the one the index serves (at 100,000 rows
    the planner picks it by itself: tests/perf/test_search.py)."""
    with connection.cursor() as cursor:
        # No sequential scan, and no plain index scan in the order of the list (the
        # planner may walk an ordering index and filter): what serves the words is left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = search(user=secretariat, q="drug policy").matching[kind].explain()
    assert f"Bitmap Index Scan on {index}" in plan
