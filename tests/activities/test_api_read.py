"""The activities and annual programmes API as clients read it: who sees what,
filters, ordering, totals against the ceiling."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from activities.models import Activity
from programme.models import Meeting
from tests.activities.api_helpers import (
    LIST,
    adopted_programme,
    fmt,
    make,
    priority,
    refs,
)
from tests.activities.factories import (
    ActivityFactory,
    AnnualProgrammeEntryFactory,
    AnnualProgrammeFactory,
    MilestoneFactory,
)
from tests.conftest import client_as
from tests.programme.factories import ThematicPriorityFactory, WorkProgrammeFactory

# --- visibility -------------------------------------------------------------------


@pytest.fixture
def public_and_hidden(programme, states):
    """Three adopted activities (ad hoc, urgent, annual in an adopted programme) and two
    not adopted (annual in a draft programme, annual in no programme)."""
    ad_hoc = make(programme, states, adoption_route=Activity.Route.AD_HOC)
    urgent = make(programme, states, adoption_route=Activity.Route.URGENT)
    in_adopted = make(programme, states)
    AnnualProgrammeEntryFactory(annual_programme=adopted_programme(programme), activity=in_adopted)
    in_draft = make(programme, states, start_date=dt.date(2017, 1, 1), end_date=dt.date(2017, 6, 1))
    AnnualProgrammeEntryFactory(
        annual_programme=AnnualProgrammeFactory(work_programme=programme, year=2017),
        activity=in_draft,
    )
    nowhere = make(programme, states)
    return {
        "public": {ad_hoc.reference, urgent.reference, in_adopted.reference},
        "hidden": {in_draft.reference, nowhere.reference},
    }


def test_anonymous_list_shows_only_adopted_activities(api, public_and_hidden):
    response = api.get(LIST)
    assert refs(response) == public_and_hidden["public"]
    assert response.json()["count"] == 3


def test_outsider_without_a_role_sees_only_adopted_activities(outsider, public_and_hidden):
    assert refs(client_as(outsider).get(LIST)) == public_and_hidden["public"]


@pytest.mark.parametrize("persona", ["secretariat", "pc_fr", "bureau_chair", "expert"])
def test_members_see_activities_not_yet_adopted(personas, persona, public_and_hidden):
    everything = public_and_hidden["public"] | public_and_hidden["hidden"]
    assert refs(client_as(personas[persona]).get(LIST)) == everything


def test_anonymous_detail_of_an_activity_in_a_draft_programme_is_404(api, public_and_hidden):
    for reference in public_and_hidden["hidden"]:
        assert api.get(f"{LIST}{reference}/").status_code == 404
    for reference in public_and_hidden["public"]:
        assert api.get(f"{LIST}{reference}/").status_code == 200


def test_detail_carries_codes_ids_usernames_and_milestones(api, programme, states, bureau_chair):
    activity = make(
        programme,
        states,
        adoption_route=Activity.Route.AD_HOC,
        permanent_format=fmt(programme, "4.2"),
        thematic_priorities=[priority(programme, "3.4"), priority(programme, "3.2")],
        supervisor=bureau_chair,
    )
    activity.participating_states.set([states["DE"], states["IT"]])
    MilestoneFactory(activity=activity, title="Kick-off", due_date=dt.date(2016, 2, 1))
    body = api.get(f"{LIST}{activity.reference}/").json()
    assert body["reference"] == activity.reference
    assert body["work_programme"] == programme.pk
    assert body["permanent_format"] == fmt(programme, "4.2").pk
    assert body["thematic_priorities"] == [
        priority(programme, "3.2").pk,
        priority(programme, "3.4").pk,
    ]
    assert body["lead_member_state"] == "FR"
    assert body["participating_states"] == ["DE", "IT"]
    assert body["supervisor"] == "bureau_chair"
    assert body["status"] == "planned"
    assert body["planned_budget"] == "10000.00"
    assert body["terms_of_reference_file"] is None
    assert body["milestones"] == [{"title": "Kick-off", "due_date": "2016-02-01", "done": False}]


def test_a_list_row_is_the_detail_and_a_write_shows_at_once(api, programme, states, bureau_chair):
    """The list writes its rows as the detail does (one code), and a row kept in the
    cache (listing.cached_representations) is written again after any change."""
    activity = make(
        programme,
        states,
        adoption_route=Activity.Route.AD_HOC,
        thematic_priorities=[priority(programme, "3.4"), priority(programme, "3.2")],
        supervisor=bureau_chair,
    )
    activity.participating_states.set([states["IT"], states["DE"]])
    MilestoneFactory(activity=activity, title="Report", due_date=dt.date(2016, 9, 1))
    MilestoneFactory(activity=activity, title="Kick-off", due_date=dt.date(2016, 2, 1))
    make(programme, states, adoption_route=Activity.Route.AD_HOC, lead_member_state=None)
    rows = api.get(LIST).json()["results"]
    assert len(rows) == 2
    for row in rows:
        assert row == api.get(f"{LIST}{row['reference']}/").json()
    assert api.get(LIST).json()["results"] == rows  # from the cache: the same
    MilestoneFactory(activity=activity, title="Closing", due_date=dt.date(2016, 12, 1))
    activity.participating_states.remove(states["IT"])
    row = next(r for r in api.get(LIST).json()["results"] if r["id"] == activity.pk)
    assert [m["title"] for m in row["milestones"]] == ["Kick-off", "Report", "Closing"]
    assert row["participating_states"] == ["DE"]


def test_an_address_that_is_not_a_reference_is_404(api, db):
    assert api.get(f"{LIST}42/").status_code == 404


# --- filters and ordering ---------------------------------------------------------


def test_year_and_priority_filters_combine(api, programme, states):
    wanted = make(
        programme,
        states,
        adoption_route=Activity.Route.AD_HOC,
        thematic_priorities=[priority(programme, "3.4"), priority(programme, "3.1")],
    )
    make(
        programme,
        states,
        adoption_route=Activity.Route.AD_HOC,
        thematic_priorities=[priority(programme, "3.4")],
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 12, 31),
    )
    make(programme, states, adoption_route=Activity.Route.AD_HOC)  # 2016, under 3.2
    response = api.get(LIST, {"year": 2016, "thematic_priority": priority(programme, "3.4").pk})
    # Once, although the activity stands under two priorities.
    assert [row["reference"] for row in response.json()["results"]] == [wanted.reference]


@pytest.fixture
def catalogue(programme, states):
    """Public activities differing in every filtered attribute."""
    other_wp = WorkProgrammeFactory(first_year=2015, last_year=2018)
    airports = make(
        programme,
        states,
        title="Drug trafficking at airports",
        adoption_route=Activity.Route.AD_HOC,
        permanent_format=fmt(programme, "4.2"),
        thematic_priorities=[priority(programme, "3.4")],
        planned_budget=Decimal("30000"),
    )
    prisons = make(
        programme,
        states,
        title="Treatment in prisons",
        adoption_route=Activity.Route.URGENT,
        lead_member_state=states["DE"],
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 12, 31),
        status=Activity.Status.ONGOING,
        planned_budget=Decimal("5000"),
    )
    prisons.participating_states.set([states["FR"]])
    elsewhere = make(
        programme,
        states,
        title="Cannabis policy",
        work_programme=other_wp,
        thematic_priorities=[ThematicPriorityFactory(work_programme=other_wp)],
        adoption_route=Activity.Route.AD_HOC,
        lead_member_state=states["NO"],
        start_date=dt.date(2016, 6, 1),
        end_date=dt.date(2017, 6, 1),
        status=Activity.Status.SUSPENDED,
        planned_budget=Decimal("12000"),
    )
    return {
        "airports": airports,
        "prisons": prisons,
        "elsewhere": elsewhere,
        "other_wp": other_wp,
        "programme": programme,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda c: {"year": 2017}, {"prisons", "elsewhere"}),
        (lambda c: {"year": 2015}, set()),
        (lambda c: {"work_programme": c["other_wp"].pk}, {"elsewhere"}),
        (lambda c: {"thematic_priority": priority(c["programme"], "3.4").pk}, {"airports"}),
        (lambda c: {"permanent_format": fmt(c["programme"], "4.2").pk}, {"airports"}),
        (lambda c: {"status": "ongoing"}, {"prisons"}),
        (lambda c: {"adoption_route": "urgent"}, {"prisons"}),
        # leading or taking part
        (lambda c: {"member_state": "FR"}, {"airports", "prisons"}),
        (lambda c: {"member_state": "NO"}, {"elsewhere"}),
        (lambda c: {"search": "PRISON"}, {"prisons"}),
        (lambda c: {"search": c["airports"].reference}, {"airports"}),
    ],
    ids=[
        "year",
        "year-without-activities",
        "work_programme",
        "thematic_priority",
        "permanent_format",
        "status",
        "adoption_route",
        "member_state-lead-or-participating",
        "member_state-lead",
        "search-title",
        "search-reference",
    ],
)
def test_each_filter_narrows_the_list(api, catalogue, params, expected):
    response = api.get(LIST, params(catalogue))
    assert refs(response) == {catalogue[name].reference for name in expected}


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["elsewhere", "airports", "prisons"]),
        ("-planned_budget", ["airports", "elsewhere", "prisons"]),
        ("start_date", ["airports", "elsewhere", "prisons"]),
    ],
)
def test_ordering_sorts_the_list(api, catalogue, ordering, expected):
    body = api.get(LIST, {"ordering": ordering}).json()
    assert [row["reference"] for row in body["results"]] == [
        catalogue[name].reference for name in expected
    ]


def test_default_order_is_latest_start_first(api, catalogue):
    body = api.get(LIST).json()
    assert [row["reference"] for row in body["results"]] == [
        catalogue[name].reference for name in ("prisons", "elsewhere", "airports")
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "emperor"}, "status"),
        ({"member_state": "XX"}, "member_state"),
        ({"year": "soon"}, "year"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_filter(api, catalogue, params, field):
    response = api.get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


# --- annual programmes ---------------------------------------------------------------


def test_annual_programme_detail_adds_up_its_entries_against_the_ceiling(api, programme, states):
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.PC_PLENARY, number=77, date=dt.date(2015, 12, 1)
    )
    ap = adopted_programme(programme, budget_ceiling=Decimal("25000"), adopting_meeting=meeting)
    first = make(programme, states, title="First")
    second = make(programme, states, title="Second")
    AnnualProgrammeEntryFactory(annual_programme=ap, activity=first, budget=Decimal("15000"))
    AnnualProgrammeEntryFactory(annual_programme=ap, activity=second, budget=Decimal("12500.50"))
    body = api.get("/api/v1/annual-programmes/2016/").json()
    assert body["year"] == 2016 and body["status"] == "adopted"
    assert body["work_programme"] == programme.pk
    assert body["budget_ceiling"] == "25000.00"
    assert body["total_budget"] == "27500.50"
    assert body["entry_count"] == 2
    assert body["over_ceiling"] is True
    assert body["adopting_meeting"] == str(meeting)
    assert body["adopted_on"] == "2015-12-01"
    assert body["entries"] == [
        {"reference": first.reference, "title": "First", "budget": "15000.00"},
        {"reference": second.reference, "title": "Second", "budget": "12500.50"},
    ]


def test_a_programme_within_its_ceiling_or_without_entries_is_not_over(api, programme, states):
    within = adopted_programme(programme, year=2016, budget_ceiling=Decimal("10000"))
    AnnualProgrammeEntryFactory(
        annual_programme=within, activity=make(programme, states), budget=Decimal("10000")
    )
    adopted_programme(programme, year=2017, budget_ceiling=Decimal("0"))
    by_year = {ap["year"]: ap for ap in api.get("/api/v1/annual-programmes/").json()["results"]}
    assert (by_year[2016]["total_budget"], by_year[2016]["over_ceiling"]) == ("10000.00", False)
    assert (by_year[2017]["total_budget"], by_year[2017]["entry_count"]) == ("0.00", 0)
    assert by_year[2017]["over_ceiling"] is False


def test_a_draft_annual_programme_is_hidden_from_the_public(api, outsider, pc_fr, programme):
    AnnualProgrammeFactory(work_programme=programme, year=2017)
    adopted_programme(programme, year=2016)
    for client in (api, client_as(outsider)):
        assert client.get("/api/v1/annual-programmes/2017/").status_code == 404
        listed = client.get("/api/v1/annual-programmes/").json()["results"]
        assert [ap["year"] for ap in listed] == [2016]
    member = client_as(pc_fr)
    assert member.get("/api/v1/annual-programmes/2017/").json()["status"] == "draft"
    assert [ap["year"] for ap in member.get("/api/v1/annual-programmes/").json()["results"]] == [
        2017,
        2016,
    ]


def test_annual_programmes_are_read_only(secretariat, programme):
    adopted_programme(programme)
    client = client_as(secretariat)
    assert (
        client.post("/api/v1/annual-programmes/", {"year": 2017}, format="json").status_code == 405
    )
    assert client.delete("/api/v1/annual-programmes/2016/").status_code == 405


def test_the_thematic_priority_filter_takes_the_priority_number(programme, states):

    darknet = ActivityFactory(
        adoption_route=Activity.Route.AD_HOC,
        work_programme=programme,
        thematic_priorities=[programme.priorities.get(number="3.4")],
    )
    ActivityFactory(
        adoption_route=Activity.Route.AD_HOC,
        work_programme=programme,
        thematic_priorities=[programme.priorities.get(number="3.3")],
    )
    api = APIClient()
    by_number = api.get(LIST, {"thematic_priority": "3.4"}).json()
    assert [a["reference"] for a in by_number["results"]] == [darknet.reference]
    unknown = api.get(LIST, {"thematic_priority": "9.9"})
    assert unknown.status_code == 400 and "thematic_priority" in unknown.json()


def test_the_schema_documents_the_priority_filter_by_number(db, programme):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    params = schema["paths"]["/api/v1/activities/"]["get"]["parameters"]
    priority = next(p for p in params if p["name"] == "thematic_priority")
    assert "3.3" in priority["description"]
    assert priority["schema"]["type"] == "string"  # a number like 3.3, not an id
