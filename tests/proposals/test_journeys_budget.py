"""The ranking against what the year commits, and adoption above the ceiling."""

from decimal import Decimal

import pytest

from activities.selectors import committed_budget
from pompidou.errors import DomainError
from proposals import services, year_ranking
from proposals.models import Decision
from tests.conftest import client_for
from tests.proposals.factories import (
    assessed,
    over_ceiling_2017,
)

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JOURNEY_SCORES = [D("4"), D("3"), D("5"), D("4.5"), D("3.5"), D("4"), D("3")]


# --- the budget -----------------------------------------------------------------------


def test_committed_is_the_sum_of_the_years_entries(programme, secretariat, states):
    assert committed_budget(2017) == 0
    over_ceiling_2017(programme, secretariat, states)
    assert committed_budget(2017) == D("527000")
    assert committed_budget(2016) == 0


def test_the_ranking_places_each_proposal_after_what_is_committed(
    personas, programme, states, pc_de
):
    over_ceiling_2017(programme, personas["secretariat"], states, committed="450000")
    for title in ("First", "Second"):
        assessed(
            personas["pc_fr"], pc_de, personas["secretariat"], personas["expert"], programme,
            title=title,
        )  # fmt: skip
    budget = year_ranking.year_budget(2017)
    assert (budget.ceiling, budget.committed, budget.headroom) == (
        D("500000"),
        D("450000"),
        D("50000"),
    )
    rows = year_ranking.ranking(2017, budget)
    assert [(r.cumulative_cost, r.within_ceiling) for r in rows] == [
        (D("480000"), True),
        (D("510000"), False),
    ]
    html = client_for(personas["secretariat"]).get("/en/proposals/ranking/2017/").content.decode()
    assert "450,000 EUR" in html  # committed
    assert "50,000 EUR" in html  # headroom
    assert html.count('data-testid="fits"') == 1
    assert html.count('data-testid="beyond"') == 1


def test_the_ranking_says_when_the_year_is_already_over_its_ceiling(personas, programme, states):
    over_ceiling_2017(programme, personas["secretariat"], states)
    html = client_for(personas["secretariat"]).get("/en/proposals/ranking/2017/").content.decode()
    assert "over by 27,000 EUR" in html
    assert 'data-testid="over-ceiling"' in html


def test_adopting_above_the_ceiling_needs_a_confirmation_recorded_with_the_decision(
    pc_fr, pc_de, secretariat, expert, programme, states, meeting
):
    over_ceiling_2017(programme, secretariat, states)
    proposal = assessed(pc_fr, pc_de, secretariat, expert, programme)
    with pytest.raises(DomainError) as excinfo:
        services.decision_record(
            proposal=proposal, actor=secretariat, outcome="adopted", rationale="Good."
        )
    message = excinfo.value.errors["confirm_over_ceiling"][0]
    assert "557,000" in message and "500,000" in message and "527,000" in message
    proposal.refresh_from_db()
    assert proposal.status == "under_assessment"
    assert not Decision.objects.exists()
    decision = services.decision_record(
        proposal=proposal,
        actor=secretariat,
        outcome="adopted",
        rationale="Good.",
        confirm_over_ceiling=True,
    )
    assert decision.over_ceiling_confirmed is True
    assert committed_budget(2017) == D("557000")


def test_an_adoption_within_the_ceiling_needs_no_confirmation(
    pc_fr, pc_de, secretariat, expert, programme, states
):
    over_ceiling_2017(programme, secretariat, states, committed="100000")
    proposal = assessed(pc_fr, pc_de, secretariat, expert, programme)
    decision = services.decision_record(
        proposal=proposal, actor=secretariat, outcome="adopted", rationale="Good."
    )
    assert decision.over_ceiling_confirmed is False


def test_rejecting_needs_no_confirmation_even_over_the_ceiling(
    pc_fr, pc_de, secretariat, expert, programme, states
):
    over_ceiling_2017(programme, secretariat, states)
    proposal = assessed(pc_fr, pc_de, secretariat, expert, programme)
    decision = services.decision_record(
        proposal=proposal, actor=secretariat, outcome="rejected", rationale="No."
    )
    assert decision.over_ceiling_confirmed is False


def test_the_decision_form_warns_and_asks_for_the_confirmation(personas, programme, states, pc_de):
    over_ceiling_2017(programme, personas["secretariat"], states)
    proposal = assessed(
        personas["pc_fr"], pc_de, personas["secretariat"], personas["expert"], programme
    )
    client = client_for(personas["secretariat"])
    html = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "I confirm adopting above the ceiling" in html
    assert "That is above the ceiling" in html
    data = {"outcome": "adopted", "rationale": "Good."}
    refused = client.post(f"/en/proposals/{proposal.pk}/decision/", data)
    assert refused.status_code == 400
    assert "Confirm adopting above the ceiling" in refused.content.decode()
    done = client.post(
        f"/en/proposals/{proposal.pk}/decision/", {**data, "confirm_over_ceiling": "on"}
    )
    assert done.status_code == 302
    html = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "Adopted above the budget ceiling, confirmed" in html


def test_the_api_decision_takes_confirm_over_ceiling(personas, programme, states, pc_de):
    from rest_framework.test import APIClient

    over_ceiling_2017(programme, personas["secretariat"], states)
    proposal = assessed(
        personas["pc_fr"], pc_de, personas["secretariat"], personas["expert"], programme
    )
    api = APIClient()
    api.force_authenticate(personas["secretariat"])
    url = f"/api/v1/proposals/{proposal.pk}/decision/"
    refused = api.post(url, {"outcome": "adopted", "rationale": "Good."}, format="json")
    assert refused.status_code == 400
    assert "500,000" in refused.json()["confirm_over_ceiling"][0]
    done = api.post(
        url,
        {"outcome": "adopted", "rationale": "Good.", "confirm_over_ceiling": True},
        format="json",
    )
    assert done.status_code == 201, done.content
    assert done.json()["over_ceiling_confirmed"] is True
