import datetime as dt
from decimal import Decimal

import pytest

from activities import services
from activities.models import Activity, AnnualProgramme
from programme.models import Meeting
from tests.activities.factories import ActivityFactory, AnnualProgrammeEntryFactory
from tests.conftest import client_for

D = Decimal


@pytest.fixture
def record(programme, secretariat, states):
    """A draft 2017 programme with one planned activity, and an adopted 2016 one."""
    p34 = programme.priorities.get(number="3.4")
    p31 = programme.priorities.get(number="3.1")
    adopted_activity = services.activity_create(
        actor=secretariat,
        work_programme=programme,
        title="Darknet markets training",
        thematic_priorities=[p34],
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2016, 12, 31),
        lead_member_state=states["DE"],
        planned_budget=D("40000"),
    )
    planned = services.activity_create(
        actor=secretariat,
        work_programme=programme,
        title="Prison health review",
        thematic_priorities=[p31],
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 12, 31),
        lead_member_state=states["FR"],
        planned_budget=D("20000"),
    )
    ap16 = services.annual_programme_create(
        actor=secretariat, work_programme=programme, year=2016, budget_ceiling=D("100000")
    )
    services.annual_programme_add_activity(
        annual_programme=ap16, activity=adopted_activity, actor=secretariat
    )
    meeting = Meeting.objects.create(kind="pc_plenary", number=77, date=dt.date(2015, 11, 24))
    services.annual_programme_adopt(annual_programme=ap16, actor=secretariat, meeting=meeting)
    ap17 = services.annual_programme_create(
        actor=secretariat, work_programme=programme, year=2017, budget_ceiling=D("10000")
    )
    services.annual_programme_add_activity(
        annual_programme=ap17, activity=planned, actor=secretariat
    )
    return {
        "adopted": adopted_activity,
        "planned": planned,
        "ap16": ap16,
        "ap17": ap17,
        "meeting": meeting,
    }


READ_MATRIX = [
    # persona, sees the unadopted activity / the draft annual programme
    ("secretariat", True),
    ("pc_fr", True),
    ("bureau_chair", True),
    ("expert", True),
    ("outsider", False),
    ("anonymous", False),
]


@pytest.mark.parametrize(("persona", "sees_unadopted"), READ_MATRIX)
def test_who_reads_which_activities(personas, record, persona, sees_unadopted):
    client = client_for(personas[persona])
    listing = client.get("/en/activities/").content.decode()
    assert "Darknet markets training" in listing
    assert ("Prison health review" in listing) == sees_unadopted
    adopted = client.get(f"/en/activities/{record['adopted'].reference}/")
    assert adopted.status_code == 200
    planned = client.get(f"/en/activities/{record['planned'].reference}/")
    assert planned.status_code == (200 if sees_unadopted else 404)
    assert client.get("/en/annual-programmes/2016/").status_code == 200
    assert client.get("/en/annual-programmes/2017/").status_code == (200 if sees_unadopted else 404)


WRITE_URLS = [
    ("get", "/en/activities/new/"),
    ("get", "/en/activities/{ref}/edit/"),
    ("post", "/en/activities/{ref}/status/"),
    ("post", "/en/activities/{ref}/milestones/"),
    ("post", "/en/annual-programmes/2017/entries/"),
    ("post", "/en/annual-programmes/2017/adopt/"),
    ("post", "/en/annual-programmes/2017/ceiling/"),
    ("post", "/en/annual-programmes/2016/roll-over/"),
]


@pytest.mark.parametrize(("method", "url"), WRITE_URLS)
@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider", "anonymous"])
def test_only_the_secretariat_changes_activities_and_programmes(
    personas, record, persona, method, url
):
    client = client_for(personas[persona])
    response = getattr(client, method)(url.format(ref=record["planned"].reference))
    if persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert AnnualProgramme.objects.get(year=2017).status == "draft"
    assert not AnnualProgramme.objects.filter(year=2017 + 1).exists()


def test_secretariat_records_an_activity_through_the_form(secretariat, record, programme):
    client = client_for(secretariat)
    assert client.get("/en/activities/new/").status_code == 200
    p33 = programme.priorities.get(number="3.3")
    response = client.post(
        "/en/activities/new/",
        {
            "title": "NPS early warning",
            "work_programme": programme.pk,
            "adoption_route": "annual",
            "thematic_priorities": [p33.pk],
            "start_date": "2017-02-01",
            "end_date": "2017-09-30",
            "planned_budget": "12000",
            "spent": "0",
        },
    )
    activity = Activity.objects.get(title="NPS early warning")
    assert response.status_code == 302
    assert response["Location"] == f"/en/activities/{activity.reference}/"


def test_form_shows_each_error_next_to_its_field_and_saves_nothing(secretariat, record, programme):
    response = client_for(secretariat).post(
        "/en/activities/new/",
        {
            "title": "Bad one",
            "work_programme": programme.pk,
            "adoption_route": "annual",
            "start_date": "2017-05-01",
            "end_date": "2017-04-01",
            "planned_budget": "-5",
            "spent": "0",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_end_date_errors"' in html and "before the start date" in html
    assert 'id="id_planned_budget_errors"' in html and "cannot be negative" in html
    assert 'id="id_thematic_priorities_errors"' in html
    assert not Activity.objects.filter(title="Bad one").exists()


def test_status_change_from_the_page_and_a_refused_jump(secretariat, record):
    client = client_for(secretariat)
    ref = record["planned"].reference
    response = client.post(f"/en/activities/{ref}/status/", {"status": "completed"}, follow=True)
    assert "Select a valid choice" in response.content.decode()
    response = client.post(f"/en/activities/{ref}/status/", {"status": "ongoing"}, follow=True)
    assert "State the human-rights considerations and gender considerations" in (
        response.content.decode()
    )
    assert Activity.objects.get(reference=ref).status == "planned"


def test_annual_programme_page_shows_totals_against_the_ceiling(pc_fr, record):
    html = client_for(pc_fr).get("/en/annual-programmes/2017/").content.decode()
    assert "Over the ceiling by" in html
    assert "10,000 EUR" in html  # the total of 20,000 exceeds the 10,000 ceiling
    assert "3.1 Bringing human rights" in html


def test_adopting_from_the_page_freezes_the_programme(secretariat, record):
    client = client_for(secretariat)
    meeting = Meeting.objects.create(kind="pc_plenary", number=79, date=dt.date(2016, 11, 29))
    client.post("/en/annual-programmes/2017/adopt/", {"meeting": meeting.pk})
    ap = AnnualProgramme.objects.get(year=2017)
    assert ap.status == "adopted"
    html = client.get("/en/annual-programmes/2017/").content.decode()
    assert "Record the adoption" not in html
    newcomer = ActivityFactory(
        work_programme=record["planned"].work_programme,
        start_date=dt.date(2017, 3, 1),
        end_date=dt.date(2017, 4, 1),
    )
    response = client.post(
        "/en/annual-programmes/2017/entries/", {"activity": newcomer.pk}, follow=True
    )
    assert "is adopted; its entries can no longer change" in response.content.decode()


def test_export_from_the_list_page_keeps_the_filters(pc_fr, record, programme):
    p34 = programme.priorities.get(number="3.4")
    response = client_for(pc_fr).get("/en/activities/", {"thematic_priority": p34.pk, "fmt": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "Darknet markets training" in body
    assert "Prison health review" not in body


def test_list_filters_combine(pc_fr, record, programme):
    client = client_for(pc_fr)
    p31 = programme.priorities.get(number="3.1")
    html = client.get(
        "/en/activities/", {"year": 2017, "thematic_priority": p31.pk, "member_state": "FR"}
    ).content.decode()
    assert "Prison health review" in html and "Darknet markets training" not in html
    html = client.get("/en/activities/", {"year": 2016, "member_state": "FR"}).content.decode()
    assert "No activity matches these filters." in html


def test_a_bad_filter_value_is_a_form_error_not_a_crash(pc_fr, record):
    response = client_for(pc_fr).get("/en/activities/", {"status": "exploded", "year": "abc"})
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()


def test_priority_page_lists_its_activities(client, record, programme):
    p34 = programme.priorities.get(number="3.4")
    html = client.get(f"/en/programme/priorities/{p34.pk}/").content.decode()
    assert "Darknet markets training" in html
    assert "No activities are recorded here yet." not in html


def test_activity_list_answers_in_a_constant_number_of_queries(
    secretariat, programme, django_assert_num_queries
):
    client = client_for(secretariat)
    p = programme.priorities.first()
    for size in (3, 40):
        for _ in range(size):
            a = ActivityFactory(work_programme=programme)
            a.thematic_priorities.add(p)
        # session, user, roles (groups, profile, mandates), count, page of rows,
        # their priorities, filter form choices (work programmes, priorities,
        # formats, member states), the unread notices (the nav's Inbox), session save
        # (savepoint, update, release)
        with django_assert_num_queries(16):
            assert client.get("/en/activities/").status_code == 200


def test_annual_programme_page_answers_in_a_constant_number_of_queries(
    secretariat, programme, django_assert_num_queries
):
    client = client_for(secretariat)
    entry = AnnualProgrammeEntryFactory(
        annual_programme__work_programme=programme, activity__work_programme=programme
    )
    ap = entry.annual_programme
    for size in (3, 30):
        for _ in range(size):
            a = ActivityFactory(work_programme=programme)
            a.thematic_priorities.add(programme.priorities.first())
            AnnualProgrammeEntryFactory(annual_programme=ap, activity=a)
        # session, user, roles (groups, profile, mandates), programme, the totals
        # per priority and the priorities, the totals per format and the formats,
        # the entries' order (these 5 read again after each write), the page's
        # entries and their priorities, history (audit events with their
        # actors), stale compilations marked failed, the compiled documents, entry
        # form (how many candidates, then the candidates), adopt form (meetings), the
        # unread notices (the nav's Inbox), session save (savepoint, update, release)
        with django_assert_num_queries(22):
            assert client.get(f"/en/annual-programmes/{ap.year}/").status_code == 200


def test_dashboard_flags_a_draft_over_its_ceiling_and_overdue_milestones(secretariat, record):
    # Seen while the programme still runs: its late milestones are overdue.
    from programme.models import WorkProgramme

    WorkProgramme.objects.update(last_year=dt.date.today().year)
    services.milestone_add(
        activity=record["planned"],
        actor=secretariat,
        title="Kick-off",
        due_date=dt.date(2017, 2, 1),
    )
    html = client_for(secretariat).get("/en/").content.decode()
    assert "Draft annual programme 2017 is over its budget ceiling" in html
    assert "Activities with overdue milestones" in html


def test_the_activity_form_gives_back_exactly_what_was_saved(
    secretariat, record, programme, states
):
    """Save through the form, reopen: every field comes back as it was entered,
    dates as d/m/Y, and saving the reopened form unchanged changes nothing."""
    from activities.forms import ActivityForm

    client = client_for(secretariat)
    p31, p33 = (programme.priorities.get(number=n) for n in ("3.1", "3.3"))
    entered = {
        "title": "NPS early warning",
        "description": "Two seminars.",
        "work_programme": str(programme.pk),
        "permanent_format": str(programme.formats.get(number="4.2").pk),
        "adoption_route": "ad_hoc",
        "thematic_priorities": [str(p31.pk), str(p33.pk)],
        "lead_member_state": str(states["FR"].pk),
        "participating_states": sorted([str(states["DE"].pk), str(states["IT"].pk)]),
        "supervisor": "",
        "start_date": "01/02/2017",
        "end_date": "30/09/2017",
        "carried_over": "on",
        "planned_budget": "12000.50",
        "spent": "0.00",
        "terms_of_reference": "ToR text.",
        "expected_results": "A report.",
        "human_rights_considerations": "Rights.",
        "gender_considerations": "Balance.",
        "ungass_relevance": "Yes.",
    }
    response = client.post("/en/activities/new/", entered)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(title="NPS early warning")
    assert (activity.start_date, activity.end_date) == (dt.date(2017, 2, 1), dt.date(2017, 9, 30))

    reopened = client.get(f"/en/activities/{activity.reference}/edit/").context["form"]
    for name, value in entered.items():
        bound = reopened[name]
        shown = bound.value()
        if name == "carried_over":
            assert shown is True
        elif isinstance(value, list):
            assert sorted(str(v) for v in shown) == value, name
        elif name in {"start_date", "end_date"}:
            assert bound.field.widget.format_value(shown) == value, name
        else:
            assert str(shown if shown is not None else "") == value, name

    # Saved again without a change: no "updated" record.
    again = ActivityForm(entered, instance=activity)
    assert again.is_valid() and not again.changed_data


def test_the_form_keeps_a_pasted_line_break_and_refuses_a_control_character(
    secretariat, record, programme
):
    client = client_for(secretariat)
    entered = {
        "title": "NPS\x0bearly warning",
        "work_programme": programme.pk,
        "adoption_route": "annual",
        "thematic_priorities": [programme.priorities.get(number="3.3").pk],
        "start_date": "2017-02-01",
        "end_date": "2017-09-30",
        "planned_budget": "12000",
        "spent": "0",
    }
    response = client.post("/en/activities/new/", entered)
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(title="NPS\nearly warning")

    response = client.post(
        f"/en/activities/{activity.reference}/edit/", {**entered, "description": "x\x01y"}
    )
    assert response.status_code == 400
    assert "U+0001" in response.context["form"].errors["description"][0]
    activity.refresh_from_db()
    assert activity.description == ""
