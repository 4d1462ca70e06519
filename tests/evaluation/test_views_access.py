"""Who sees which evaluation page and may use which form: a matrix with every persona,
and the tab showing each form to those who may use it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import (
    FeedbackRequest,
    FeedbackResponse,
    ImpactAssessment,
    Indicator,
    Measurement,
    ProgressReport,
)
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for

from .factories import PERSONAS, RATINGS, answer_data, file_report, open_request, today, url

D = Decimal


# --- who sees which page ---------------------------------------------------------------

PAGES = {
    # page: the personas who get it (the others: 403; anonymous: the login page)
    "activity": {"secretariat", "pc_fr", "pc_de", "bureau_chair", "expert"},
    "report_detail": {"secretariat", "pc_fr", "pc_de", "bureau_chair", "expert"},
    "overview": {"secretariat", "bureau_chair"},
    # Named people may be any account; each sees only what is addressed to them.
    "my_feedback": {"secretariat", "pc_fr", "pc_de", "bureau_chair", "expert", "outsider"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_who_sees_each_evaluation_page(page, persona, personas, activity):
    report = file_report(activity, personas["secretariat"])
    address = {
        "activity": url("activity", activity.reference),
        "report_detail": url("report_detail", report.pk),
        "overview": url("overview"),
        "my_feedback": url("my_feedback"),
    }[page]
    response = client_for(personas[persona]).get(address)
    if persona == "anonymous":
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    elif persona in PAGES[page]:
        assert response.status_code == 200
        assert b"<title>" in response.content
    else:
        assert response.status_code == 403


def test_the_tab_of_an_activity_the_user_may_not_see_is_a_404(programme, states, expert, outsider):
    # Annual route, in no adopted annual programme: not public.
    unadopted = ActivityFactory(work_programme=programme, lead_member_state=states["FR"])
    assert client_for(outsider).get(url("activity", unadopted.reference)).status_code == 404
    assert client_for(expert).get(url("activity", unadopted.reference)).status_code == 200
    assert client_for(expert).get(url("activity", "PG-2099-001")).status_code == 404


# --- who may use which form -------------------------------------------------------------


def _file_report(activity, p):
    data = {
        "period": "2016-H1",
        "status": "on_track",
        "percent_complete": "40",
        "narrative": "Going well.",
        "achievements": "",
        "budget_spent": "1000",
    }
    return url("report_file", activity.reference), data, ProgressReport.objects.count


def _edit_report(activity, p):
    report = file_report(activity, p["secretariat"])
    data = {
        "status": "at_risk",
        "percent_complete": "70",
        "narrative": "Slower.",
        "achievements": "",
        "budget_spent": "2000",
    }
    return (
        url("report_edit", report.pk),
        data,
        ProgressReport.objects.filter(percent_complete=70).count,
    )


def _review_report(activity, p):
    report = file_report(activity, p["secretariat"])
    return (
        url("report_review", report.pk),
        {"comment": "Fine."},
        ProgressReport.objects.filter(reviewer_comment="Fine.").count,
    )


def _accept_report(activity, p):
    report = file_report(activity, p["secretariat"])
    return (
        url("report_accept", report.pk),
        {},
        ProgressReport.objects.filter(review="accepted").count,
    )


def _add_indicator(activity, p):
    data = {"name": "People trained", "unit": "people", "baseline": "0", "target": "100"}
    data["direction"] = "higher"
    return url("indicator_add", activity.reference), data, Indicator.objects.count


def _add_measurement(activity, p):
    indicator = services.indicator_add(
        activity=activity, actor=p["secretariat"], name="People trained", baseline=0, target=100
    )
    data = {"indicator": indicator.pk, "date": "2016-06-30", "value": "40", "note": ""}
    return url("measurement_add", activity.reference), data, Measurement.objects.count


def _open_feedback(activity, p):
    data = {
        "audience": "experts",
        "questions": "Was it useful?",
        "deadline": (today() + dt.timedelta(days=7)).isoformat(),
        "invitees": "",
    }
    return url("feedback_open", activity.reference), data, FeedbackRequest.objects.count


def _close_feedback(activity, p):
    request = open_request(activity, p["secretariat"])
    return (
        url("feedback_close", request.pk),
        {},
        FeedbackRequest.objects.filter(status="closed").count,
    )


def _record_impact(activity, p):
    data = {"date": "2017-12-31", "method": "Survey", "findings": "Used.", "rating": "4"}
    return url("impact_record", activity.reference), data, ImpactAssessment.objects.count


def _answer_experts(activity, p):
    request = open_request(activity, p["secretariat"], audience="experts")
    return (
        url("feedback_answer", request.pk),
        answer_data(f"r{request.pk}-"),
        FeedbackResponse.objects.count,
    )


def _answer_correspondents(activity, p):
    request = open_request(activity, p["secretariat"], audience="correspondents")
    return (
        url("feedback_answer", request.pk),
        answer_data(f"r{request.pk}-"),
        FeedbackResponse.objects.count,
    )


FORMS = {
    # form: (set-up returning the address, the data and a counter; who may use it)
    "file_report": (_file_report, {"secretariat", "pc_fr"}),
    "edit_report": (_edit_report, {"secretariat", "pc_fr"}),
    "review_report": (_review_report, {"bureau_chair"}),  # the activity's supervisor
    "accept_report": (_accept_report, {"secretariat"}),
    "add_indicator": (_add_indicator, {"secretariat", "pc_fr"}),
    "add_measurement": (_add_measurement, {"secretariat", "pc_fr"}),
    "open_feedback": (_open_feedback, {"secretariat"}),
    "close_feedback": (_close_feedback, {"secretariat"}),
    "record_impact": (_record_impact, {"secretariat"}),
    "answer_experts": (_answer_experts, {"expert"}),
    # The Bureau's Chair is a PC too.
    "answer_correspondents": (_answer_correspondents, {"pc_fr", "pc_de", "bureau_chair"}),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("form", sorted(FORMS))
def test_who_may_use_each_evaluation_form(form, persona, personas, activity):
    set_up, allowed = FORMS[form]
    address, data, count = set_up(activity, personas)
    before = count()
    response = client_for(personas[persona]).post(address, data)
    if persona == "anonymous":
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
        assert count() == before
    elif persona in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert count() == before + 1
    else:
        assert response.status_code == 403
        assert count() == before


@pytest.mark.parametrize(
    ("persona", "forms"),
    [
        (
            "secretariat",
            {"report_form", "indicator_form", "feedback_form", "impact_form"},
        ),
        ("pc_fr", {"report_form", "indicator_form"}),
        ("pc_de", set()),
        ("bureau_chair", set()),
        ("expert", set()),
    ],
)
def test_the_tab_shows_each_form_to_those_who_may_use_it(persona, forms, personas, activity):
    response = client_for(personas[persona]).get(url("activity", activity.reference))
    names = {"report_form", "indicator_form", "measurement_form", "feedback_form", "impact_form"}
    shown = {name for name in names if response.context[name] is not None}
    assert shown == forms


def test_feedback_results_are_for_the_secretariat_and_the_bureau(
    activity, secretariat, bureau_chair, expert, pc_fr
):
    request = open_request(activity, secretariat)
    services.feedback_respond(request=request, actor=expert, comments="A secret view.", **RATINGS)
    for user, sees in ((secretariat, True), (bureau_chair, True), (pc_fr, False), (expert, False)):
        page = client_for(user).get(url("activity", activity.reference)).content.decode()
        assert ("A secret view." in page) is sees
        assert (f'data-testid="feedback-results-{request.pk}"' in page) is sees


def test_the_review_and_the_edit_form_follow_the_reports_state(activity, secretariat, bureau_chair):
    report = file_report(activity, secretariat)
    page = client_for(bureau_chair).get(url("report_detail", report.pk))
    assert page.context["review_form"] is not None and page.context["edit_form"] is None
    services.progress_report_accept(report=report, actor=secretariat)
    page = client_for(bureau_chair).get(url("report_detail", report.pk))
    assert page.context["review_form"] is None
    page = client_for(secretariat).get(url("report_detail", report.pk))
    assert page.context["edit_form"] is None and not page.context["can_accept"]
    # Accepted: the report no longer changes, whatever is posted; the refusal is the
    # report's state (a form error), not the Secretariat's role.
    response = client_for(secretariat).post(
        url("report_edit", report.pk),
        {"status": "off_track", "percent_complete": "5", "narrative": "x", "budget_spent": "0"},
    )
    assert response.status_code == 400
    assert "it can no longer change" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "on_track"
