"""The evaluation through REST API v1: progress reports, indicators and measurements,
feedback requests and answers, impact assessments: who may read and write each, what
a bad request answers (and that it changes nothing), the filters and the query budgets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from evaluation import services
from evaluation.models import (
    FeedbackInvitation,
    FeedbackRequest,
    FeedbackResponse,
    ImpactAssessment,
    Indicator,
    Measurement,
    ProgressReport,
)
from programme.services import account_create
from tests.activities.factories import ActivityFactory

D = Decimal
REPORTS = "/api/v1/progress-reports/"
INDICATORS = "/api/v1/indicators/"
FEEDBACK = "/api/v1/feedback-requests/"
IMPACT = "/api/v1/impact-assessments/"
PERSONAS = ["secretariat", "pc_fr", "pc_de", "bureau_chair", "expert", "outsider", "anonymous"]
RATINGS = {"relevance": 4, "quality": 5, "usefulness": 3, "impact": 4}


def client_as(user) -> APIClient:
    # A real session login, so every request loads its user (and roles) afresh.
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def answer(response, status: int = 200):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def refused(response) -> bool:
    """Anonymous gets 401 or 403 depending on the authentication scheme; a logged-in
    user without the right 403."""
    return response.status_code in (401, 403)


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def activity(programme, states, bureau_chair):
    """A French-led activity of 2016–2017, supervised by the Bureau's Chair."""
    a = ActivityFactory(
        work_programme=programme,
        lead_member_state=states["FR"],
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2017, 12, 31),
        supervisor=bureau_chair,
        status="ongoing",
        planned_budget=D("50000"),
    )
    a.thematic_priorities.add(programme.priorities.get(number="3.1"))
    return a


@pytest.fixture
def german_activity(programme, states):
    a = ActivityFactory(
        work_programme=programme,
        lead_member_state=states["DE"],
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2016, 12, 31),
        status="ongoing",
    )
    a.thematic_priorities.add(programme.priorities.get(number="3.2"))
    return a


def file_report(activity, actor, period="2016-H1", **fields):
    values = {"status": "on_track", "percent_complete": 40, "narrative": "Going well.", **fields}
    return services.progress_report_file(activity=activity, actor=actor, period=period, **values)


def report_body(activity, /, **fields) -> dict:
    return {
        "activity": activity.reference,
        "period": "2016-H1",
        "status": "at_risk",
        "percent_complete": 35,
        "narrative": "Two of four workshops held; the third moved to autumn.",
        "achievements": "A curriculum drafted.",
        "budget_spent": "12500.50",
        **fields,
    }


@pytest.fixture
def report(activity, pc_fr):
    return file_report(activity, pc_fr)


# --- progress reports: reading ------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_progress_reports_are_read_by_every_portal_role_and_nobody_else(personas, report, persona):
    client = client_as(personas[persona])
    listed = client.get(REPORTS)
    detail = client.get(f"{REPORTS}{report.pk}/")
    if persona in ("outsider", "anonymous"):
        assert refused(listed) and refused(detail)
        assert "results" not in listed.json()
    else:
        assert [row["id"] for row in answer(listed)["results"]] == [report.pk]
        body = answer(detail)
        assert (body["activity"], body["period"], body["submitted_by"]) == (
            report.activity.reference,
            "2016-H1",
            "pc_fr",
        )
        assert body["review"] == "submitted"


def test_progress_reports_filter_by_activity_period_and_status(
    activity, german_activity, pc_fr, pc_de, secretariat
):
    first = file_report(activity, pc_fr, "2016-H1", status="on_track")
    second = file_report(activity, pc_fr, "2016-H2", status="at_risk")
    german = file_report(german_activity, pc_de, "2016-H1", status="at_risk")
    client = client_as(secretariat)

    def ids(**params):
        return {row["id"] for row in answer(client.get(REPORTS, params))["results"]}

    assert ids() == {first.pk, second.pk, german.pk}
    assert ids(activity=activity.reference) == {first.pk, second.pk}
    assert ids(period="2016-H1") == {first.pk, german.pk}
    assert ids(status="at_risk") == {second.pk, german.pk}
    assert ids(activity=activity.reference, status="at_risk") == {second.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2016-Q3"}, "period"),
        ({"status": "green"}, "status"),
        ({"activity": "PG-1999-999"}, "activity"),
    ],
)
def test_a_bad_progress_report_filter_is_a_400_naming_it(report, secretariat, params, field):
    response = client_as(secretariat).get(REPORTS, params)
    assert field in answer(response, 400)


# --- progress reports: filing -------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", True),  # the lead member state's PC
        ("pc_de", False),
        ("bureau_chair", False),  # supervises, but does not file
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_lead_states_pcs_and_the_secretariat_file_progress_reports(
    personas, activity, persona, allowed
):
    response = client_as(personas[persona]).post(REPORTS, report_body(activity), format="json")
    if allowed:
        body = answer(response, 201)
        assert (body["status"], body["percent_complete"], body["budget_spent"]) == (
            "at_risk",
            35,
            "12500.50",
        )
        assert body["submitted_by"] == persona
        assert ProgressReport.objects.get().narrative.startswith("Two of four")
    else:
        assert refused(response)
        assert not ProgressReport.objects.exists()


def test_a_pc_of_another_state_is_refused_whatever_the_body_holds(activity, pc_de):
    response = client_as(pc_de).post(
        REPORTS, report_body(activity, percent_complete="lots", status="green"), format="json"
    )
    assert answer(response, 403)["detail"].startswith("Progress reports are filed")
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"percent_complete": 101}, "percent_complete"),
        ({"percent_complete": -1}, "percent_complete"),
        ({"percent_complete": "forty"}, "percent_complete"),
        ({"status": "green"}, "status"),
        ({"narrative": "  "}, "narrative"),
        ({"budget_spent": "-1"}, "budget_spent"),
        ({"period": "2016"}, "period"),
        ({"period": "2019-H1"}, "period"),  # the activity does not run then
        ({"activity": "PG-1999-999"}, "activity"),
    ],
)
def test_a_bad_progress_report_is_a_400_naming_the_field_and_files_nothing(
    activity, pc_fr, fields, field
):
    response = client_as(pc_fr).post(REPORTS, report_body(activity, **fields), format="json")
    assert field in answer(response, 400)
    assert not ProgressReport.objects.exists()


def test_a_second_report_for_the_same_period_is_a_400_on_the_period(report, pc_fr):
    response = client_as(pc_fr).post(
        REPORTS, report_body(report.activity, percent_complete=90), format="json"
    )
    assert "exists already" in answer(response, 400)["period"][0]
    assert ProgressReport.objects.count() == 1
    report.refresh_from_db()
    assert report.percent_complete == 40


# --- progress reports: changing, reviewing, accepting --------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", True),
        ("pc_de", False),
        ("bureau_chair", False),
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_those_who_file_a_report_change_it(personas, report, persona, allowed):
    response = client_as(personas[persona]).patch(
        f"{REPORTS}{report.pk}/", {"percent_complete": 55}, format="json"
    )
    report.refresh_from_db()
    if allowed:
        assert answer(response)["percent_complete"] == 55
        assert report.percent_complete == 55
    else:
        assert refused(response)
        assert report.percent_complete == 40


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"percent_complete": 101}, "percent_complete"),
        ({"narrative": ""}, "narrative"),
        ({"period": "2016-H2"}, "period"),  # refused, not silently ignored
        ({"activity": "PG-2016-999"}, "activity"),
        ({"review": "accepted"}, "review"),
    ],
)
def test_a_bad_change_to_a_report_is_a_400_naming_the_field_and_changes_nothing(
    report, pc_fr, fields, field
):
    response = client_as(pc_fr).patch(
        f"{REPORTS}{report.pk}/", {"status": "off_track", **fields}, format="json"
    )
    assert field in answer(response, 400)
    report.refresh_from_db()
    assert (report.period, report.status, report.percent_complete, report.review) == (
        "2016-H1",
        "on_track",
        40,
        "submitted",
    )


def test_an_accepted_report_no_longer_changes(report, pc_fr, secretariat):
    services.progress_report_accept(report=report, actor=secretariat)
    for user in (pc_fr, secretariat):
        response = client_as(user).patch(
            f"{REPORTS}{report.pk}/", {"percent_complete": 60}, format="json"
        )
        # Those who file it may still not change it: a refusal by the report's state.
        assert answer(response, 400) == {
            "non_field_errors": [
                "The Secretariat has accepted this report; it can no longer change."
            ]
        }
    report.refresh_from_db()
    assert report.percent_complete == 40


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", False),
        ("pc_fr", False),
        ("pc_de", False),
        ("bureau_chair", True),  # the activity's supervisor
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_supervising_bureau_member_reviews_a_report(personas, report, persona, allowed):
    response = client_as(personas[persona]).post(
        f"{REPORTS}{report.pk}/review/", {"comment": "Fine; watch the costs."}, format="json"
    )
    report.refresh_from_db()
    if allowed:
        body = answer(response)
        assert (body["reviewer_comment"], body["reviewed_by"]) == (
            "Fine; watch the costs.",
            "bureau_chair",
        )
        assert report.reviewed_by == personas["bureau_chair"]
    else:
        assert refused(response)
        assert (report.reviewer_comment, report.reviewed_by) == ("", None)


def test_a_bureau_member_who_does_not_supervise_the_activity_cannot_review_it(report, states):
    coordinator = account_create(
        username="bureau_it",
        role="bureau",
        office="field_coordinator",
        member_state_code="IT",
        mandate_start=dt.date(2015, 1, 1),
        password="x" * 12,
        validate=False,
    )
    response = client_as(coordinator).post(
        f"{REPORTS}{report.pk}/review/", {"comment": "Looks fine."}, format="json"
    )
    assert answer(response, 403)["detail"].startswith("The activity's supervising")
    report.refresh_from_db()
    assert report.reviewed_by is None


def test_an_empty_review_is_a_400_on_the_comment(report, bureau_chair):
    response = client_as(bureau_chair).post(
        f"{REPORTS}{report.pk}/review/", {"comment": "  "}, format="json"
    )
    assert "comment" in answer(response, 400)
    report.refresh_from_db()
    assert report.reviewed_by is None


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", False),
        ("pc_de", False),
        ("bureau_chair", False),
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_secretariat_accepts_a_report(personas, report, persona, allowed):
    response = client_as(personas[persona]).post(f"{REPORTS}{report.pk}/accept/")
    report.refresh_from_db()
    if allowed:
        body = answer(response)
        assert (body["review"], body["accepted_by"]) == ("accepted", "secretariat")
        assert body["accepted_at"] is not None
        assert report.is_accepted
    else:
        assert refused(response)
        assert not report.is_accepted


def test_accepting_a_report_twice_is_a_400(report, secretariat):
    client = client_as(secretariat)
    answer(client.post(f"{REPORTS}{report.pk}/accept/"))
    first = ProgressReport.objects.get().accepted_at
    assert (
        "already accepted"
        in answer(client.post(f"{REPORTS}{report.pk}/accept/"), 400)["non_field_errors"][0]
    )
    assert ProgressReport.objects.get().accepted_at == first


def test_a_report_that_does_not_exist_is_a_404(activity, secretariat):
    assert client_as(secretariat).get(f"{REPORTS}999/").status_code == 404
    assert client_as(secretariat).post(f"{REPORTS}999/accept/").status_code == 404


def test_the_progress_report_list_answers_in_a_constant_number_of_queries(
    programme, states, pc_fr, secretariat, django_assert_max_num_queries
):
    client = client_as(pc_fr)
    for total in (3, 30):
        while ProgressReport.objects.count() < total:
            a = ActivityFactory(work_programme=programme, lead_member_state=states["FR"])
            report = file_report(a, pc_fr)
            if report.pk % 2:
                services.progress_report_accept(report=report, actor=secretariat)
        # 1 session, 2 user, 3–5 roles (groups, profile, Bureau mandates), 6 count,
        # 7 the page's reports with activity, author, reviewer and accepter joined,
        # 8–10 the session's idle timeout renewed (savepoint, update, release)
        with django_assert_max_num_queries(10):
            body = answer(client.get(REPORTS, {"page_size": 500}))
        assert body["count"] == total
        assert {row["review"] for row in body["results"]} == {"submitted", "accepted"}


# --- indicators ---------------------------------------------------------------------


@pytest.fixture
def indicator(activity, pc_fr):
    indicator = services.indicator_add(
        activity=activity, actor=pc_fr, name="Officers trained", baseline=0, target=100
    )
    services.measurement_add(indicator=indicator, actor=pc_fr, date=dt.date(2016, 6, 1), value=40)
    services.measurement_add(indicator=indicator, actor=pc_fr, date=dt.date(2016, 12, 1), value=120)
    return indicator


def indicator_body(activity, /, **fields) -> dict:
    return {
        "activity": activity.reference,
        "name": "Customs officers trained",
        "unit": "people",
        "baseline": "0",
        "target": "200",
        "direction": "higher",
        **fields,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_indicators_with_their_measurements_are_read_by_every_portal_role(
    personas, indicator, persona
):
    client = client_as(personas[persona])
    listed = client.get(INDICATORS)
    detail = client.get(f"{INDICATORS}{indicator.pk}/")
    if persona in ("outsider", "anonymous"):
        assert refused(listed) and refused(detail)
    else:
        assert [row["id"] for row in answer(listed)["results"]] == [indicator.pk]
        body = answer(detail)
        assert [(m["date"], m["value"]) for m in body["measurements"]] == [
            ("2016-06-01", "40.00"),
            ("2016-12-01", "120.00"),
        ]
        assert body["reached"] is True  # the latest, 120, reaches the target of 100


def test_indicators_filter_by_activity(indicator, german_activity, pc_de, secretariat):
    german = services.indicator_add(
        activity=german_activity,
        actor=pc_de,
        name="Seizures",
        baseline=10,
        target=5,
        direction="lower",
    )
    client = client_as(secretariat)
    rows = answer(client.get(INDICATORS, {"activity": german_activity.reference}))["results"]
    assert [(row["id"], row["reached"], row["measurements"]) for row in rows] == [
        (german.pk, None, [])
    ]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", True),
        ("pc_de", False),
        ("bureau_chair", False),
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_secretariat_and_the_lead_state_add_indicators(personas, activity, persona, allowed):
    response = client_as(personas[persona]).post(
        INDICATORS, indicator_body(activity), format="json"
    )
    if allowed:
        body = answer(response, 201)
        assert (body["activity"], body["name"], body["target"], body["measurements"]) == (
            activity.reference,
            "Customs officers trained",
            "200.00",
            [],
        )
        assert Indicator.objects.count() == 1
    else:
        assert refused(response)
        assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"baseline": "none"}, "baseline"),
        ({"target": None}, "target"),
        ({"direction": "up"}, "direction"),
        ({"activity": "PG-1999-999"}, "activity"),
    ],
)
def test_a_bad_indicator_is_a_400_naming_the_field_and_adds_nothing(activity, pc_fr, fields, field):
    response = client_as(pc_fr).post(INDICATORS, indicator_body(activity, **fields), format="json")
    assert field in answer(response, 400)
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", True),
        ("pc_de", False),
        ("bureau_chair", False),
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_secretariat_and_the_lead_state_record_measurements(
    personas, indicator, persona, allowed
):
    response = client_as(personas[persona]).post(
        f"{INDICATORS}{indicator.pk}/measurements/",
        {"date": "2017-03-01", "value": "150", "note": "Second wave."},
        format="json",
    )
    if allowed:
        body = answer(response, 201)
        assert body["measurements"][-1] == {
            "id": Measurement.objects.latest("id").pk,
            "date": "2017-03-01",
            "value": "150.00",
            "note": "Second wave.",
        }
        assert indicator.measurements.count() == 3
    else:
        assert refused(response)
        assert indicator.measurements.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"date": str(dt.date.today() + dt.timedelta(days=3))}, "date"),  # not yet measured
        ({"date": "yesterday"}, "date"),
        ({"value": "many"}, "value"),
    ],
)
def test_a_bad_measurement_is_a_400_naming_the_field_and_records_nothing(
    indicator, pc_fr, fields, field
):
    body = {"date": "2017-03-01", "value": "150", **fields}
    response = client_as(pc_fr).post(
        f"{INDICATORS}{indicator.pk}/measurements/", body, format="json"
    )
    assert field in answer(response, 400)
    assert indicator.measurements.count() == 2


def test_the_indicator_list_answers_in_a_constant_number_of_queries(
    programme, states, pc_fr, django_assert_max_num_queries
):
    client = client_as(pc_fr)
    for total in (3, 30):
        while Indicator.objects.count() < total:
            a = ActivityFactory(work_programme=programme, lead_member_state=states["FR"])
            ind = services.indicator_add(activity=a, actor=pc_fr, name="N", baseline=0, target=5)
            for day in (1, 2):
                services.measurement_add(
                    indicator=ind, actor=pc_fr, date=dt.date(2016, 5, day), value=day
                )
        # 1 session, 2 user, 3–5 roles, 6 count, 7 the page's indicators with their
        # activity, 8 their measurements, 9–11 the session renewed
        with django_assert_max_num_queries(11):
            body = answer(client.get(INDICATORS, {"page_size": 500}))
        assert body["count"] == total
        assert all(len(row["measurements"]) == 2 for row in body["results"])


# --- feedback requests --------------------------------------------------------------


def open_request(activity, secretariat, audience="experts", **fields):
    values = {
        "questions": "Was the training useful to your service?",
        "deadline": today() + dt.timedelta(days=10),
        **fields,
    }
    return services.feedback_request_open(
        activity=activity, actor=secretariat, audience=audience, **values
    )


@pytest.fixture
def requests_answered(activity, secretariat, expert, pc_fr, pc_de):
    """One request to experts (answered by the expert), one to PCs (answered by France)."""
    to_experts = open_request(activity, secretariat, "experts")
    to_pcs = open_request(activity, secretariat, "correspondents")
    services.feedback_respond(request=to_experts, actor=expert, comments="Useful.", **RATINGS)
    services.feedback_respond(
        request=to_pcs,
        actor=pc_fr,
        comments="Good.",
        relevance=5,
        quality=4,
        usefulness=4,
        impact=2,
    )
    return {"experts": to_experts, "correspondents": to_pcs}


@pytest.mark.parametrize("persona", ["secretariat", "bureau_chair"])
def test_the_secretariat_and_the_bureau_read_every_request_with_its_results(
    personas, requests_answered, persona
):
    client = client_as(personas[persona])
    rows = {row["audience"]: row for row in answer(client.get(FEEDBACK))["results"]}
    assert set(rows) == {"experts", "correspondents"}
    pcs = rows["correspondents"]
    assert pcs["responses_count"] == 1
    assert (pcs["relevance"], pcs["quality"], pcs["usefulness"], pcs["impact"]) == (
        "5.00",
        "4.00",
        "4.00",
        "2.00",
    )
    detail = answer(client.get(f"{FEEDBACK}{pcs['id']}/"))
    assert [(r["respondent"], r["comments"]) for r in detail["responses"]] == [("pc_fr", "Good.")]


def test_mean_ratings_are_over_every_answer(requests_answered, pc_de, secretariat):
    to_pcs = requests_answered["correspondents"]
    services.feedback_respond(
        request=to_pcs, actor=pc_de, relevance=4, quality=3, usefulness=3, impact=3
    )
    row = answer(client_as(secretariat).get(f"{FEEDBACK}{to_pcs.pk}/"))
    assert (row["responses_count"], row["relevance"], row["impact"]) == (2, "4.50", "2.50")


@pytest.mark.parametrize(
    ("persona", "audience"),
    [("expert", "experts"), ("pc_fr", "correspondents"), ("pc_de", "correspondents")],
)
def test_experts_and_pcs_read_only_the_requests_addressed_to_them_without_the_answers(
    personas, requests_answered, persona, audience
):
    client = client_as(personas[persona])
    rows = answer(client.get(FEEDBACK))["results"]
    assert [row["audience"] for row in rows] == [audience]
    assert rows[0]["answered"] is (persona != "pc_de")
    for hidden in ("responses_count", "relevance", "recipients", "responses"):
        assert hidden not in rows[0]
    detail = answer(client.get(f"{FEEDBACK}{rows[0]['id']}/"))
    assert "responses" not in detail and "relevance" not in detail
    other = requests_answered["correspondents" if audience == "experts" else "experts"]
    assert client.get(f"{FEEDBACK}{other.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_feedback_requests_are_closed_to_users_without_a_portal_role(
    personas, requests_answered, persona
):
    client = client_as(personas[persona])
    assert refused(client.get(FEEDBACK))
    assert refused(client.get(f"{FEEDBACK}{requests_answered['experts'].pk}/"))


def test_a_named_person_reads_the_request_addressed_to_them(activity, secretariat, pc_de, expert):
    named = open_request(activity, secretariat, "named", recipients=[pc_de])
    assert [r["id"] for r in answer(client_as(pc_de).get(FEEDBACK))["results"]] == [named.pk]
    assert answer(client_as(expert).get(FEEDBACK))["results"] == []


def test_feedback_requests_filter_by_activity_and_status(activity, german_activity, secretariat):
    ours = open_request(activity, secretariat)
    theirs = open_request(german_activity, secretariat)
    services.feedback_request_close(request=theirs, actor=secretariat)
    client = client_as(secretariat)

    def ids(**params):
        return [row["id"] for row in answer(client.get(FEEDBACK, params))["results"]]

    assert sorted(ids()) == sorted([ours.pk, theirs.pk])
    assert ids(activity=activity.reference) == [ours.pk]
    assert ids(status="closed") == [theirs.pk]
    assert "status" in answer(client.get(FEEDBACK, {"status": "pending"}), 400)


def request_body(activity, /, **fields) -> dict:
    return {
        "activity": activity.reference,
        "audience": "named",
        "questions": "Did the seminar change your practice?",
        "deadline": str(today() + dt.timedelta(days=14)),
        "recipients": ["expert", "pc_de"],
        "invitees": [{"name": "Ana Costa", "email": "ana@example.org"}],
        **fields,
    }


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", False),
        ("pc_de", False),
        ("bureau_chair", False),
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_secretariat_opens_feedback_requests(personas, activity, persona, allowed):
    response = client_as(personas[persona]).post(FEEDBACK, request_body(activity), format="json")
    if allowed:
        body = answer(response, 201)
        assert (body["audience"], body["status"], body["responses_count"]) == ("named", "open", 0)
        assert sorted(body["recipients"]) == ["expert", "pc_de"]
        assert FeedbackInvitation.objects.get().email == "ana@example.org"
    else:
        assert refused(response)
        assert not FeedbackRequest.objects.exists()


def test_invitees_of_a_new_request_get_their_link_by_e_mail(
    activity, secretariat, expert, pc_de, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer(client_as(secretariat).post(FEEDBACK, request_body(activity), format="json"), 201)
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"deadline": "2016-01-01"}, "deadline"),  # in the past
        ({"questions": " "}, "questions"),
        ({"audience": "everyone"}, "audience"),
        ({"recipients": [], "invitees": []}, "recipients"),  # named, but nobody
        ({"recipients": ["nobody"]}, "recipients"),
        ({"invitees": [{"name": "Ana", "email": "not-an-address"}]}, "invitees"),
        ({"invitees": [{"name": " ", "email": "ana@example.org"}]}, "invitees"),
        ({"activity": "PG-1999-999"}, "activity"),
    ],
)
def test_a_bad_feedback_request_is_a_400_naming_the_field_and_opens_nothing(
    activity, secretariat, expert, pc_de, fields, field
):
    response = client_as(secretariat).post(
        FEEDBACK, request_body(activity, **fields), format="json"
    )
    assert field in answer(response, 400)
    assert not FeedbackRequest.objects.exists()
    assert not FeedbackInvitation.objects.exists()


def test_an_identical_open_request_is_a_400_on_recipients_and_opens_nothing_more(
    activity, secretariat, expert, pc_de, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        answer(client.post(FEEDBACK, request_body(activity), format="json"), 201)
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            FEEDBACK,
            request_body(
                activity,
                questions="did the seminar change your practice? ",
                recipients=["pc_de", "expert"],  # the same people in another order
                invitees=[{"name": "Ana Costa", "email": "ANA@example.org"}],
            ),
            format="json",
        )
    body = answer(response, 400)
    assert "already open on this activity" in str(body["recipients"])
    assert FeedbackRequest.objects.count() == 1
    assert FeedbackInvitation.objects.count() == 1
    assert len(mailoutbox) == sent


# --- feedback answers ---------------------------------------------------------------


@pytest.fixture
def to_experts(activity, secretariat):
    return open_request(activity, secretariat, "experts")


def respond_url(feedback_request) -> str:
    return f"{FEEDBACK}{feedback_request.pk}/responses/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("expert", 201),  # addressed to experts
        ("secretariat", 403),  # reads it, is not asked
        ("bureau_chair", 403),  # reads it (results), is not an expert
        ("pc_fr", 404),  # not addressed to PCs: not theirs to see
        ("pc_de", 404),
        ("outsider", 403),
        ("anonymous", 403),
    ],
)
def test_an_addressee_answers_a_feedback_request(personas, to_experts, persona, status):
    response = client_as(personas[persona]).post(
        respond_url(to_experts), {**RATINGS, "comments": "Very useful."}, format="json"
    )
    if status == 201:
        body = answer(response, 201)
        assert (body["respondent"], body["relevance"], body["comments"]) == (
            "expert",
            4,
            "Very useful.",
        )
        assert FeedbackResponse.objects.get().respondent == personas["expert"]
    else:
        assert response.status_code == status or (persona == "anonymous" and refused(response))
        assert not FeedbackResponse.objects.exists()


def test_pcs_answer_a_request_addressed_to_the_pcs(activity, secretariat, pc_de, bureau_chair):
    to_pcs = open_request(activity, secretariat, "correspondents")
    for pc in (pc_de, bureau_chair):  # a Bureau member is a PC too
        answer(client_as(pc).post(respond_url(to_pcs), RATINGS, format="json"), 201)
    assert to_pcs.responses.count() == 2


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"relevance": 6}, "relevance"),
        ({"quality": 0}, "quality"),
        ({"impact": "very"}, "impact"),
        ({"usefulness": None}, "usefulness"),
    ],
)
def test_a_rating_outside_1_to_5_is_a_400_naming_it_and_records_nothing(
    to_experts, expert, bad, field
):
    response = client_as(expert).post(respond_url(to_experts), {**RATINGS, **bad}, format="json")
    assert field in answer(response, 400)
    assert not FeedbackResponse.objects.exists()


def test_an_addressee_answers_once(to_experts, expert):
    client = client_as(expert)
    answer(client.post(respond_url(to_experts), RATINGS, format="json"), 201)
    again = client.post(respond_url(to_experts), {**RATINGS, "relevance": 1}, format="json")
    assert "already answered" in answer(again, 400)["non_field_errors"][0]
    assert FeedbackResponse.objects.get().relevance == 4


def test_an_answer_after_the_deadline_is_a_400_and_records_nothing(to_experts, expert):
    FeedbackRequest.objects.filter(pk=to_experts.pk).update(deadline=today() - dt.timedelta(days=1))
    response = client_as(expert).post(respond_url(to_experts), RATINGS, format="json")
    assert "no longer taken" in answer(response, 400)["non_field_errors"][0]
    assert not FeedbackResponse.objects.exists()


def test_a_closed_request_is_no_longer_an_addressees_to_answer(to_experts, expert, secretariat):
    services.feedback_request_close(request=to_experts, actor=secretariat)
    response = client_as(expert).post(respond_url(to_experts), RATINGS, format="json")
    assert response.status_code == 404  # addressees see the open requests only
    assert not FeedbackResponse.objects.exists()


def _grow_requests(activity, secretariat, expert, total):
    while FeedbackRequest.objects.count() < total:
        n = FeedbackRequest.objects.count()
        fr = open_request(
            activity, secretariat, "named", recipients=[expert], questions=f"Question {n}?"
        )
        services.feedback_respond(request=fr, actor=expert, **RATINGS)


@pytest.mark.parametrize("total", [3, 30])
def test_the_feedback_results_list_answers_in_a_constant_number_of_queries(
    activity, secretariat, expert, total, django_assert_max_num_queries
):
    _grow_requests(activity, secretariat, expert, total)
    client = client_as(secretariat)
    # 1 session, 2 user, 3–5 roles, 6 count, 7 the page's requests with activity,
    # creator, answer counts, mean ratings and whether you answered, 8 their named
    # recipients, 9–11 the session renewed
    with django_assert_max_num_queries(11):
        body = answer(client.get(FEEDBACK, {"page_size": 500}))
    assert body["count"] == total
    assert all(row["recipients"] == ["expert"] for row in body["results"])
    assert all(row["responses_count"] == 1 for row in body["results"])


@pytest.mark.parametrize("total", [3, 30])
def test_an_addressees_feedback_list_answers_in_a_constant_number_of_queries(
    activity, secretariat, expert, total, django_assert_max_num_queries
):
    _grow_requests(activity, secretariat, expert, total)
    client = client_as(expert)
    # 1 session, 2 user, 3–5 roles, 6 count, 7 the page's requests addressed to you
    # with activity and whether you answered, 8–10 the session renewed
    with django_assert_max_num_queries(10):
        body = answer(client.get(FEEDBACK, {"page_size": 500}))
    assert body["count"] == total
    assert all(row["answered"] for row in body["results"])


# --- impact assessments -------------------------------------------------------------


@pytest.fixture
def assessment(activity, secretariat):
    return services.impact_assessment_record(
        activity=activity,
        actor=secretariat,
        date=dt.date(2017, 12, 1),
        method="Survey of participants",
        findings="Used in two national plans.",
        rating=4,
    )


def impact_body(activity, /, **fields) -> dict:
    return {
        "activity": activity.reference,
        "date": "2017-12-01",
        "method": "Interviews",
        "findings": "Practices changed in three services.",
        "rating": 4,
        **fields,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_impact_assessments_are_read_by_every_portal_role(personas, assessment, persona):
    client = client_as(personas[persona])
    listed = client.get(IMPACT)
    detail = client.get(f"{IMPACT}{assessment.pk}/")
    if persona in ("outsider", "anonymous"):
        assert refused(listed) and refused(detail)
    else:
        assert [row["id"] for row in answer(listed)["results"]] == [assessment.pk]
        body = answer(detail)
        assert (body["activity"], body["rating"], body["recorded_by"], body["evidence"]) == (
            assessment.activity.reference,
            4,
            "secretariat",
            None,
        )


def test_impact_assessments_filter_by_activity(assessment, german_activity, secretariat):
    theirs = services.impact_assessment_record(
        activity=german_activity,
        actor=secretariat,
        date=dt.date(2016, 12, 1),
        method="m",
        findings="f",
        rating=3,
    )
    rows = answer(client_as(secretariat).get(IMPACT, {"activity": german_activity.reference}))[
        "results"
    ]
    assert [row["id"] for row in rows] == [theirs.pk]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", False),
        ("pc_de", False),
        ("bureau_chair", False),
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_secretariat_records_impact_assessments(personas, activity, persona, allowed):
    response = client_as(personas[persona]).post(IMPACT, impact_body(activity), format="json")
    if allowed:
        body = answer(response, 201)
        assert (body["method"], body["rating"], body["evidence"]) == ("Interviews", 4, None)
        assert ImpactAssessment.objects.get().recorded_by == personas["secretariat"]
    else:
        assert refused(response)
        assert not ImpactAssessment.objects.exists()


def test_an_impact_assessment_with_its_evidence_is_sent_as_multipart(
    activity, secretariat, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    evidence = SimpleUploadedFile("survey.pdf", b"%PDF-1.4 survey results", "application/pdf")
    response = client_as(secretariat).post(
        IMPACT, impact_body(activity, evidence=evidence), format="multipart"
    )
    body = answer(response, 201)
    assert body["evidence"].endswith(".pdf")
    assert ImpactAssessment.objects.get().evidence.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("fields", "field", "fmt"),
    [
        ({"rating": 6}, "rating", "json"),
        ({"rating": 0}, "rating", "json"),
        ({"method": ""}, "method", "json"),
        ({"findings": " "}, "findings", "json"),
        ({"date": "someday"}, "date", "json"),
        ({"activity": "PG-1999-999"}, "activity", "json"),
        (
            {"evidence": SimpleUploadedFile("e.pdf", b"not really a pdf", "application/pdf")},
            "evidence",
            "multipart",
        ),
    ],
)
def test_a_bad_impact_assessment_is_a_400_naming_the_field_and_records_nothing(
    activity, secretariat, settings, tmp_path, fields, field, fmt
):
    settings.MEDIA_ROOT = tmp_path
    response = client_as(secretariat).post(IMPACT, impact_body(activity, **fields), format=fmt)
    assert field in answer(response, 400)
    assert not ImpactAssessment.objects.exists()
    assert not any(tmp_path.iterdir())


def test_the_impact_assessment_list_answers_in_a_constant_number_of_queries(
    programme, secretariat, expert, django_assert_max_num_queries
):
    client = client_as(expert)
    for total in (3, 30):
        while ImpactAssessment.objects.count() < total:
            services.impact_assessment_record(
                activity=ActivityFactory(work_programme=programme),
                actor=secretariat,
                date=dt.date(2017, 1, 1),
                method="m",
                findings="f",
                rating=3,
            )
        # 1 session, 2 user, 3–5 roles, 6 count, 7 the page's assessments with
        # activity and recorder, 8–10 the session renewed
        with django_assert_max_num_queries(10):
            body = answer(client.get(IMPACT, {"page_size": 500}))
        assert body["count"] == total


# --- the schema ---------------------------------------------------------------------


def test_the_schema_documents_every_evaluation_endpoint(db):
    paths = answer(APIClient().get("/api/schema/", {"format": "json"}))["paths"]
    for path in (
        "/api/v1/progress-reports/",
        "/api/v1/progress-reports/{id}/",
        "/api/v1/progress-reports/{id}/review/",
        "/api/v1/progress-reports/{id}/accept/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{id}/",
        "/api/v1/indicators/{id}/measurements/",
        "/api/v1/feedback-requests/",
        "/api/v1/feedback-requests/{id}/",
        "/api/v1/feedback-requests/{id}/responses/",
        "/api/v1/impact-assessments/",
        "/api/v1/impact-assessments/{id}/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/progress-reports/{id}/"]) == {"get", "patch"}
    listed = {p["name"] for p in paths["/api/v1/progress-reports/"]["get"]["parameters"]}
    assert {"activity", "period", "status"} <= listed


def test_a_progress_report_keeps_a_pasted_line_break_and_refuses_a_control_character(
    activity, pc_fr
):
    client = client_as(pc_fr)
    bad = client.post(REPORTS, report_body(activity, achievements="a\x1fb"), format="json")
    assert "U+001F" in answer(bad, 400)["achievements"][0]
    assert not ProgressReport.objects.exists()
    answer(client.post(REPORTS, report_body(activity, narrative="One\x0bTwo"), format="json"), 201)
    assert ProgressReport.objects.get().narrative == "One\nTwo"


def test_a_feedback_answer_keeps_a_pasted_line_break_and_refuses_a_control_character(
    to_experts, expert
):
    client = client_as(expert)
    bad = client.post(respond_url(to_experts), {**RATINGS, "comments": "x\x08"}, format="json")
    assert "U+0008" in answer(bad, 400)["comments"][0]
    assert not FeedbackResponse.objects.exists()
    good = client.post(respond_url(to_experts), {**RATINGS, "comments": "A\x0cB"}, format="json")
    answer(good, 201)
    assert FeedbackResponse.objects.get().comments == "A\nB"
