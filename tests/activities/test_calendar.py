"""/calendar/activities.ics: an RFC 5545 feed parsed back with icalendar (required
properties, folding, all-day events), filtered and seen as the list, in the asked
language, with its query count; and /calendar/meetings.ics beside it."""

import datetime as dt
import re

import pytest
from icalendar import Calendar

from activities import calendar as calendar_module
from activities.models import Activity
from programme.models import Meeting
from tests.activities.api_helpers import LIST, make, refs
from tests.activities.factories import MilestoneFactory
from tests.activities.iati_helpers import BAD_FILTERS
from tests.conftest import client_as

FEED = "/calendar/activities.ics"
# The feed starts three months back unless told: these activities are of 2016.
SINCE = {"since": "2015-01-01"}


def _parse(response) -> Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _references(calendar: Calendar) -> set[str]:
    return {str(e["SUMMARY"]).split(" of ", 1)[1].split(":")[0] for e in calendar.walk("VEVENT")}


@pytest.fixture
def running(programme, states):
    """An ad hoc activity of 2016 with a milestone, public."""
    dates = {"start_date": dt.date(2016, 3, 1), "end_date": dt.date(2016, 11, 30)}
    activity = make(
        programme, states, adoption_route="ad_hoc", title="Prison treatment, peer review", **dates
    )
    MilestoneFactory(activity=activity, title="Report, first draft", due_date=dt.date(2016, 6, 30))
    return activity


def test_the_feed_has_every_required_property_and_the_start_end_and_milestones(running):
    calendar = _parse(client_as(None).get(FEED, SINCE))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Pompidou Group//Work programme portal//EN"
    assert calendar["X-WR-CALNAME"] == "Pompidou Group activities"
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT12H"  # Outlook reads it as text
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=12)
    events = _events(calendar)
    host = "testserver"
    assert set(events) == {
        f"activity-{running.reference}-start@{host}",
        f"activity-{running.reference}-end@{host}",
        f"milestone-{running.milestones.get().pk}@{host}",
    }
    for event in events.values():
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event, required
        assert event["URL"] == f"http://testserver/en/activities/{running.reference}/"
        assert event["TRANSP"] == "TRANSPARENT"
    start = events[f"activity-{running.reference}-start@{host}"]
    assert start["SUMMARY"] == f"Start of {running.reference}: Prison treatment, peer review"
    assert start["DTSTART"].dt == dt.date(2016, 3, 1)
    assert start["DTEND"].dt == dt.date(2016, 3, 2)  # all day: the end is exclusive
    end = events[f"activity-{running.reference}-end@{host}"]
    assert end["DTSTART"].dt == dt.date(2016, 11, 30)
    milestone = events[f"milestone-{running.milestones.get().pk}@{host}"]
    assert milestone["SUMMARY"] == f"Milestone of {running.reference}: Report, first draft"
    assert milestone["DTSTART"].dt == dt.date(2016, 6, 30)
    assert milestone["DESCRIPTION"] == "Not done yet."


def test_the_raw_text_is_crlf_escaped_and_folded_at_75_octets(programme, states):
    title = "Évaluation, prévention; " + "é" * 150
    make(programme, states, adoption_route="ad_hoc", title=title)
    text = client_as(None).get(FEED, SINCE).content.decode()
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == ""
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in lines
    unfolded = text.replace("\r\n ", "")
    assert "Évaluation\\, prévention\\; " + "é" * 150 in unfolded
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(text).walk("VEVENT")]
    assert all(s.endswith(title) for s in summaries)


def test_uids_are_stable_and_dtstamp_is_now(running):
    first = _parse(client_as(None).get(FEED, SINCE))
    second = _parse(client_as(None).get(FEED, SINCE))
    assert set(_events(first)) == set(_events(second))
    # The second comes from the cache (kept until the next write): its own DTSTAMP too.
    for event in (*first.walk("VEVENT"), *second.walk("VEVENT")):
        stamp = event["DTSTAMP"].dt
        assert stamp.tzinfo is not None
        assert abs(stamp - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


@pytest.mark.parametrize(
    ("status", "ical_status"),
    [
        (Activity.Status.PLANNED, "TENTATIVE"),
        (Activity.Status.ONGOING, "CONFIRMED"),
        (Activity.Status.CANCELLED, "CANCELLED"),
    ],
)
def test_the_events_status_follows_the_activity(programme, states, status, ical_status):
    make(programme, states, adoption_route="ad_hoc", status=status)
    events = _parse(client_as(None).get(FEED, SINCE)).walk("VEVENT")
    assert {str(e["STATUS"]) for e in events} == {ical_status}


@pytest.mark.parametrize(
    "params", [{"year": "2017"}, {"member_state": "DE"}, {"status": "ongoing"}, {}]
)
def test_the_feed_is_filtered_and_seen_as_the_list(programme, states, pc_fr, params):
    make(programme, states, adoption_route="ad_hoc")
    later = make(
        programme,
        states,
        adoption_route="urgent",
        status=Activity.Status.ONGOING,
        start_date=dt.date(2017, 1, 10),
        end_date=dt.date(2017, 5, 1),
    )
    later.participating_states.set([states["DE"]])
    make(programme, states)  # annual route, not adopted: members only
    for client in (client_as(None), client_as(pc_fr)):
        expected = refs(client.get(LIST, {**params, "page_size": 500}))
        assert _references(_parse(client.get(FEED, {**SINCE, **params}))) == expected


@pytest.mark.parametrize(("params", "field"), [*BAD_FILTERS, ({"language": "de"}, "language")])
def test_a_bad_filter_or_language_answers_400_naming_it(running, params, field):
    response = client_as(None).get(FEED, {**SINCE, **params})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(f"{field}: ")


def test_the_language_is_asked_in_the_address_or_by_the_client(running):
    by_address = client_as(None).get(FEED, {**SINCE, "language": "fr"})
    assert by_address["Content-Language"] == "fr"
    urls = {str(e["URL"]) for e in _parse(by_address).walk("VEVENT")}
    assert urls == {f"http://testserver/fr/activities/{running.reference}/"}
    by_client = client_as(None).get(FEED, SINCE, headers={"accept-language": "fr"})
    assert by_client["Content-Language"] == "fr"
    assert "Accept-Language" in by_client["Vary"]
    urls = {str(e["URL"]) for e in _parse(by_client).walk("VEVENT")}
    assert urls == {f"http://testserver/fr/activities/{running.reference}/"}
    english = client_as(None).get(FEED, SINCE, headers={"accept-language": "en"})
    assert english["Content-Language"] == "en"


def test_the_feed_answers_in_two_queries_whatever_its_length(
    programme, states, django_assert_num_queries
):
    for total in (3, 30):
        while Activity.objects.count() < total:
            MilestoneFactory(activity=make(programme, states, adoption_route="ad_hoc"))
        # activities (the public ones: adopted-programme subquery), their milestones
        with django_assert_num_queries(2):
            calendar = _parse(client_as(None).get(FEED, SINCE))
        assert len(calendar.walk("VEVENT")) == 3 * total


def test_the_feed_is_kept_until_the_next_write_and_answered_with_its_own_dtstamp(
    running, django_assert_num_queries
):
    def unstamped(text: bytes) -> bytes:
        return re.sub(rb"\r\nDTSTAMP:[0-9TZ]+\r\n", b"\r\n", text)

    client = client_as(None)
    first = client.get(FEED, SINCE)
    with django_assert_num_queries(0):
        again = client.get(FEED, SINCE)
    assert unstamped(again.content) == unstamped(first.content)
    assert again.content.count(b"\r\nDTSTAMP:") == 3 and b"DTSTAMP:2000" not in again.content
    assert again["X-Events-Cut"] == first["X-Events-Cut"] == "false"
    running.title = "Prison treatment, renamed"
    running.save()
    assert "renamed" in client.get(FEED, SINCE).content.decode()
    # Another language, another day to start from: each its own feed.
    assert client.get(FEED, {**SINCE, "language": "fr"})["Content-Language"] == "fr"
    assert b"BEGIN:VEVENT" not in client.get(FEED, {"since": "2017-01-01"}).content


def test_the_meetings_feed_is_at_calendar_too_in_the_asked_language(db):
    Meeting.objects.create(kind="pc_plenary", number=82, date=dt.date(2018, 6, 5))
    calendar = _parse(client_as(None).get("/calendar/meetings.ics", {"language": "fr"}))
    [event] = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "82e réunion plénière des Correspondants permanents"
    assert event["TRANSP"] == "OPAQUE"  # a meeting takes the day
    assert str(event["URL"]).startswith("http://testserver/fr/meetings/")
    assert client_as(None).get("/calendar/meetings.ics", {"language": "xx"}).status_code == 400


def test_by_default_the_feed_starts_three_months_back_and_holds_what_comes(programme, states):
    today = dt.date.today()
    old = make(programme, states, adoption_route="ad_hoc")  # 2016
    running = make(
        programme,
        states,
        adoption_route="ad_hoc",
        start_date=today - dt.timedelta(days=400),
        end_date=today + dt.timedelta(days=30),
    )
    MilestoneFactory(activity=running, title="Long past", due_date=today - dt.timedelta(days=200))
    soon = MilestoneFactory(activity=running, title="Soon", due_date=today + dt.timedelta(days=5))
    events = _events(_parse(client_as(None).get(FEED)))
    host = "testserver"
    # The running activity's end and coming milestone; not its start a year ago, nor
    # its milestone of last winter, nor anything of 2016.
    assert set(events) == {
        f"activity-{running.reference}-end@{host}",
        f"milestone-{soon.pk}@{host}",
    }
    assert calendar_module.default_since(dt.date(2026, 2, 17)) == dt.date(2025, 11, 1)
    # since= moves the start; year= alone gives the year's activities whole.
    assert f"activity-{old.reference}-start@{host}" in _events(
        _parse(client_as(None).get(FEED, {"year": 2016}))
    )
    later = _events(_parse(client_as(None).get(FEED, {"since": today.isoformat()})))
    assert set(later) == {f"activity-{running.reference}-end@{host}", f"milestone-{soon.pk}@{host}"}


def test_a_bad_since_answers_400_naming_it(running):
    response = client_as(None).get(FEED, {"since": "last year"})
    assert response.status_code == 400
    assert response.content.decode().startswith("since: ")


def test_the_feed_holds_the_earliest_events_up_to_its_limit_and_says_so(
    programme, states, monkeypatch
):
    monkeypatch.setattr(calendar_module, "MAX_EVENTS", 3)
    first = make(
        programme,
        states,
        adoption_route="ad_hoc",
        start_date=dt.date(2016, 3, 1),
        end_date=dt.date(2016, 11, 30),
    )
    MilestoneFactory(activity=first, due_date=dt.date(2016, 6, 30))
    make(
        programme,
        states,
        adoption_route="ad_hoc",
        start_date=dt.date(2016, 12, 1),
        end_date=dt.date(2016, 12, 31),
    )
    response = client_as(None).get(FEED, SINCE)
    calendar = _parse(response)
    assert [e["DTSTART"].dt for e in calendar.walk("VEVENT")] == [
        dt.date(2016, 3, 1),
        dt.date(2016, 6, 30),
        dt.date(2016, 11, 30),
    ]
    assert response["X-Events-Cut"] == "true"
    assert "the first 3 events from 2016-03-01" in str(calendar["X-WR-CALDESC"])
    monkeypatch.setattr(calendar_module, "MAX_EVENTS", 10)
    response = client_as(None).get(FEED, SINCE)
    assert len(_parse(response).walk("VEVENT")) == 5 and response["X-Events-Cut"] == "false"
