"""The ranking's table and the suggestion's candidates are kept in the cache until the
next write (pompidou.listing): a write shows on the very next request, on the page as
through the API."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals import year_ranking
from proposals.services.prioritise import year_candidates
from tests.conftest import client_for
from tests.proposals.factories import assessed, over_ceiling_2017


def _table(response) -> str:
    return response.content.decode().split('data-testid="ranking-table"')[1].split("</table>")[0]


def test_the_ranking_shows_a_changed_cost_at_the_next_request(personas, programme, states, pc_de):
    over_ceiling_2017(programme, personas["secretariat"], states, committed="450000")
    proposal = assessed(
        personas["pc_fr"], pc_de, personas["secretariat"], personas["expert"], programme
    )
    client = client_for(personas["secretariat"])
    first = _table(client.get("/en/proposals/ranking/2017/"))
    with CaptureQueriesContext(connection) as again:
        assert _table(client.get("/en/proposals/ranking/2017/")) == first
    type(proposal).objects.get(pk=proposal.pk).save()  # any write starts afresh
    with CaptureQueriesContext(connection) as fresh:
        client.get("/en/proposals/ranking/2017/")
    assert len(fresh.captured_queries) > len(again.captured_queries)
    proposal.estimated_cost = Decimal("61000")
    proposal.save()
    html = client.get("/en/proposals/ranking/2017/").content.decode()
    assert "61,000" in html and "511,000" in html  # its cost, and after what is committed
    assert 'data-testid="beyond"' in html


def test_the_suggestion_follows_a_new_proposal_at_the_next_request(
    personas, programme, states, pc_de
):
    over_ceiling_2017(programme, personas["secretariat"], states, committed="400000")
    people = (personas["pc_fr"], pc_de, personas["secretariat"], personas["expert"], programme)
    assessed(*people, title="First")
    secretariat = personas["secretariat"]
    budget = year_ranking.year_budget(2017)
    assert [c.title for c in year_candidates(2017, budget, secretariat)] == ["First"]
    client = client_for(secretariat)

    def chosen() -> list[str]:
        api = client.post(
            "/api/v1/proposals/prioritise/", {"year": 2017}, content_type="application/json"
        )
        assert api.status_code == 200, api.content
        return sorted(p["title"] for p in api.json()["selection"]["proposals"])

    assert chosen() == ["First"]
    suggest = "/en/proposals/suggest/?year=2017"
    assert "Second" not in client.get(suggest).content.decode()
    assessed(*people, title="Second")
    assert sorted(c.title for c in year_candidates(2017, budget, secretariat)) == [
        "First",
        "Second",
    ]
    assert chosen() == ["First", "Second"]
    page = client.get(suggest).content.decode()
    include = page.split('data-testid="include"')[1].split('data-testid="exclude"')[0]
    assert "First" in include and "Second" in include


def test_the_ranking_leaves_the_programmes_long_texts_in_the_database(
    personas, programme, states, pc_de
):
    # Each ranked row carried its work programme's and format's long texts (every
    # language's column): the bulk of the ranking's one query at 300 rows.
    over_ceiling_2017(programme, personas["secretariat"], states, committed="450000")
    assessed(personas["pc_fr"], pc_de, personas["secretariat"], personas["expert"], programme)
    budget = year_ranking.year_budget(2017)
    with CaptureQueriesContext(connection) as queries:
        rows = year_ranking.ranking(2017, budget, personas["secretariat"])
    assert len(rows) == 1 and rows[0].score.weighted_total is not None
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"programme_workprogramme"."min_total_numerator"' in sql
    for column in ("introduction_en", "structure_fr", "beneficiaries_en"):
        assert column not in sql
