"""A visitor filters the activities and takes them away through the list page's links:
the iCalendar feed (parsed as a calendar client would) and the IATI XML file
(validated against the IATI 2.03 schema), each keeping the filters."""

import re

import pytest
from icalendar import Calendar

from tests.activities.iati_helpers import parse_valid
from tests.e2e.conftest import download

pytestmark = pytest.mark.e2e


def test_a_visitor_takes_the_filtered_activities_to_a_calendar_and_as_iati(
    page, live_server, demo, check_page
):
    base = live_server.url
    page.goto(f"{base}/en/activities/")
    page.get_by_label("Year").fill("2016")
    page.get_by_label("Member state").select_option(label="Germany")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r".*year=2016.*"))
    table = page.get_by_test_id("activity-table")
    listed = set(table.locator("tbody tr td:first-child").all_inner_texts())
    assert listed, "the filters should leave some activities"
    check_page(page, "activities-with-feeds")

    feed = page.get_by_role("link", name="Calendar (iCal)")
    assert "year=2016" in feed.get_attribute("href")
    calendar = Calendar.from_ical(download(page, feed))
    assert calendar["X-WR-CALNAME"] == "Pompidou Group activities"
    events = calendar.walk("VEVENT")
    in_feed = {re.search(r"PG-\d{4}-\d+", str(e["SUMMARY"])).group(0) for e in events}
    assert in_feed == {ref.strip() for ref in listed}
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND"} <= set(event)
        assert str(event["URL"]).startswith(f"{base}/en/activities/PG-")

    iati = page.get_by_role("link", name="IATI XML")
    root = parse_valid(download(page, iati))
    in_file = {re.search(r"PG-\d{4}-\d+$", e.text).group(0) for e in root.iter("iati-identifier")}
    assert in_file == {ref.strip() for ref in listed}

    # A French visitor's link asks for a French feed.
    page.goto(f"{base}/fr/activities/?year=2016")
    href = page.get_by_test_id("calendar-feed").get_attribute("href")
    assert "language=fr" in href
    french = Calendar.from_ical(download(page, page.get_by_test_id("calendar-feed")))
    assert all("/fr/activities/" in str(e["URL"]) for e in french.walk("VEVENT"))
