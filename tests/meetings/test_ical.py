"""The iCalendar feed (RFC 5545): escaping, folding, all-day events, served publicly."""

import datetime as dt

from icalendar import Calendar

from meetings.ical import calendar
from pompidou.lib.ical import Feed
from programme.models import Meeting
from tests.conftest import client_for


def _feed(meeting: Meeting) -> str:
    feed = Feed("Meetings", "portal.example", dt.datetime(2018, 10, 1, 12, 0, tzinfo=dt.UTC))
    ics = calendar([meeting], feed, lambda m: f"https://portal.example/en/meetings/{m.pk}/")
    return ics.to_ical().decode()


def test_text_values_escape_backslash_semicolon_comma_and_line_breaks(db):
    meeting = Meeting.objects.create(
        kind="bureau", number=7, date=dt.date(2018, 3, 1), place="a\\b;c,d\ne"
    )
    assert "LOCATION:a\\\\b\\;c\\,d\\ne\r\n" in _feed(meeting)
    # Parsed back, the value is the place again.
    event = Calendar.from_ical(_feed(meeting)).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "a\\b;c,d\ne"


def test_long_lines_fold_at_75_octets_without_splitting_a_character(db):
    place = "é" * 80  # 160 octets
    text = _feed(
        Meeting.objects.create(kind="bureau", number=8, date=dt.date(2018, 3, 1), place=place)
    )
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    # Unfolding (remove CRLF + one space) gives the line back.
    assert "LOCATION:" + place in text.replace("\r\n ", "")
    assert any(line.startswith(" é") for line in lines)


def test_a_short_line_is_left_alone(db):
    lines = _feed(Meeting.objects.create(kind="bureau", number=9, date=dt.date(2018, 3, 1))).split(
        "\r\n"
    )
    assert "VERSION:2.0" in lines


def test_each_meeting_is_an_all_day_event_with_an_exclusive_end(db):
    meeting = Meeting.objects.create(
        kind="pc_plenary",
        number=83,
        date=dt.date(2018, 11, 27),
        end_date=dt.date(2018, 11, 28),
        place="Strasbourg, Palais de l'Europe",
    )
    text = _feed(meeting)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    lines = text.split("\r\n")
    assert f"UID:meeting-{meeting.pk}@portal.example" in lines
    assert "DTSTART;VALUE=DATE:20181127" in lines
    assert "DTEND;VALUE=DATE:20181129" in lines
    assert "DTSTAMP:20181001T120000Z" in lines
    assert "LOCATION:Strasbourg\\, Palais de l'Europe" in lines
    assert "SUMMARY:83rd Permanent Correspondents' plenary" in lines
    assert "STATUS:TENTATIVE" in lines  # planned: it may still move
    assert "\n" not in text.replace("\r\n", "")


def test_the_feed_is_public_text_calendar_in_the_pages_language(db):
    Meeting.objects.create(kind="pc_plenary", number=82, date=dt.date(2018, 6, 5))
    response = client_for(None).get("/fr/meetings/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "SUMMARY:82e réunion plénière des Correspondants permanents" in body
    assert "DTSTART;VALUE=DATE:20180605" in body
