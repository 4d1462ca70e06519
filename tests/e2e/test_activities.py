import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_secretariat_filters_activities_by_priority_and_opens_one(page, live_server, demo):
    base = live_server.url
    login(page, base, "secretariat")
    page.get_by_role("link", name="Activities", exact=True).click()
    page.wait_for_url(f"{base}/en/activities/")
    page.get_by_label("Thematic priority").select_option(
        label="3.4 Identifying opportunities and challenges for drug policies arising from "
        "the internet"
    )
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/en/activities/?*thematic_priority=*")
    rows = page.get_by_test_id("activity-table").locator("tbody tr")
    titles = rows.locator("td:nth-child(2)").all_inner_texts()
    assert titles, "the filter should leave some activities"
    assert any("darknet" in t.lower() for t in titles)
    assert not any("MedNET" in t for t in titles)  # MedNET is under 3.1 and 3.3
    rows.first.locator("a").first.click()
    page.wait_for_url("**/en/activities/PG-*/")
    assert "3.4 Identifying opportunities" in page.locator("main").inner_text()
    expect(page.get_by_role("heading", name="History")).to_be_visible()


def _shot(page, name: str) -> None:
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"activities-{name}.png"), full_page=True)


def test_secretariat_edits_an_activity_and_its_annual_programme_entry_follows(
    page, live_server, demo
):
    base = live_server.url
    login(page, base, "secretariat")
    page.get_by_role("link", name="Activities", exact=True).click()
    page.get_by_label("Search", exact=True).fill("EXASS Net 2018")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/en/activities/?*search=*")
    page.get_by_test_id("activity-table").get_by_role("link", name="PG-2018-007").click()
    page.wait_for_url("**/en/activities/PG-2018-007/")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url("**/en/activities/PG-2018-007/edit/")
    _shot(page, "form-1366")

    # Dates as the site writes them.
    assert page.get_by_label("Start").input_value() == "01/01/2018"
    # The participating states: type part of a name, pick it from the list.
    states = page.get_by_role("combobox", name="Participating states")
    states.focus()
    page.keyboard.type("Spa")
    page.locator(".ts-dropdown .option", has_text="Spain").click()
    page.keyboard.press("Escape")
    page.get_by_label("3.4 Identifying opportunities").check()
    budget = page.get_by_label("Planned budget (EUR)")
    budget.fill("37500")
    expect(budget).to_have_value("37500")
    page.get_by_role("button", name="Save").click()

    page.wait_for_url("**/en/activities/PG-2018-007/")
    aside = page.locator("aside dl")
    expect(aside).to_contain_text("37,500.00 EUR")
    assert "Spain" in aside.inner_text() and "France" in aside.inner_text()
    assert "3.4 Identifying opportunities" in aside.inner_text()
    assert "37,500.00 EUR" in aside.inner_text()
    # The history says it in words.
    history = page.get_by_test_id("history").inner_text()
    assert "Planned budget (EUR): 33,000.00 → 37,500.00" in history
    states_line = next(line for line in history.splitlines() if "Participating states" in line)
    before, after = states_line.split(": ", 1)[1].split(" → ")
    assert after == f"{before}, Spain", history  # names, alphabetically, joined with commas

    aside.get_by_role("link", name="2018").click()
    page.wait_for_url("**/en/annual-programmes/2018/")
    row = page.locator("tr", has=page.get_by_role("link", name="PG-2018-007")).first
    assert row.locator("td").last.inner_text().strip() == "37,500" or "37,500" in row.inner_text()

    # Reopened, the form gives back what was saved.
    page.get_by_role("link", name="PG-2018-007").first.click()
    page.get_by_role("link", name="Edit", exact=True).click()
    assert page.get_by_label("Planned budget (EUR)").input_value() == "37500.00"
    assert page.get_by_label("3.4 Identifying opportunities").is_checked()
    chosen = page.locator(".ts-control .item").all_inner_texts()
    chosen = [c.replace("×", "").strip() for c in chosen]
    assert chosen == after.split(", ")


def test_a_validation_error_puts_the_focus_on_the_first_field_in_error(page, live_server, demo):
    base = live_server.url
    login(page, base, "secretariat")
    page.get_by_role("link", name="Activities", exact=True).click()
    page.get_by_role("link", name="Record an activity").click()
    page.get_by_label("Title").fill("Without dates")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    page.wait_for_function("document.activeElement && document.activeElement.id !== ''")
    focused = page.evaluate("document.activeElement.id")
    # The dates are the first fields in error (the title was given).
    assert focused == "id_start_date"
    assert page.locator("#id_start_date").get_attribute("aria-invalid") == "true"


def test_a_sorted_column_says_so_to_eyes_and_screen_readers(page, live_server, demo):
    base = live_server.url
    page.goto(f"{base}/en/")
    page.get_by_role("link", name="Activities", exact=True).first.click()
    page.wait_for_url("**/en/activities/")
    table = page.get_by_test_id("activity-table")
    table.get_by_role("link", name="Budget (EUR)").click()
    page.wait_for_url("**ordering=planned_budget*")
    header = page.get_by_test_id("activity-table").locator("th[aria-sort]")
    assert header.count() == 1
    assert header.get_attribute("aria-sort") == "ascending"
    assert "▲" in header.inner_text()
    header.get_by_role("link").click()
    page.wait_for_url("**ordering=-planned_budget*")
    header = page.get_by_test_id("activity-table").locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "descending"
    # The budget column is whole at 1366 px: the table does not scroll sideways.
    page.set_viewport_size({"width": 1366, "height": 900})
    scroll, client = page.evaluate(
        "(() => { const r = document.querySelector('.table-responsive');"
        " return [r.scrollWidth, r.clientWidth]; })()"
    )
    assert scroll <= client
    _shot(page, "list-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "list-390")


def test_an_anonymous_visitor_sees_no_history_on_a_public_activity(page, live_server, demo):
    base = live_server.url
    page.goto(f"{base}/en/")
    page.get_by_role("link", name="Activities", exact=True).first.click()
    page.get_by_test_id("activity-table").locator("tbody tr a").first.click()
    page.wait_for_url("**/en/activities/PG-*/")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_be_visible()
    assert main.get_by_role("heading", name="History").count() == 0
    assert page.get_by_test_id("history").count() == 0
    assert "secretariat" not in main.inner_text()


def test_visitor_searches_the_activities_in_any_word_form_and_pages_to_the_last(
    page, live_server, demo
):
    from activities.models import Activity

    base = live_server.url
    page.goto(f"{base}/en/activities/")
    # "prisons" is not in the text; the word "prisoners" is, and both stem to "prison".
    page.get_by_label("Search", exact=True).fill("prisons")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/en/activities/?*search=prisons*")
    expect(page.get_by_test_id("activity-table")).to_contain_text("Criminal justice responses")

    # Signed in, the Secretariat sees every activity: more than a page of them.
    login(page, base, "secretariat")
    page.goto(f"{base}/en/activities/")
    total = Activity.objects.count()
    pages = -(-total // 50)
    assert pages >= 2, "the demo should have more than one page of activities"
    expect(page.get_by_role("heading", name=f"{total} activities")).to_be_visible()
    last = page.get_by_role("link", name="Last" if pages > 2 else "Next", exact=True)
    last.click()
    page.wait_for_url(f"**/en/activities/?page={pages}")
    expect(page.get_by_text(f"Page {pages} of {pages}")).to_be_visible()
    expect(page.get_by_test_id("activity-table").locator("tbody tr")).to_have_count(
        total - 50 * (pages - 1)
    )
    # The oldest activity is the last row of the last page.
    oldest = Activity.objects.order_by("-start_date", "reference").last()
    expect(page.get_by_test_id("activity-table").locator("tbody tr").last).to_contain_text(
        oldest.reference
    )
