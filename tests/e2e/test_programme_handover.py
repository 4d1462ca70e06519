"""Issue 18's hand-over, through the pages only: the Secretariat records the adoption of
the next programme (in consultation, set up beforehand as the authoring pages would
leave it), puts it in force mapping the running activities (one mapping changed, one
activity left with the old programme), moves one open proposal and closes another with
a reason; then the programme pages and an activity's page show the new state."""

import re

import pytest

from programme.models import WorkProgramme
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

CANNABIS = "PG-2018-010"  # planned, 3.2, no format: gets 3.5 and 4.10 in the new programme
SUSPENDED = "PG-2017-010"  # left with the old programme
DIGITAL = "PR-2018-0005"  # submitted: moved to priority 3.5
COSTS = "PR-2018-0003"  # deferred: closed with a reason
NEW_TITLE = "Pompidou Group Work Programme 2019–2022"


def _next_programme_in_consultation() -> WorkProgramme:
    """Setup (before the browser steps): the copy the authoring pages would make,
    with a new priority 3.5 and a new format 4.10."""
    old = WorkProgramme.objects.in_force().get()
    new = WorkProgramme.objects.create(
        reference="P-PG/DRAFT (2018) 1",
        title_en=NEW_TITLE,
        title_fr="Programme de travail du Groupe Pompidou 2019–2022",
        first_year=2019,
        last_year=2022,
        status=WorkProgramme.Status.CONSULTATION,
    )
    for p in old.priorities.all():
        new.priorities.create(number=p.number, title_en=p.title_en, title_fr=p.title_fr)
    new.priorities.create(number="3.5", title_en="Digital environments")
    for f in old.formats.all():
        new.formats.create(number=f.number, name_en=f.name_en, name_fr=f.name_fr, kind=f.kind)
    new.formats.create(number="4.10", name_en="Online academy")
    for c in old.criteria.all():
        new.criteria.create(number=c.number, title_en=c.title_en, computed=c.computed)
    return new


def fill_adoption(page, first_day: str, last_day: str) -> None:
    """The "Record adoption" form as the 17th Conference (Stavanger) adopted 2019–2022."""
    page.get_by_label("Conference (English)").fill("17th Ministerial Conference")
    page.get_by_label("Conference (French)").fill("17e Conférence ministérielle")
    page.get_by_label("Number of the Conference").fill("17")
    page.get_by_label("Place").fill("Stavanger")
    page.get_by_label("First day").fill(first_day)
    page.get_by_label("Last day (day of adoption)").fill(last_day)
    page.get_by_label("Reference of the adopted document").fill("P-PG/MinConf (2018) 4")


def _row(page, kind, reference):
    return page.get_by_test_id(f"{kind}-row").filter(has_text=reference)


def _map_rows(page) -> None:
    """The Secretariat's choices on the hand-over page (but the reason for closing)."""
    cannabis = _row(page, "activity", CANNABIS)
    cannabis.get_by_label(re.compile(r"^3\.2 ")).uncheck()
    cannabis.get_by_label("3.5 Digital environments").check()
    cannabis.get_by_label("Format in the new programme").select_option(label="4.10 Online academy")
    _row(page, "activity", SUSPENDED).get_by_label("Carry over to the new programme").uncheck()
    digital = _row(page, "proposal", DIGITAL)
    digital.get_by_label("Move it to the new programme").check()
    digital.get_by_label("3.5 Digital environments").check()
    digital.get_by_label("Year of the annual programme").select_option("2020")
    _row(page, "proposal", COSTS).get_by_label("Close it with a reason").check()


def test_the_secretariat_adopts_and_hands_over_the_next_programme(
    page, live_server, demo, check_page
):
    new = _next_programme_in_consultation()
    base = live_server.url
    login(page, base, "secretariat")
    page.goto(f"{base}/en/programme/")
    page.get_by_role("link", name=NEW_TITLE).click()
    page.get_by_role("link", name="Record adoption").click()

    # Days in the wrong order: said next to the field, nothing recorded.
    fill_adoption(page, "28/11/2018", "27/11/2018")
    check_page(page, "adopt-form")
    page.get_by_role("button", name="Record adoption").click()
    assert "The last day is before the first day of the Conference." in page.inner_text("main")
    page.get_by_label("First day").fill("27/11/2018")
    page.get_by_label("Last day (day of adoption)").fill("28/11/2018")
    page.get_by_role("button", name="Record adoption").click()
    page.wait_for_url(f"{base}/en/programme/{new.pk}/")
    header = page.locator("article header").inner_text()
    assert "P-PG/MinConf (2018) 4" in header and "Adopted" in header
    assert "Adopted at the 17th Ministerial Conference, Stavanger, 28 November 2018." in header

    page.get_by_role("link", name="Put in force and hand over").click()
    assert page.get_by_test_id("activity-row").count() == 13
    assert page.get_by_test_id("proposal-row").count() == 8
    check_page(page, "hand-over")
    # Pre-filled from the numbers: 3.2 in the old programme, 3.2 in the new.
    assert _row(page, "activity", CANNABIS).get_by_label(re.compile(r"^3\.2 ")).is_checked()
    _map_rows(page)
    # No reason: refused next to the row, and nothing is saved.
    page.get_by_role("button", name="Put P-PG/MinConf (2018) 4 in force").click()
    checking = _row(page, "proposal", COSTS)
    assert "say why the proposal is closed" in checking.inner_text()
    check_page(page, "hand-over-refused")
    page.goto(f"{base}/en/programme/")
    assert "Pompidou Group Work Programme 2015–2018" in page.locator("h1").inner_text()

    page.goto(f"{base}/en/programme/{new.pk}/hand-over/")
    _map_rows(page)
    _row(page, "proposal", COSTS).get_by_label("Reason for closing").fill(
        "The study is taken up by the EMCDDA."
    )
    page.get_by_role("button", name="Put P-PG/MinConf (2018) 4 in force").click()

    page.wait_for_url(f"{base}/en/programme/")
    assert "P-PG/MinConf (2018) 4 is in force; the hand-over is recorded." in page.inner_text(
        "main"
    )
    assert page.locator("h1").inner_text() == NEW_TITLE
    assert "In force" in page.locator("article header").inner_text()
    check_page(page, "new-programme-in-force")
    page.get_by_role("link", name="Pompidou Group Work Programme 2015–2018").click()
    assert "Closed" in page.locator("article header").inner_text()

    page.goto(f"{base}/en/activities/{CANNABIS}/")
    details = page.locator("main").inner_text()
    assert "P-PG/MinConf (2018) 4" in details
    assert "3.5 Digital environments" in details
    assert "4.10 Online academy" in details
    check_page(page, "activity-carried-over")
    page.goto(f"{base}/en/activities/{SUSPENDED}/")
    # Left with the closed programme; its page still lets the Secretariat finish it.
    assert "P-PG/MinConf (2014) 4" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Change").count() == 1

    page.goto(f"{base}/en/proposals/")
    page.get_by_role("link", name=COSTS, exact=True).click()
    main = page.locator("main").inner_text()
    assert "Withdrawn" in main
    assert "The study is taken up by the EMCDDA." in main
