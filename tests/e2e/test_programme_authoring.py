"""The Secretariat drafts the next work programme through the pages: a copy of
2015–2018 as "Work Programme 2019–2022", a priority's text and a criterion's weight
changed (the forms give the saved values back), consultation opened; a Permanent
Correspondent comments on a section; the Secretariat reads the comment and compares
the two versions, the changed weight and text shown side by side."""

import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

NEW_TITLE = "Analysing policy coherence, costs and prisons"
NEW_RATIONALE_FR = "Une justification nouvelle pour 2019–2022."
COMMENT = "Please name prisons explicitly in priority 3.2."


def _entry(page, kind: str, text: str):
    return page.get_by_test_id(f"{kind}-entry").filter(has_text=text)


def test_the_secretariat_drafts_the_next_programme_and_a_pc_comments(
    page, live_server, demo, check_page
):
    base = live_server.url
    login(page, base, "secretariat")
    page.get_by_role("link", name="Programme", exact=True).click()
    page.get_by_role("link", name="Authoring work programmes").click()
    page.wait_for_url(re.compile(r".*/en/programme/authoring/$"))
    check_page(page, "authoring-index")
    page.get_by_role("link", name="Draft the next work programme").click()

    # The programme in force is proposed as the source, the next four years as the period.
    assert "2015–2018" in page.get_by_label("Copy").locator("option:checked").inner_text()
    assert page.get_by_label("First year").input_value() == "2019"
    assert page.get_by_label("Last year").input_value() == "2022"
    # The reference of the 2015–2018 programme is taken: a clear message, nothing made.
    page.get_by_label("Reference").fill("P-PG/MinConf (2014) 4")
    page.get_by_label("Title (English)").fill("Work Programme 2019–2022")
    page.get_by_label("Title (French)").fill("Programme de travail 2019–2022")
    page.get_by_role("button", name="Create the draft").click()
    assert "Another work programme has the reference" in page.locator("main").inner_text()
    check_page(page, "authoring-new-error")
    page.get_by_label("Reference").fill("P-PG/MinConf (2018) 3")
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_url(re.compile(r".*/en/programme/\d+/edit/$"))
    edit_url = page.url
    assert page.get_by_test_id("status").inner_text() == "Draft"
    assert page.get_by_role("heading", level=1).inner_text() == "Work Programme 2019–2022"
    assert _entry(page, "priority", "3.4").count() == 1
    check_page(page, "authoring-edit")

    # Priority 3.2: a new English title and a French rationale, side by side.
    _entry(page, "priority", "3.2").get_by_role("link", name=re.compile("^Edit")).click()
    check_page(page, "authoring-priority-form")
    page.get_by_label("Title (English)").fill(NEW_TITLE)
    page.get_by_label("Rationale (French)").fill(NEW_RATIONALE_FR)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/edit/#priority-list$"))
    assert NEW_TITLE in _entry(page, "priority", "3.2").inner_text()
    _entry(page, "priority", "3.2").get_by_role("link", name=re.compile("^Edit")).click()
    assert page.get_by_label("Title (English)").input_value() == NEW_TITLE
    assert page.get_by_label("Rationale (French)").input_value() == NEW_RATIONALE_FR
    page.get_by_role("link", name="Cancel").click()

    # Criterion 3's weight: a bad one is refused on its field, 2.5 is kept as typed.
    criterion = _entry(page, "criterion", "3. ")
    criterion.get_by_role("link", name=re.compile("^Edit")).click()
    assert page.get_by_label("Weight").input_value() == "1"
    page.get_by_label("Weight").fill("0")
    page.get_by_role("button", name="Save").click()
    assert "The weight is above 0" in page.locator("main").inner_text()
    page.get_by_label("Weight").fill("2.5")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/edit/#criterion-list$"))
    assert _entry(page, "criterion", "3. ").get_by_test_id("weight").inner_text() == "weight 2.5"
    _entry(page, "criterion", "3. ").get_by_role("link", name=re.compile("^Edit")).click()
    assert page.get_by_label("Weight").input_value() == "2.5"
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("button", name="Open consultation").click()
    assert page.get_by_test_id("status").inner_text() == "In consultation"
    assert page.get_by_role("button", name="Back to draft").count() == 1

    # A Permanent Correspondent finds the draft from the programme page and comments.
    page.context.clear_cookies()
    login(page, base, "pc_fr")
    page.get_by_role("link", name="Programme", exact=True).click()
    page.get_by_role("link", name="Work Programme 2019–2022").click()
    page.get_by_role("link", name="Read it and comment, section by section").click()
    page.wait_for_url(re.compile(r".*/consultation/$"))
    section = page.get_by_test_id("consultation-section").filter(
        has=page.get_by_role("heading", name="Thematic priority 3.2")
    )
    section.get_by_role("button", name="Comment on Thematic priority 3.2").click()
    assert (
        "Write your comment." in section.inner_text()
        or "This field is required." in section.inner_text()
    )
    section = page.get_by_test_id("consultation-section").filter(
        has=page.get_by_role("heading", name="Thematic priority 3.2")
    )
    section.get_by_label("Your comment").fill(COMMENT)
    section.get_by_role("button", name="Comment on Thematic priority 3.2").click()
    assert "Your comment is recorded." in page.locator("main").inner_text()
    assert COMMENT in section.get_by_test_id("section-comments").inner_text()
    check_page(page, "consultation-pc")

    # The Secretariat: the comment on the edit page and in its inbox, then the comparison.
    page.context.clear_cookies()
    login(page, base, "secretariat")
    page.goto(edit_url)
    _entry(page, "priority", "3.2").get_by_role("link", name="1 comment").click()
    assert (
        COMMENT
        in page.get_by_test_id("consultation-section")
        .filter(has=page.get_by_role("heading", name="Thematic priority 3.2"))
        .inner_text()
    )
    page.goto(edit_url)
    page.get_by_role("link", name="Versions and comparison").click()
    assert COMMENT in page.get_by_test_id("section-comments").inner_text()
    rows = page.get_by_test_id("versions").locator("tbody tr")
    assert rows.count() == 3
    page.get_by_label("Before").select_option("1")  # version 1: the copy
    page.get_by_label("After").select_option("3")  # version 3: the weight changed
    page.get_by_role("button", name="Compare").click()
    comparison = page.get_by_test_id("comparison")
    assert "2 sections changed" in comparison.inner_text()
    criteria = page.get_by_test_id("diff-section").filter(has_text="Adoption criteria")
    assert criteria.locator("del").filter(has_text="1").count() >= 1
    assert criteria.locator("ins", has_text="2.5").count() == 1
    priority = page.get_by_test_id("diff-section").filter(has_text="Thematic priority 3.2")
    assert (
        "costs and prisons" in priority.locator("ins").all_inner_texts().__str__()
        or "prisons" in priority.inner_text()
    )
    assert NEW_RATIONALE_FR in priority.inner_text()
    check_page(page, "authoring-compare")
