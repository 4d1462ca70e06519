"""Suggest a programme within budget, through the pages only: the Secretariat opens
it from the 2018 ranking, finds the year already over its ceiling (an impossible
minimum explains itself), raises the ceiling on the annual programme's page, and
gets a suggestion that stays within budget, meets the balance constraints and
equals or beats the greedy choice; bad input is a form error."""

import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

MEDNET = "PR-2018-0002"
REINTEGRATION = "PR-2017-0003"
NEEDLES = "PR-2018-0004"


def _eur(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text.split("EUR")[0]))


def _open_suggestion_from_the_ranking(page, base):
    page.goto(f"{base}/en/proposals/ranking/2018/")
    page.get_by_role("link", name="Suggest a programme within budget").click()
    page.wait_for_url(re.compile(r".*/en/proposals/suggest/\?year=2018$"))


def _selected(page, column: str) -> list[str]:
    table = page.get_by_test_id("suggestion-table")
    return [
        row.get_attribute("data-testid").removeprefix("row-")
        for row in table.locator("tbody tr").all()
        if row.get_by_test_id(column).inner_text().strip() == "selected"
    ]


def test_the_secretariat_suggests_a_2018_programme_within_budget(
    page, live_server, demo, check_page
):
    base = live_server.url
    login(page, base, "secretariat")
    _open_suggestion_from_the_ranking(page, base)
    assert page.get_by_test_id("headroom").inner_text() == "none: already over by 27,000 EUR"
    check_page(page, "prioritise-form")

    # Over the ceiling: a minimum cannot be met, and the page says why.
    page.get_by_label("3.1 ").fill("1")
    page.get_by_role("button", name="Suggest").click()
    problems = page.get_by_test_id("infeasible").inner_text()
    assert "No selection meets these constraints:" in problems
    assert "priority 3.1 costs 28,000 EUR, more than the 0 EUR left" in problems

    # The Secretariat raises the ceiling on the annual programme's page.
    page.get_by_role("link", name="Ranking 2018").click()
    page.get_by_role("link", name=re.compile(r"Annual programme \(draft\)")).click()
    page.get_by_label("Budget ceiling (EUR)").fill("600000")
    page.get_by_role("button", name="Change").click()
    assert "Budget ceiling changed." in page.locator("main").inner_text()

    _open_suggestion_from_the_ranking(page, base)
    assert _eur(page.get_by_test_id("headroom").inner_text()) == 73_000
    page.get_by_label("3.1 ").fill("1")
    page.get_by_label("3.3 ").fill("1")
    page.get_by_label("4.5 ").fill("1")
    page.get_by_label("Only proposals above the threshold").check()
    page.get_by_role("button", name="Suggest").click()
    assert page.get_by_test_id("infeasible").count() == 0
    assert sorted(_selected(page, "optimal")) == sorted([MEDNET, REINTEGRATION])
    assert sorted(_selected(page, "greedy")) == sorted([MEDNET, REINTEGRATION])
    assert page.get_by_test_id("optimal-score").inner_text() == "54.75"
    assert page.get_by_test_id("greedy-score").inner_text() == "54.75"
    assert page.get_by_test_id("difference").inner_text() == "0.00"
    assert _eur(page.get_by_test_id("optimal-cost").inner_text()) == 63_000  # within 73,000
    assert "The optimum is proven" in page.get_by_test_id("proven").inner_text()
    # The form keeps what was asked, so a constraint can be changed and asked again.
    assert page.get_by_label("4.5 ").input_value() == "1"
    check_page(page, "prioritise-result")

    # Proposals under the same limit, one forced out: NEEDLES comes in.
    page.get_by_test_id("exclude").get_by_label(re.compile(REINTEGRATION)).check()
    page.get_by_role("button", name="Suggest").click()
    assert sorted(_selected(page, "optimal")) == sorted([MEDNET, NEEDLES])
    assert "Left out: must be left out" in page.get_by_test_id(f"row-{REINTEGRATION}").inner_text()

    # Both lists name one proposal: the explanation names it.
    page.get_by_test_id("include").get_by_label(re.compile(REINTEGRATION)).check()
    page.get_by_role("button", name="Suggest").click()
    assert (
        f"The must-include and the must-exclude lists both name {REINTEGRATION}."
        in page.get_by_test_id("infeasible").inner_text()
    )
    check_page(page, "prioritise-infeasible")

    # Bad input is a form error, and nothing is suggested.
    page.get_by_label("3.1 ").fill("-2")
    page.get_by_role("button", name="Suggest").click()
    assert (
        "Ensure this value is greater than or equal to 0."
        in page.get_by_test_id("prioritise-form").inner_text()
    )
    assert page.get_by_test_id("result").count() == 0


def test_a_correspondent_cannot_open_the_suggestion(page, live_server, demo):
    login(page, live_server.url, "pc_fr")
    response = page.goto(f"{live_server.url}/en/proposals/suggest/?year=2018")
    assert response.status == 403
    assert "You are not allowed to do this" in page.locator("main").inner_text()
