"""A delegate reads the portal in French: member states named and sorted as French
readers expect, numbers with a decimal comma."""

import pytest

from pompidou.lib.collation import sorted_by_name
from tests.e2e.conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e


def _options(page, name: str) -> list[str]:
    texts = page.locator(f'select[name="{name}"] option').all_inner_texts()
    return [t.strip() for t in texts if t.strip() and not t.startswith("-")]


def test_a_delegate_switches_to_french_and_reads_states_and_scores_in_french(
    page, live_server, demo
):
    base = live_server.url
    shots = ARTIFACTS / "french"
    shots.mkdir(parents=True, exist_ok=True)
    # The Chair of the Bureau, Norway's Permanent Correspondent.
    login(page, base, "bureau_chair")
    page.get_by_test_id("lang-fr").click()
    page.wait_for_url(f"{base}/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"

    page.locator('a[href="/fr/activities/"]').first.click()
    page.wait_for_url(f"{base}/fr/activities/")
    states = _options(page, "member_state")
    assert "Algérie" in states and "Alger" not in states
    assert "Allemagne" in states and "Germany" not in states
    # French collation: « Égypte » among the E, not after « Z »; then the English
    # order would have put Germany (Allemagne) among the G.
    assert states == sorted_by_name(states)
    assert states.index("Danemark") < states.index("Égypte") < states.index("Espagne")
    assert states.index("Algérie") < states.index("Allemagne") < states.index("Arménie")
    page.screenshot(path=str(shots / "activities.png"), full_page=False)

    # Filter by a state chosen by its French name: the list answers its activities.
    page.locator('select[name="member_state"]').select_option(label="Allemagne")
    page.locator("main form").first.locator("button[type=submit]").first.click()
    page.wait_for_url("**member_state=DE**")
    assert page.locator('select[name="member_state"] option:checked').inner_text() == "Allemagne"

    page.locator('a[href="/fr/proposals/"]').first.click()
    page.wait_for_url(f"{base}/fr/proposals/")
    delegations = _options(page, "member_state")
    assert delegations == sorted_by_name(delegations)
    row = page.locator("tr", has_text="PR-2018-0004")
    assert row.locator("abbr", has_text="PL").get_attribute("title") == "Pologne"
    row.get_by_role("link", name="PR-2018-0004").click()
    page.wait_for_url(f"{base}/fr/proposals/*/")
    assert "Pologne" in page.locator("main").inner_text()
    score = page.get_by_test_id("score")
    text = score.inner_text()
    assert "3,5" in text and "3.5" not in text
    score.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "proposal.png"), full_page=True)
