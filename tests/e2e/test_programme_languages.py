import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e

NEW_TITLE = "L’internet\u00a0: possibilités et défis pour les politiques en matière de drogues"


def test_secretariat_edits_a_priority_in_french_in_the_back_office_and_the_french_page_shows_it(
    page, live_server, demo, check_page
):
    base = live_server.url
    login(page, base, "secretariat")
    page.goto(f"{base}/en/admin/")
    page.get_by_role("link", name="Thematic priorities").click()
    page.wait_for_url(f"{base}/en/admin/programme/thematicpriority/")
    # The list says how complete the French is.
    assert page.locator("td.field-french").all_inner_texts() == ["complete"] * 4
    page.get_by_role("link", name="3.4", exact=True).click()
    page.wait_for_url("**/admin/programme/thematicpriority/*/change/")

    english, french = page.get_by_label("Title [en]:"), page.get_by_label("Title [fr]:")
    assert english.input_value() == (
        "Identifying opportunities and challenges for drug policies arising from the internet"
    )
    assert french.input_value() == (
        "Identifier les possibilités et les défis que l’internet présente pour les politiques "
        "en matière de drogues"
    )
    # Side by side: one row, the French to the right of the English.
    left, right = english.bounding_box(), french.bounding_box()
    assert left and right
    assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"]
    rationale_en = page.get_by_label("Rationale [en]:").bounding_box()
    rationale_fr = page.get_by_label("Rationale [fr]:").bounding_box()
    assert rationale_en and rationale_fr and abs(rationale_en["y"] - rationale_fr["y"]) < 2
    assert (
        page.locator("textarea[name='aims-0-text_fr']")
        .input_value()
        .startswith("Cartographier et mieux comprendre")
    )
    # A screenshot, not check_page: axe-core fails Django's own admin (unlabelled cells
    # of tabular inlines, breadcrumb links told apart by colour), and its checks there
    # insert inline styles the Content-Security-Policy refuses. The portal's page is
    # checked in full below.
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "priority-change-form.png"), full_page=True)

    french.fill(NEW_TITLE)
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url("**/admin/programme/thematicpriority/*/change/")
    expect(page.locator(".messagelist .success")).to_be_visible()

    # Reopened from the list: exactly what was saved, the English untouched.
    page.get_by_role("link", name="Thematic priorities").first.click()
    page.get_by_role("link", name="3.4", exact=True).click()
    page.wait_for_url("**/admin/programme/thematicpriority/*/change/")
    assert page.get_by_label("Title [fr]:").input_value() == NEW_TITLE
    assert page.get_by_label("Title [en]:").input_value() == (
        "Identifying opportunities and challenges for drug policies arising from the internet"
    )

    page.get_by_role("link", name="View site").click()
    page.get_by_test_id("lang-fr").click()
    page.get_by_role("link", name="Programme", exact=True).click()
    page.wait_for_url(f"{base}/fr/programme/")
    assert page.locator("#priority-34-title").inner_text().startswith("3.4" + NEW_TITLE)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Programme de travail du Groupe Pompidou 2015–2018"
    )
    check_page(page, "programme-fr")
