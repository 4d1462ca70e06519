import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from activities.models import Activity, AnnualProgramme
from pompidou.models import AuditEvent
from programme.models import Meeting
from tests.activities.factories import (
    ActivityFactory,
    AnnualProgrammeEntryFactory,
    AnnualProgrammeFactory,
    MilestoneFactory,
)
from tests.programme.factories import ThematicPriorityFactory, WorkProgrammeFactory

LIST = "/api/v1/activities/"


@pytest.fixture
def api():
    return APIClient()


def client_as(user) -> APIClient:
    # A real session login, so every request loads its user (and roles) afresh.
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def priority(programme, number):
    return programme.priorities.get(number=number)


def fmt(programme, number):
    return programme.formats.get(number=number)


def make(programme, states, **fields):
    """An activity of the 2015–2018 programme, led by France, under 3.2 unless told."""
    fields.setdefault("work_programme", programme)
    fields.setdefault("lead_member_state", states["FR"])
    fields.setdefault("thematic_priorities", [priority(programme, "3.2")])
    return ActivityFactory(**fields)


def adopted_programme(programme, year=2016, **fields):
    return AnnualProgrammeFactory(
        work_programme=programme,
        year=year,
        status=AnnualProgramme.Status.ADOPTED,
        adopted_on=dt.date(year - 1, 12, 1),
        **fields,
    )


def refs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


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


# --- create ------------------------------------------------------------------------


def payload(programme, **changes):
    body = {
        "title": "Drug-related crime in airports",
        "work_programme": programme.pk,
        "thematic_priorities": [priority(programme, "3.4").pk],
        "permanent_format": fmt(programme, "4.2").pk,
        "adoption_route": "ad_hoc",
        "lead_member_state": "FR",
        "participating_states": ["DE", "IT"],
        "start_date": "2016-03-01",
        "end_date": "2016-11-30",
        "planned_budget": "25000.00",
    }
    body.update(changes)
    return body


def test_secretariat_creates_an_activity_with_a_new_reference(secretariat, programme):
    client = client_as(secretariat)
    response = client.post(
        LIST,
        payload(programme, milestones=[{"title": "Kick-off", "due_date": "2016-04-01"}]),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("PG-2016-")
    assert body["lead_member_state"] == "FR"
    assert body["participating_states"] == ["DE", "IT"]
    assert body["status"] == "planned"
    assert body["milestones"] == [{"title": "Kick-off", "due_date": "2016-04-01", "done": False}]
    activity = Activity.objects.get(reference=body["reference"])
    assert activity.history.get().kind == "created"
    assert client.get(f"{LIST}{activity.reference}/").status_code == 200


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_may_create_activities(personas, persona, programme):
    response = client_as(personas[persona]).post(LIST, payload(programme), format="json")
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_a_pc_is_refused_before_the_body_is_even_checked(pc_fr, programme):
    response = client_as(pc_fr).post(LIST, {"start_date": "not a date"}, format="json")
    assert response.status_code == 403
    assert "start_date" not in response.json()


def test_anonymous_create_is_refused_not_a_server_error(api, programme):
    response = api.post(LIST, payload(programme), format="json")
    assert response.status_code in (401, 403)
    assert not Activity.objects.exists()


def test_end_before_start_is_a_400_naming_end_date_and_creates_nothing(secretariat, programme):
    response = client_as(secretariat).post(
        LIST, payload(programme, start_date="2016-06-01", end_date="2016-05-01"), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"end_date"}
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_priority_of_another_programme_is_a_400_naming_thematic_priorities(
    secretariat, programme
):
    stranger = ThematicPriorityFactory()
    response = client_as(secretariat).post(
        LIST, payload(programme, thematic_priorities=[stranger.pk]), format="json"
    )
    assert response.status_code == 400
    assert "thematic_priorities" in response.json()
    assert not Activity.objects.exists()


def test_a_negative_budget_is_a_400_naming_planned_budget(secretariat, programme):
    response = client_as(secretariat).post(
        LIST, payload(programme, planned_budget="-1.00"), format="json"
    )
    assert response.status_code == 400
    assert "planned_budget" in response.json()
    assert not Activity.objects.exists()


def test_every_problem_of_a_new_activity_is_reported_at_once(secretariat, programme):
    response = client_as(secretariat).post(
        LIST, {"title": "", "work_programme": programme.pk}, format="json"
    )
    assert response.status_code == 400
    assert {"title", "start_date", "end_date", "thematic_priorities"} <= set(response.json())


def test_an_unknown_member_state_code_is_a_400_naming_the_field(secretariat, programme):
    response = client_as(secretariat).post(
        LIST, payload(programme, lead_member_state="XX"), format="json"
    )
    assert response.status_code == 400
    assert "lead_member_state" in response.json()


def test_a_new_activity_cannot_be_given_a_status(secretariat, programme):
    response = client_as(secretariat).post(
        LIST, payload(programme, status="completed"), format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()
    assert not Activity.objects.exists()


# --- update ------------------------------------------------------------------------


@pytest.fixture
def planned(programme, states):
    return make(programme, states, title="Old title")


def test_patch_changes_a_field_and_records_the_change(secretariat, planned):
    response = client_as(secretariat).patch(
        f"{LIST}{planned.reference}/", {"title": "New title"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "New title"
    planned.refresh_from_db()
    assert planned.title == "New title"
    record = planned.history.get()
    assert (record.kind, record.changes) == ("updated", {"title": ["Old title", "New title"]})
    assert record.actor == secretariat


def test_patch_changes_member_states_by_code(secretariat, planned):
    response = client_as(secretariat).patch(
        f"{LIST}{planned.reference}/",
        {"lead_member_state": "DE", "participating_states": ["NO", "ES"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["lead_member_state"] == "DE"
    assert response.json()["participating_states"] == ["ES", "NO"]


def test_patch_breaking_a_rule_is_a_400_and_changes_nothing(secretariat, planned):
    response = client_as(secretariat).patch(
        f"{LIST}{planned.reference}/", {"end_date": "2015-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "end_date" in response.json()
    planned.refresh_from_db()
    assert planned.end_date == dt.date(2016, 12, 31)
    assert not planned.history.exists()


def test_status_cannot_be_patched(secretariat, planned):
    response = client_as(secretariat).patch(
        f"{LIST}{planned.reference}/", {"status": "completed"}, format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()
    planned.refresh_from_db()
    assert planned.status == Activity.Status.PLANNED


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider", "anonymous"])
def test_only_the_secretariat_may_patch(personas, persona, planned):
    response = client_as(personas[persona]).patch(
        f"{LIST}{planned.reference}/", {"title": "Hijacked"}, format="json"
    )
    assert response.status_code in ((401, 403) if persona == "anonymous" else (403,))
    planned.refresh_from_db()
    assert planned.title == "Old title"


def test_no_put_and_no_delete(secretariat, planned):
    client = client_as(secretariat)
    url = f"{LIST}{planned.reference}/"
    assert client.put(url, {"title": "x"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert Activity.objects.filter(pk=planned.pk).exists()


# --- status ------------------------------------------------------------------------


def post_status(user, activity, status, comment=""):
    return client_as(user).post(
        f"{LIST}{activity.reference}/status/", {"status": status, "comment": comment}, format="json"
    )


def test_an_allowed_transition_changes_the_status_and_records_it(secretariat, planned):
    response = post_status(secretariat, planned, "suspended", "Waiting for funds")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
    record = planned.history.get()
    assert (record.kind, record.from_state, record.to_state) == ("status", "planned", "suspended")
    assert record.comment == "Waiting for funds"


def test_planned_cannot_jump_to_completed(secretariat, planned):
    response = post_status(secretariat, planned, "completed")
    assert response.status_code == 400
    assert "status" in response.json()
    planned.refresh_from_db()
    assert planned.status == Activity.Status.PLANNED


def test_an_activity_starts_only_with_human_rights_and_gender_stated(secretariat, planned):
    response = post_status(secretariat, planned, "ongoing")
    assert response.status_code == 400
    assert "human-rights" in response.json()["status"][0]
    planned.human_rights_considerations = "Access to treatment respected."
    planned.gender_considerations = "Women in prison addressed."
    planned.save()
    assert post_status(secretariat, planned, "ongoing").json()["status"] == "ongoing"


def test_an_unknown_status_is_a_400_naming_status(secretariat, planned):
    response = post_status(secretariat, planned, "finished")
    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider", "anonymous"])
def test_only_the_secretariat_changes_the_status(personas, persona, planned):
    response = post_status(personas[persona], planned, "suspended")
    assert response.status_code in ((401, 403) if persona == "anonymous" else (403,))
    planned.refresh_from_db()
    assert planned.status == Activity.Status.PLANNED


# --- query counts --------------------------------------------------------------------


def _grow_activities(programme, states, n):
    for i in range(n):
        activity = make(
            programme,
            states,
            adoption_route=Activity.Route.AD_HOC,
            thematic_priorities=[priority(programme, "3.2"), priority(programme, "3.4")],
        )
        activity.participating_states.set([states["DE"], states["IT"]])
        MilestoneFactory.create_batch(2, activity=activity, title=f"Step {i}")


def test_activity_list_answers_in_a_constant_number_of_queries(
    api, programme, states, django_assert_max_num_queries
):
    for total in (3, 30):
        _grow_activities(programme, states, total - Activity.objects.count())
        # count, rows (with lead state and supervisor), milestones, participating
        # states, priorities
        with django_assert_max_num_queries(5):
            response = api.get(LIST, {"page_size": 500})
        assert response.json()["count"] == total


def test_activity_list_for_a_member_answers_in_a_constant_number_of_queries(
    pc_fr, programme, states, django_assert_max_num_queries
):
    client = client_as(pc_fr)
    for total in (3, 30):
        _grow_activities(programme, states, total - Activity.objects.count())
        # session, user, the user's groups, profile and Bureau mandates (roles),
        # count, rows, milestones, participating states, priorities, then the
        # session saved again (idle timeout: savepoint, update, release)
        with django_assert_max_num_queries(13):
            response = client.get(LIST, {"page_size": 500})
        assert response.json()["count"] == total


def test_annual_programme_list_answers_in_a_constant_number_of_queries(
    api, programme, states, django_assert_max_num_queries
):
    for year, size in ((2015, 3), (2016, 30)):
        ap = adopted_programme(programme, year=year)
        for _ in range(size):
            AnnualProgrammeEntryFactory(
                annual_programme=ap,
                activity=make(
                    programme, states, start_date=dt.date(year, 1, 1), end_date=dt.date(year, 9, 1)
                ),
            )
        # count, programmes with totals (work programme, meeting joined), entries
        # with their activity
        with django_assert_max_num_queries(3):
            response = api.get("/api/v1/annual-programmes/")
        assert (
            sum(ap["entry_count"] for ap in response.json()["results"]) == Activity.objects.count()
        )


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
    from tests.activities.factories import ActivityFactory

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


def test_a_pasted_line_break_is_kept_as_a_line_feed_and_a_control_character_refused(
    secretariat, programme
):
    client = client_as(secretariat)
    response = client.post(
        LIST,
        payload(
            programme,
            title="Airports\x0bGroup",
            milestones=[{"title": "Kick\x0coff", "due_date": "2016-04-01"}],
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(reference=response.json()["reference"])
    assert activity.title == "Airports\nGroup"
    assert [m.title for m in activity.milestones.all()] == ["Kick\noff"]

    response = client.patch(
        f"{LIST}{activity.reference}/", {"description": "bell\x07"}, format="json"
    )
    assert response.status_code == 400
    assert "U+0007" in response.json()["description"][0]
    activity.refresh_from_db()
    assert activity.description == ""
