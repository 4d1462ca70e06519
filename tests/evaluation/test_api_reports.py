"""Progress reports through REST API v1: who may read, file, change, review and accept
them, what a bad request answers (and that it changes nothing), the filters and the
query budget."""

import datetime as dt
from decimal import Decimal

import pytest

from evaluation import services
from evaluation.models import (
    ProgressReport,
)
from programme.services import account_create
from tests.activities.factories import ActivityFactory
from tests.conftest import answer, client_as

from .factories import PERSONAS, REPORTS, file_report, refused

D = Decimal


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


# --- progress reports: reading ------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_progress_reports_are_read_by_every_portal_role_and_nobody_else(personas, report, persona):
    client = client_as(personas[persona])
    listed = client.get(REPORTS)
    detail = client.get(f"{REPORTS}{report.pk}/")
    if persona in ("outsider", "anonymous"):
        assert refused(listed, persona) and refused(detail, persona)
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
        assert refused(response, persona)
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
        assert refused(response, persona)
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
        assert refused(response, persona)
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
        assert refused(response, persona)
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
    programme, states, pc_fr, secretariat, django_assert_num_queries
):
    client = client_as(pc_fr)
    for total in (3, 30):
        while ProgressReport.objects.count() < total:
            a = ActivityFactory(work_programme=programme, lead_member_state=states["FR"])
            report = file_report(a, pc_fr)
            if report.pk % 2:
                services.progress_report_accept(report=report, actor=secretariat)
        # 1 session, 2 user, 3–5 roles (groups, profile, Bureau mandates), 6 the sync
        # watermark with the last deletion, 7 the newest change and count (ETag), 8 count,
        # 9 the page's reports with activity, author, reviewer and accepter joined,
        # 10–12 the session's idle timeout renewed (savepoint, update, release)
        with django_assert_num_queries(12):
            body = answer(client.get(REPORTS, {"page_size": 500}))
        assert body["count"] == total
        assert {row["review"] for row in body["results"]} == {"submitted", "accepted"}


def test_a_progress_report_keeps_a_pasted_line_break_and_refuses_a_control_character(
    activity, pc_fr
):
    client = client_as(pc_fr)
    bad = client.post(REPORTS, report_body(activity, achievements="a\x1fb"), format="json")
    assert "U+001F" in answer(bad, 400)["achievements"][0]
    assert not ProgressReport.objects.exists()
    answer(client.post(REPORTS, report_body(activity, narrative="One\x0bTwo"), format="json"), 201)
    assert ProgressReport.objects.get().narrative == "One\nTwo"
