"""The VEVENTs a long feed writes as text (pompidou.lib.ical.all_day_event_text) say
what the icalendar library's events say, escaped and folded by RFC 5545's rules."""

import datetime as dt

import pytest
from icalendar import Calendar

from pompidou.lib.ical import Feed, all_day_event, all_day_event_text, calendar_text, new_calendar

STAMP = dt.datetime(2026, 12, 2, 15, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "fields",
    [
        {"summary": "Start of PG-2016-001: Prison health", "categories": ("Start",)},
        {
            "summary": "Évaluation, prévention; \\ " + "é" * 150 + "\nsecond line",
            "description": "Not done yet.",
            "categories": ("Milestone", "a, b"),
            "status": "TENTATIVE",
        },
    ],
)
def test_the_text_event_reads_back_as_the_librarys(fields):
    common = {
        "uid": "activity-PG-2016-001-start@example.org",
        "first": dt.date(2016, 3, 1),
        "last": dt.date(2016, 3, 1),
        "url": "https://example.org/en/activities/PG-2016-001/",
        "stamp": STAMP,
        **fields,
    }
    feed = Feed("Activities", "example.org", STAMP)
    library = new_calendar(feed, "activities")
    library.add_component(all_day_event(**common))
    fields = {k: v for k, v in common.items() if k not in ("first", "last")}
    text = calendar_text(
        new_calendar(feed, "activities"), [all_day_event_text(day=common["first"], **fields)]
    )
    ours = Calendar.from_ical(text)
    assert ours.to_ical() == Calendar.from_ical(library.to_ical()).to_ical()
    lines = text.decode("utf-8").split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert lines[-2:] == ["END:VCALENDAR", ""]
