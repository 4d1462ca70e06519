"""The iCalendar feed (RFC 5545): escaping, folding, all-day events, served publicly."""

import datetime as dt

from meetings.ical import calendar, escape, fold
from programme.models import Meeting
from tests.conftest import client_for


def test_text_values_escape_backslash_semicolon_comma_and_line_breaks():
    assert escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "é" * 80  # 8 + 160 octets
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    # Unfolding (remove CRLF + one space) gives the line back.
    assert folded.replace("\r\n ", "") == line


def test_a_short_line_is_left_alone():
    assert fold("VERSION:2.0") == "VERSION:2.0"


def test_each_meeting_is_an_all_day_event_with_an_exclusive_end(db):
    meeting = Meeting.objects.create(
        kind="pc_plenary",
        number=83,
        date=dt.date(2018, 11, 27),
        end_date=dt.date(2018, 11, 28),
        place="Strasbourg, Palais de l'Europe",
    )
    text = calendar(
        [meeting],
        name="Meetings",
        host="portal.example",
        url_of=lambda m: f"https://portal.example/en/meetings/{m.pk}/",
        now=dt.datetime(2018, 10, 1, 12, 0, tzinfo=dt.UTC),
    )
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
