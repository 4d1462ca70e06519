"""A Bureau member of the proposing state walks the pages (issue 13, point 1): the
proposal page and the ranking say why the scores are hidden, the votes page shows
their recusal; another Bureau member reads the scores and sees the recusal; once the
proposal is decided, its scores are open to its own state's Bureau member too."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

TITLE = "Italian early-warning network on new psychoactive substances"
URGENT = "Italian rapid response to fentanyl in festivals"
HIDDEN = "You cannot see the scores of a proposal from your own member state until it is decided."


def _italian_proposals():
    """An Italian proposal assessed by Helena Varga and an Italian urgent one in the
    Bureau's vote, proposed by an Italian PC (Marco Rossi, the Vice-Chair, is Italian)."""
    from django.contrib.auth.models import User

    from programme.models import WorkProgramme
    from programme.services import account_create
    from proposals import services
    from tests.proposals.factories import full_scores, submitted

    wp = WorkProgramme.objects.in_force().get()
    pc_it = account_create(
        username="pc_it",
        role="correspondent",
        member_state_code="IT",
        password="x" * 12,
        validate=False,
    )
    secretariat, expert = (
        User.objects.get(username="secretariat"),
        User.objects.get(username="expert_health"),
    )
    dates = {"start_date": dt.date(2018, 11, 1), "end_date": dt.date(2018, 12, 31)}

    def submit(title, **fields):
        return submitted(pc_it, wp, title=title, estimated_cost=Decimal("20000"), **dates, **fields)

    proposal = submit(TITLE, route="annual", year=2018)
    services.support_add(proposal=proposal, actor=User.objects.get(username="pc_fr"))
    assessment = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    services.assessment_save(
        assessment=assessment, actor=expert, scores=full_scores(proposal), submit=True
    )
    submit(URGENT, route="urgent", year=None, urgency_justification="Three deaths this summer.")
    return proposal


def _open(page, title):
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Proposals", exact=True
    ).click()
    page.locator("main table tbody tr", has_text=title).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+/$"))


def _logout(page, name):
    page.get_by_role("button", name=name).click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/logout/")


def test_a_bureau_member_of_the_proposing_state_sees_why_scores_are_hidden_and_is_recused(
    page, live_server, demo
):
    base = live_server.url
    proposal = _italian_proposals()

    # Marco Rossi, the Italian Vice-Chair: the Italian proposal's page says why no score.
    login(page, base, "bureau_vice")
    _open(page, TITLE)
    expect(page.get_by_test_id("score-hidden")).to_contain_text(HIDDEN)
    main = page.locator("main")
    expect(main).not_to_contain_text("Weighted total")
    expect(main).not_to_contain_text("Helena Varga")  # nor who assessed it

    # The ranking of 2018 leaves it out, and says so.
    page.goto(f"{base}/en/proposals/ranking/2018/")
    expect(page.get_by_test_id("withheld")).to_contain_text(HIDDEN)
    expect(page.get_by_test_id("ranking-table")).not_to_contain_text(TITLE)
    expect(page.get_by_test_id("ranking-table")).to_contain_text("MedNET")

    # The votes page: recused on the Italian urgent proposal, a vote on the Spanish one.
    page.get_by_role("link", name="Urgent votes", exact=True).click()
    page.wait_for_url(f"{base}/en/proposals/urgent/")
    italian = page.get_by_test_id("vote-card").filter(has_text=URGENT)
    expect(italian.get_by_test_id("my-recusal")).to_contain_text("You are recused")
    expect(italian.get_by_role("button", name="Approve")).to_have_count(0)
    expect(italian.get_by_test_id("majority")).to_contain_text(
        "Out of the 7 members of the current Bureau who may vote (1 recused"
    )
    spanish = page.get_by_test_id("vote-card").filter(has_text="Synthetic cannabinoids")
    expect(spanish.get_by_role("button", name="Approve")).to_have_count(1)
    _logout(page, "Marco Rossi")

    # Ingrid Hansen (Norway) reads the Italian scores and sees Marco Rossi's recusal.
    login(page, base, "bureau_chair")
    _open(page, TITLE)
    expect(page.get_by_test_id("score")).to_contain_text("Weighted total")
    expect(page.get_by_test_id("assessors")).to_contain_text("Helena Varga")
    _open(page, URGENT)
    expect(page.get_by_test_id("recusals")).to_contain_text("Recused: Marco Rossi")
    _logout(page, "Ingrid Hansen")

    # Once decided, the proposal's scores are open to Marco Rossi too.
    from django.contrib.auth.models import User

    from proposals import services

    services.decision_record(
        proposal=proposal,
        actor=User.objects.get(username="secretariat"),
        outcome="rejected",
        rationale="Covered by the EMCDDA's early-warning system.",
    )
    login(page, base, "bureau_vice")
    _open(page, TITLE)
    expect(page.get_by_test_id("score")).to_contain_text("Weighted total")
    expect(page.get_by_test_id("score-hidden")).to_have_count(0)
