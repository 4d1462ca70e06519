"""The evaluation pages: an activity's evaluation tab and its forms, a progress report's
page, the overview of the Bureau and the Secretariat, "my feedback requests", the public
answer page of a signed link, and the dashboard's evaluation items. Who may see and do
what (a matrix with every persona), what a bad input shows (and that it saves nothing),
that the overview's figures agree with the data, the CSV downloads and the query budgets."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

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
from portal.dashboard import sections_for
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for

D = Decimal
PERSONAS = ["secretariat", "pc_fr", "pc_de", "bureau_chair", "expert", "outsider", "anonymous"]
RATINGS = {"relevance": 4, "quality": 5, "usefulness": 3, "impact": 4}


def url(name: str, *args) -> str:
    return reverse(f"evaluation:{name}", args=args)


def today() -> dt.date:
    return timezone.localdate()


def answer_data(prefix: str = "", **ratings) -> dict:
    values = {**RATINGS, "comments": "Useful.", **ratings}
    return {f"{prefix}{key}": value for key, value in values.items()}


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def activity(programme, states, bureau_chair):
    """A French-led activity of 2016–2017, supervised by the Bureau's Chair; adopted ad
    hoc, so the public sees it too (an outsider is refused for want of a role, not of
    sight)."""
    a = ActivityFactory(
        work_programme=programme,
        lead_member_state=states["FR"],
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2017, 12, 31),
        supervisor=bureau_chair,
        status="ongoing",
        adoption_route="ad_hoc",
        planned_budget=D("50000"),
    )
    a.thematic_priorities.add(programme.priorities.get(number="3.1"))
    return a


def _file(activity, actor, period="2016-H1", **fields):
    values = {"status": "on_track", "percent_complete": 40, "narrative": "Going well.", **fields}
    return services.progress_report_file(activity=activity, actor=actor, period=period, **values)


def _request(activity, secretariat, audience="experts", **kwargs):
    return services.feedback_request_open(
        activity=activity,
        actor=secretariat,
        audience=audience,
        questions=kwargs.pop("questions", "Was it useful?"),
        deadline=kwargs.pop("deadline", today() + dt.timedelta(days=7)),
        **kwargs,
    )


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
    report = _file(activity, personas["secretariat"])
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
    report = _file(activity, p["secretariat"])
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
    report = _file(activity, p["secretariat"])
    return (
        url("report_review", report.pk),
        {"comment": "Fine."},
        ProgressReport.objects.filter(reviewer_comment="Fine.").count,
    )


def _accept_report(activity, p):
    report = _file(activity, p["secretariat"])
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
    request = _request(activity, p["secretariat"])
    return (
        url("feedback_close", request.pk),
        {},
        FeedbackRequest.objects.filter(status="closed").count,
    )


def _record_impact(activity, p):
    data = {"date": "2017-12-31", "method": "Survey", "findings": "Used.", "rating": "4"}
    return url("impact_record", activity.reference), data, ImpactAssessment.objects.count


def _answer_experts(activity, p):
    request = _request(activity, p["secretariat"], audience="experts")
    return (
        url("feedback_answer", request.pk),
        answer_data(f"r{request.pk}-"),
        FeedbackResponse.objects.count,
    )


def _answer_correspondents(activity, p):
    request = _request(activity, p["secretariat"], audience="correspondents")
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
    request = _request(activity, secretariat)
    services.feedback_respond(request=request, actor=expert, comments="A secret view.", **RATINGS)
    for user, sees in ((secretariat, True), (bureau_chair, True), (pc_fr, False), (expert, False)):
        page = client_for(user).get(url("activity", activity.reference)).content.decode()
        assert ("A secret view." in page) is sees
        assert (f'data-testid="feedback-results-{request.pk}"' in page) is sees


def test_the_review_and_the_edit_form_follow_the_reports_state(activity, secretariat, bureau_chair):
    report = _file(activity, secretariat)
    page = client_for(bureau_chair).get(url("report_detail", report.pk))
    assert page.context["review_form"] is not None and page.context["edit_form"] is None
    services.progress_report_accept(report=report, actor=secretariat)
    page = client_for(bureau_chair).get(url("report_detail", report.pk))
    assert page.context["review_form"] is None
    page = client_for(secretariat).get(url("report_detail", report.pk))
    assert page.context["edit_form"] is None and not page.context["can_accept"]
    # Accepted: the report no longer changes, whatever is posted.
    response = client_for(secretariat).post(
        url("report_edit", report.pk),
        {"status": "off_track", "percent_complete": "5", "narrative": "x", "budget_spent": "0"},
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == "on_track"


# --- a bad input shows a field error and saves nothing ------------------------------------


def _report_post(activity, user, **fields):
    data = {
        "period": "2016-H1",
        "status": "on_track",
        "percent_complete": "40",
        "narrative": "Going well.",
        "achievements": "",
        "budget_spent": "0",
        **fields,
    }
    return client_for(user).post(url("report_file", activity.reference), data)


def test_a_percentage_of_101_is_refused_next_to_its_field(activity, pc_fr):
    _file(activity, pc_fr, "2016-H1")
    response = _report_post(activity, pc_fr, period="2016-H2", percent_complete="101")
    assert response.status_code == 400
    errors = response.context["report_form"].errors
    assert errors["percent_complete"] == ["The percentage is a whole number from 0 to 100."]
    page = response.content.decode()
    assert 'id="id_percent_complete_errors"' in page and 'aria-invalid="true"' in page
    # The form stays open with its errors.
    assert re.search(r'<details[^>]* open data-testid="report-form"', page)
    assert list(ProgressReport.objects.values_list("period", flat=True)) == ["2016-H1"]


def test_a_second_report_for_the_same_period_is_refused_next_to_the_period(activity, pc_fr):
    _file(activity, pc_fr)
    response = _report_post(activity, pc_fr, percent_complete="60")
    assert response.status_code == 400
    assert response.context["report_form"].errors["period"] == [
        "A report for 2016-H1 exists already; edit it instead."
    ]
    assert ProgressReport.objects.get().percent_complete == 40


def test_the_period_select_offers_the_activitys_half_years_and_marks_those_filed(activity, pc_fr):
    _file(activity, pc_fr)
    form = client_for(pc_fr).get(url("activity", activity.reference)).context["report_form"]
    choices = dict(form.fields["period"].choices)
    assert list(choices) == ["2016-H1", "2016-H2", "2017-H1", "2017-H2"]
    assert "filed" in str(choices["2016-H1"])
    assert form.initial["period"] == "2016-H2"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"narrative": " "}, "narrative"),
        ({"status": "green"}, "status"),
        ({"budget_spent": "-5"}, "budget_spent"),
        ({"period": "2019-H1"}, "period"),
    ],
)
def test_other_bad_report_values_show_their_field_error(activity, pc_fr, fields, field):
    response = _report_post(activity, pc_fr, **fields)
    assert response.status_code == 400
    assert response.context["report_form"].errors[field]
    assert not ProgressReport.objects.exists()


def test_an_empty_review_is_refused_next_to_its_field(activity, secretariat, bureau_chair):
    report = _file(activity, secretariat)
    response = client_for(bureau_chair).post(url("report_review", report.pk), {"comment": " "})
    assert response.status_code == 400
    assert response.context["review_form"].errors["comment"]
    report.refresh_from_db()
    assert report.reviewer_comment == ""


def test_an_invitee_line_without_an_address_is_refused(activity, secretariat):
    response = client_for(secretariat).post(
        url("feedback_open", activity.reference),
        {
            "audience": "named",
            "questions": "Was it useful?",
            "deadline": (today() + dt.timedelta(days=7)).isoformat(),
            "invitees": "Ana Costa <ana.costa@example.org>\nJohn without address",
        },
    )
    assert response.status_code == 400
    assert response.context["feedback_form"].errors["invitees"] == [
        "Line 2: write each invitee as Name <e-mail>."
    ]
    assert not FeedbackRequest.objects.exists()


def _named_request_data(expert, **fields) -> dict:
    return {
        "audience": "named",
        "questions": "Was the seminar useful?",
        "deadline": (today() + dt.timedelta(days=7)).isoformat(),
        "recipients": [expert.pk],
        "invitees": "Ana Costa <ana.costa@example.org>",
        **fields,
    }


def test_an_identical_request_is_refused_on_the_page_next_to_the_recipients(
    activity, secretariat, expert, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("feedback_open", activity.reference), _named_request_data(expert))
    assert first.status_code == 302
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            url("feedback_open", activity.reference),
            # The same request typed again: other case and spacing are still the same.
            _named_request_data(
                expert,
                questions="  was the seminar USEFUL?  ",
                invitees="Ana Costa <Ana.Costa@example.org>\n",
            ),
        )
    assert again.status_code == 400
    form = again.context["feedback_form"]
    assert list(form.errors) == ["recipients"]
    assert "already open on this activity" in form.errors["recipients"][0]
    assert again.context["open_form"] == "feedback_form"  # the form stays open to correct
    assert "already open on this activity" in again.content.decode()
    assert FeedbackRequest.objects.count() == 1
    assert FeedbackInvitation.objects.count() == 1
    assert len(mailoutbox) == sent  # nobody is e-mailed twice


def test_a_refused_request_comes_back_at_its_form_with_the_deadline_written_out(
    activity, secretariat, expert
):
    client = client_for(secretariat)
    data = _named_request_data(expert, deadline="2099-03-05")
    client.post(url("feedback_open", activity.reference), data)
    again = client.post(url("feedback_open", activity.reference), data)
    body = again.content.decode()
    # The form posts to its own anchor: the browser lands on the errors, not the page top.
    action = url("feedback_open", activity.reference) + "#ask-feedback"
    assert f'action="{action}"' in body
    assert re.search(r'<details[^>]*id="ask-feedback"[^>]*open', body)
    assert "is already open on this activity, until 5 March 2099." in body


def test_a_request_to_other_people_is_not_a_duplicate_on_the_page(activity, secretariat, expert):
    client = client_for(secretariat)
    assert (
        client.post(
            url("feedback_open", activity.reference), _named_request_data(expert)
        ).status_code
        == 302
    )
    other = _named_request_data(expert, invitees="Ben Ode <ben@example.org>")
    assert client.post(url("feedback_open", activity.reference), other).status_code == 302
    assert FeedbackRequest.objects.count() == 2


def test_a_request_with_a_past_deadline_is_refused(activity, secretariat):
    response = client_for(secretariat).post(
        url("feedback_open", activity.reference),
        {"audience": "experts", "questions": "Q?", "deadline": "2016-01-01", "invitees": ""},
    )
    assert response.status_code == 400
    assert response.context["feedback_form"].errors["deadline"]
    assert not FeedbackRequest.objects.exists()


def test_invitees_get_their_link_by_e_mail(
    activity, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(
            url("feedback_open", activity.reference),
            {
                "audience": "named",
                "questions": "Was it useful?",
                "deadline": (today() + dt.timedelta(days=7)).isoformat(),
                "invitees": "Ana Costa <ana.costa@example.org>",
            },
        )
    assert response.status_code == 302
    invitation = FeedbackInvitation.objects.get()
    assert (invitation.name, invitation.email) == ("Ana Costa", "ana.costa@example.org")
    assert "/feedback/answer/" in mailoutbox[0].body


def test_evidence_that_is_not_a_document_is_refused(activity, secretariat):
    response = client_for(secretariat).post(
        url("impact_record", activity.reference),
        {
            "date": "2017-12-31",
            "method": "Survey",
            "findings": "Used.",
            "rating": "4",
            "evidence": SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream"),
        },
    )
    assert response.status_code == 400
    assert response.context["impact_form"].errors["evidence"]
    assert not ImpactAssessment.objects.exists()


def test_a_measurement_for_another_activitys_indicator_is_refused(
    activity, programme, states, pc_fr, secretariat
):
    other = ActivityFactory(work_programme=programme, lead_member_state=states["DE"])
    foreign = services.indicator_add(
        activity=other, actor=secretariat, name="Elsewhere", baseline=0, target=1
    )
    services.indicator_add(activity=activity, actor=pc_fr, name="Here", baseline=0, target=1)
    response = client_for(pc_fr).post(
        url("measurement_add", activity.reference),
        {"indicator": foreign.pk, "date": "2016-06-30", "value": "1"},
    )
    assert response.status_code == 400
    assert response.context["measurement_form"].errors["indicator"]
    assert not Measurement.objects.exists()


def test_a_rating_of_6_is_refused_next_to_its_field(activity, secretariat, expert):
    request = _request(activity, secretariat)
    response = client_for(expert).post(
        url("feedback_answer", request.pk), answer_data(f"r{request.pk}-", relevance=6)
    )
    assert response.status_code == 400
    form = response.context["items"][0]["form"]
    assert form.errors["relevance"] == ["Rate from 1 to 5."]
    assert f'id="id_r{request.pk}-relevance_errors"' in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_an_answer_twice_is_refused(activity, secretariat, expert):
    request = _request(activity, secretariat)
    client = client_for(expert)
    assert client.post(url("feedback_answer", request.pk), answer_data(f"r{request.pk}-"))[
        "Location"
    ].endswith(url("my_feedback"))
    response = client.post(
        url("feedback_answer", request.pk), answer_data(f"r{request.pk}-", quality=1)
    )
    assert response.status_code == 400
    assert "You have already answered this request." in response.content.decode()
    assert FeedbackResponse.objects.get().quality == 5


def test_an_answer_after_the_deadline_is_refused(activity, secretariat, expert):
    request = _request(activity, secretariat)
    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=today() - dt.timedelta(days=1))
    client = client_for(expert)
    page = client.get(url("my_feedback"))
    assert page.context["items"][0]["form"] is None  # no form once the deadline has passed
    response = client.post(url("feedback_answer", request.pk), answer_data(f"r{request.pk}-"))
    assert response.status_code == 400
    assert "answers are no longer taken" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_my_feedback_requests_lists_whats_addressed_to_me(
    activity, secretariat, expert, pc_fr, outsider
):
    to_experts = _request(activity, secretariat, audience="experts")
    named = _request(activity, secretariat, audience="named", recipients=[outsider])
    assert [
        i["request"].pk for i in client_for(expert).get(url("my_feedback")).context["items"]
    ] == [to_experts.pk]
    assert client_for(pc_fr).get(url("my_feedback")).context["items"] == []
    page = client_for(outsider).get(url("my_feedback"))
    assert [i["request"].pk for i in page.context["items"]] == [named.pk]
    assert 'type="radio"' in page.content.decode() and "<fieldset" in page.content.decode()


# --- the signed link ------------------------------------------------------------------------


@pytest.fixture
def invitation(activity, secretariat):
    request = _request(
        activity, secretariat, audience="named", invitees=[("Ana Costa", "ana@example.org")]
    )
    return request.invitations.get()


def _token(invitation) -> str:
    return services.feedback_link(invitation).rsplit("/", 2)[-2]


def test_an_invitee_answers_through_the_link_once(invitation, client):
    token = _token(invitation)
    page = client.get(url("answer_link", token))
    assert page.status_code == 200
    body = page.content.decode()
    assert invitation.request.activity.title in body and "Was it useful?" in body
    response = client.post(url("answer_link", token), answer_data())
    assert response.status_code == 302 and response["Location"].endswith(url("answer_thanks"))
    assert client.get(response["Location"]).status_code == 200
    answer = FeedbackResponse.objects.get()
    assert (answer.invitation, answer.respondent, answer.relevance) == (invitation, None, 4)
    # The second use: the service's clear message, no form, nothing saved.
    for again in (
        client.get(url("answer_link", token)),
        client.post(url("answer_link", token), answer_data()),
    ):
        assert again.status_code == 410
        body = again.content.decode()
        assert "This link has already been used" in body
        assert 'data-testid="answer-form"' not in body
    assert FeedbackResponse.objects.count() == 1


def test_a_used_link_says_the_day_of_the_answer_as_people_write_it(invitation, client):
    token = _token(invitation)
    client.post(url("answer_link", token), answer_data())
    day = timezone.localdate()
    body = client.get(url("answer_link", token)).content.decode()
    assert f"recorded on {day.day} {day:%B %Y}." in body
    assert day.isoformat() not in body


def test_a_tampered_link_is_refused_without_a_form(invitation, client):
    token = _token(invitation)
    response = client.post(url("answer_link", token[:-3] + "abc"), answer_data())
    assert response.status_code == 400
    body = response.content.decode()
    assert "This link is not valid" in body and 'data-testid="answer-form"' not in body
    assert not FeedbackResponse.objects.exists()


def test_an_expired_link_is_refused_without_a_form(invitation, client):
    FeedbackRequest.objects.filter(pk=invitation.request_id).update(
        deadline=today() - dt.timedelta(days=1)
    )
    response = client.get(url("answer_link", _token(invitation)))
    assert response.status_code == 410
    assert "answers are no longer taken" in response.content.decode()
    assert 'data-testid="answer-form"' not in response.content.decode()


def test_a_link_of_a_closed_request_is_refused(invitation, client, secretariat):
    services.feedback_request_close(request=invitation.request, actor=secretariat)
    response = client.get(url("answer_link", _token(invitation)))
    assert response.status_code == 410
    assert 'data-testid="answer-form"' not in response.content.decode()


def test_a_rating_of_6_through_the_link_is_refused(invitation, client):
    response = client.post(url("answer_link", _token(invitation)), answer_data(impact=6))
    assert response.status_code == 400
    assert response.context["form"].errors["impact"] == ["Rate from 1 to 5."]
    assert not FeedbackResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


# --- the overview's figures ------------------------------------------------------------------


@pytest.fixture
def year_2016(programme, states, secretariat, expert, pc_fr, bureau_chair):
    """Three activities running in 2016 (and one of 2015 only, left out):

    - A (FR, ongoing): 10,000 planned, 4,000 spent; 3.1 and format 4.2; both
      considerations stated; reports H1 on track, H2 at risk; an indicator on target;
      two feedback answers.
    - B (DE, completed): 20,000 / 20,000; 3.2, no format; human rights stated only;
      report H1 off track (H2 overdue); an indicator off target.
    - C (FR, planned): 5,000 / 0; 3.1, no format; nothing stated; no report (H1 and
      H2 overdue); an indicator not measured yet.
    """
    # Seen while the programme still runs: its late reports are overdue. Once its
    # period has ended they are history (Activity.objects.not_history).
    type(programme).objects.filter(pk=programme.pk).update(last_year=dt.date.today().year)
    p31 = programme.priorities.get(number="3.1")
    p32 = programme.priorities.get(number="3.2")
    f42 = programme.formats.get(number="4.2")
    base = {"work_programme": programme, "adoption_route": "ad_hoc"}
    year = {"start_date": dt.date(2016, 1, 1), "end_date": dt.date(2016, 12, 31)}
    a = ActivityFactory(
        **base,
        **year,
        lead_member_state=states["FR"],
        status="ongoing",
        planned_budget=D("10000"),
        spent=D("4000"),
        permanent_format=f42,
        human_rights_considerations="Rights.",
        gender_considerations="Gender.",
        thematic_priorities=[p31],
        supervisor=bureau_chair,
    )
    b = ActivityFactory(
        **base,
        **year,
        lead_member_state=states["DE"],
        status="completed",
        planned_budget=D("20000"),
        spent=D("20000"),
        human_rights_considerations="Rights.",
        thematic_priorities=[p32],
    )
    c = ActivityFactory(
        **base,
        **year,
        lead_member_state=states["FR"],
        status="planned",
        planned_budget=D("5000"),
        thematic_priorities=[p31],
    )
    ActivityFactory(
        **base,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2015, 12, 31),
        lead_member_state=states["FR"],
        status="completed",
        planned_budget=D("99999"),
        thematic_priorities=[p31],
    )
    _file(a, secretariat, "2016-H1", status="on_track")
    _file(a, secretariat, "2016-H2", status="at_risk")
    _file(b, secretariat, "2016-H1", status="off_track")
    on = services.indicator_add(activity=a, actor=secretariat, name="On", baseline=0, target=100)
    services.measurement_add(indicator=on, actor=secretariat, date=dt.date(2016, 6, 1), value=120)
    off = services.indicator_add(
        activity=b, actor=secretariat, name="Off", baseline=80, target=50, direction="lower"
    )
    services.measurement_add(indicator=off, actor=secretariat, date=dt.date(2016, 6, 1), value=60)
    services.indicator_add(activity=c, actor=secretariat, name="None yet", baseline=0, target=1)
    request = _request(a, secretariat, audience="named", recipients=[expert, pc_fr])
    services.feedback_respond(
        request=request, actor=expert, relevance=4, quality=5, usefulness=3, impact=2
    )
    services.feedback_respond(
        request=request, actor=pc_fr, relevance=5, quality=4, usefulness=4, impact=3
    )
    return {"a": a, "b": b, "c": c, "p31": p31, "p32": p32, "f42": f42}


def test_the_overviews_figures_agree_with_the_data(year_2016, bureau_chair):
    response = client_for(bureau_chair).get(url("overview"), {"year": 2016})
    assert response.status_code == 200
    ov = response.context["ov"]
    assert ov.total == 3
    assert ov.by_status == {"ongoing": 1, "completed": 1, "planned": 1}
    assert ov.by_rag == {"at_risk": 1, "off_track": 1, "none": 1}
    budget = {
        r["number"]: (r["activities"], r["planned"], r["spent"]) for r in ov.budget_by_priority
    }
    assert budget == {"3.1": (2, D("15000"), D("4000")), "3.2": (1, D("20000"), D("20000"))}
    formats = {r["number"]: (r["planned"], r["spent"]) for r in ov.budget_by_format}
    assert formats == {"4.2": (D("10000"), D("4000")), "—": (D("25000"), D("20000"))}
    assert ov.feedback["responses"] == 2
    assert float(ov.feedback["relevance"]) == 4.5 and float(ov.feedback["impact"]) == 2.5
    assert ov.indicators == {"total": 3, "measured": 2, "on_target": 1, "off_target": 1}
    assert ov.transversal == {"stated": 1, "human_rights": 2, "gender": 1}
    assert ov.transversal_share == D("33.3")
    overdue = {(o["period"], o["activity"].pk) for o in ov.overdue}
    a, b, c = year_2016["a"], year_2016["b"], year_2016["c"]
    assert overdue == {("2016-H2", b.pk), ("2016-H1", c.pk), ("2016-H2", c.pk)}
    page = response.content.decode()
    # The figures on the page, and each chart's table and data.
    assert 'data-testid="figure-total">3<' in page
    assert 'data-testid="figure-overdue">3<' in page
    assert "33.3 %" in page
    rag = response.context["charts"]["rag"]
    assert rag.rows == [["On track", 0], ["At risk", 1], ["Off track", 1], ["No report", 1]]
    assert rag.spec["datasets"][0]["data"] == [0, 1, 1, 1]
    assert 'role="img"' in page and 'id="chart-rag-data"' in page
    assert "At risk: activities 1" in rag.description
    assert 'data-testid="chart-rag-table"' in page
    for reference in (b.reference, c.reference):
        assert reference in page
    assert a.reference not in page.split('data-testid="overdue-table"')[1].split("</table>")[0]


def test_the_overview_narrows_to_a_priority_or_a_format(year_2016, secretariat):
    client = client_for(secretariat)
    p32, f42 = year_2016["p32"], year_2016["f42"]
    by_priority = client.get(
        url("overview"), {"year": 2016, "scope": "priority", "priority": p32.pk}
    )
    assert by_priority.context["ov"].total == 1
    assert by_priority.context["ov"].by_status == {"completed": 1}
    by_format = client.get(
        url("overview"), {"year": 2016, "scope": "format", "permanent_format": f42.pk}
    )
    assert by_format.context["ov"].total == 1
    assert by_format.context["ov"].by_rag == {"at_risk": 1}


def test_a_scope_without_its_priority_is_a_field_error(year_2016, secretariat):
    response = client_for(secretariat).get(url("overview"), {"year": 2016, "scope": "priority"})
    assert response.status_code == 400
    assert response.context["form"].errors["priority"] == ["Choose the thematic priority."]
    assert "ov" not in response.context


def test_a_year_outside_the_programme_is_a_field_error(year_2016, secretariat):
    response = client_for(secretariat).get(url("overview"), {"year": 2030})
    assert response.status_code == 400
    assert response.context["form"].errors["year"]


def test_the_overview_opens_on_the_latest_year_with_activities(year_2016, bureau_chair):
    # The programme runs from 2015 to this year (year_2016); the latest activity ends in 2016.
    response = client_for(bureau_chair).get(url("overview"))
    assert response.context["year"] == 2016
    years = list(dict(response.context["form"].fields["year"].choices))
    assert years == list(range(2015, dt.date.today().year + 1))


def test_the_secretariat_gets_the_compile_form(year_2016, secretariat, bureau_chair):
    page = client_for(secretariat).get(url("overview"), {"year": 2016}).content.decode()
    assert "Compile the evaluation report" in page
    for name in ("first_year", "last_year", "scope", "priority", "format"):
        assert f'name="{name}"' in page
    assert reverse("evaluation:compile_report") in page
    other = client_for(bureau_chair).get(url("overview"), {"year": 2016}).content.decode()
    assert "Compile the evaluation report" not in other


# --- CSV downloads ----------------------------------------------------------------------------


def test_each_overview_chart_downloads_as_csv(year_2016, bureau_chair):
    client = client_for(bureau_chair)

    def get(chart, **extra):
        return csv_rows(
            client.get(url("overview"), {"year": 2016, "format": "csv", "chart": chart, **extra})
        )

    assert get("rag") == [
        ["RAG status", "Activities"],
        ["On track", "0"],
        ["At risk", "1"],
        ["Off track", "1"],
        ["No report", "1"],
    ]
    budget = get("budget-priority")
    assert budget[0] == ["Priority", "Activities", "Planned (EUR)", "Spent (EUR)"]
    assert [row[0][:4] for row in budget[1:]] == ["3.1 ", "3.2 "]
    assert [row[1:] for row in budget[1:]] == [
        ["2", "15000.00", "4000.00"],
        ["1", "20000.00", "20000.00"],
    ]
    assert get("budget-format")[1:] == [
        [get("budget-format")[1][0], "1", "10000.00", "4000.00"],
        ["Time-limited activities", "2", "25000.00", "20000.00"],
    ]
    assert get("status")[1:4] == [["Planned", "1"], ["Ongoing", "1"], ["Completed", "1"]]
    assert get("feedback")[1] == ["Relevance", "4.50", "2"]
    assert get("indicators")[1:] == [
        ["On target", "1"],
        ["Off target", "1"],
        ["Not measured yet", "1"],
    ]
    assert get("transversal")[3] == ["Both", "1", "33.30"]
    overdue = get("overdue")
    assert overdue[0] == ["Period", "Activity", "Title", "Lead member state"]
    assert len(overdue) == 4
    # The scope travels with the download.
    p32 = year_2016["p32"]
    assert get("status", scope="priority", priority=p32.pk)[1:4] == [
        ["Planned", "0"],
        ["Ongoing", "0"],
        ["Completed", "1"],
    ]


def test_the_csv_links_carry_the_year_and_scope(year_2016, bureau_chair):
    p32 = year_2016["p32"]
    response = client_for(bureau_chair).get(
        url("overview"), {"scope": "priority", "priority": p32.pk}
    )
    link = response.context["charts"]["rag"].csv_url
    assert link == f"?year=2016&scope=priority&priority={p32.pk}&format=csv&chart=rag"


def test_an_unknown_chart_is_a_bad_request(year_2016, bureau_chair):
    response = client_for(bureau_chair).get(url("overview"), {"format": "csv", "chart": "nope"})
    assert response.status_code == 400


def test_a_csv_cell_never_starts_a_formula(activity, secretariat):
    indicator = services.indicator_add(
        activity=activity, actor=secretariat, name="X", baseline=0, target=1
    )
    services.measurement_add(
        indicator=indicator,
        actor=secretariat,
        date=dt.date(2016, 3, 1),
        value=1,
        note="=HYPERLINK()",
    )
    rows = csv_rows(
        client_for(secretariat).get(
            url("activity", activity.reference),
            {"format": "csv", "chart": f"indicator-{indicator.pk}"},
        )
    )
    assert rows == [
        ["Date", "Value", "Baseline", "Target", "Note"],
        ["2016-03-01", "1.00", "0.00", "1.00", "'=HYPERLINK()"],
    ]


def test_the_activitys_charts_download_as_csv(activity, secretariat, pc_de):
    _file(activity, secretariat, "2016-H1", percent_complete=30)
    _file(activity, secretariat, "2016-H2", percent_complete=55, status="at_risk")
    rows = csv_rows(
        client_for(pc_de).get(
            url("activity", activity.reference), {"format": "csv", "chart": "progress"}
        )
    )
    assert rows == [
        ["Period", "Status", "Percent complete"],
        ["2016-H1", "On track", "30"],
        ["2016-H2", "At risk", "55"],
    ]
    page = client_for(pc_de).get(url("activity", activity.reference))
    chart = page.context["progress_chart"]
    assert chart.spec["datasets"][0]["data"] == [30, 55]
    assert 'id="chart-progress-data"' in page.content.decode()


# --- query budgets ------------------------------------------------------------------------------


def _activities(programme, states, secretariat, expert, n: int):
    p31 = programme.priorities.get(number="3.1")
    f42 = programme.formats.get(number="4.2")
    for i in range(n):
        a = ActivityFactory(
            work_programme=programme,
            adoption_route="ad_hoc",
            lead_member_state=states["FR" if i % 2 else "DE"],
            permanent_format=f42 if i % 3 else None,
            start_date=dt.date(2016, 1, 1),
            end_date=dt.date(2016, 12, 31),
            status="ongoing",
            thematic_priorities=[p31],
        )
        _file(a, secretariat, "2016-H1")
        indicator = services.indicator_add(
            activity=a, actor=secretariat, name="N", baseline=0, target=10
        )
        services.measurement_add(
            indicator=indicator, actor=secretariat, date=dt.date(2016, 5, 1), value=i
        )
        request = _request(a, secretariat)
        services.feedback_respond(request=request, actor=expert, **RATINGS)


@pytest.mark.parametrize("n", [2, 12])
def test_the_overview_answers_in_a_constant_number_of_queries(
    n, programme, states, secretariat, expert, django_assert_max_num_queries
):
    _activities(programme, states, secretariat, expert, n)
    client = client_for(secretariat)
    # 1 session, 2 user; roles: 3 groups, 4 profile, 5 Bureau mandates;
    # 6 the work programme in force, 7 its priorities, 8 its formats;
    # 9 the latest year with activities (no year given);
    # the overview's aggregates: 10 by status, 11 by RAG, 12 budget by priority,
    # 13 budget by format, 14 activities outside the formats, 15 feedback means,
    # 16 indicators on/off target, 17 transversal considerations,
    # 18 and 19 overdue reports of 2016-H1 and 2016-H2;
    # 20-22 the session saved again (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST).
    with django_assert_max_num_queries(22):
        response = client.get(url("overview"))
    assert response.context["ov"].total == n


@pytest.mark.parametrize("n", [1, 6])
def test_the_activity_tab_answers_in_a_constant_number_of_queries(
    n, activity, secretariat, expert, django_assert_max_num_queries
):
    for i in range(n):
        if i < 4:  # the activity runs four half-years
            _file(activity, secretariat, ["2016-H1", "2016-H2", "2017-H1", "2017-H2"][i])
        indicator = services.indicator_add(
            activity=activity, actor=secretariat, name=f"I{i}", baseline=0, target=10
        )
        services.measurement_add(
            indicator=indicator, actor=secretariat, date=dt.date(2016, 5, 1), value=i
        )
        request = _request(activity, secretariat, questions=f"Question {i}?")
        services.feedback_respond(request=request, actor=expert, **RATINGS)
    client = client_for(secretariat)
    # 1 session, 2 user; roles: 3 groups, 4 profile, 5 Bureau mandates;
    # the activity (get_activity_for_user): 6 the row, 7 priorities, 8 participating
    # states, 9 milestones, 10 history, 11 annual entries;
    # the tab (selectors.activity_evaluation): 12 reports, 13 indicators,
    # 14 their measurements, 15 feedback requests with means, 16 their answers,
    # 17 their named recipients, 18 their invitations (each one's state);
    # 19 impact assessments; 20 the people offered for a named request;
    # 21-23 the session saved again (savepoint, update, release).
    with django_assert_max_num_queries(23):
        response = client.get(url("activity", activity.reference))
    assert len(response.context["indicators"]) == n


@pytest.mark.parametrize("n", [1, 6])
def test_my_feedback_requests_answer_in_a_constant_number_of_queries(
    n, activity, secretariat, expert, django_assert_max_num_queries
):
    for number in range(n):
        _request(activity, secretariat, questions=f"Question {number}?")
    client = client_for(expert)
    # 1 session, 2 user; roles: 3 groups, 4 profile, 5 Bureau mandates;
    # 6 the requests addressed to me, with their activity and whether I answered;
    # 7-9 the session saved again (savepoint, update, release).
    with django_assert_max_num_queries(9):
        response = client.get(url("my_feedback"))
    assert len(response.context["items"]) == n


# --- the dashboard ---------------------------------------------------------------------------


def _items(user) -> dict[str, object]:
    return {item.label: item for section in sections_for(user) for item in section.items}


def test_the_dashboard_counts_the_evaluation_tasks(
    activity, secretariat, bureau_chair, pc_fr, expert
):
    report = _file(activity, secretariat)
    _file(activity, secretariat, "2016-H2")
    services.progress_report_review(report=report, actor=bureau_chair, comment="Fine.")
    _request(activity, secretariat, audience="experts")
    _request(activity, secretariat, audience="correspondents")
    secretariat_items = _items(secretariat)
    assert secretariat_items["Progress reports awaiting acceptance"].count == 2
    assert "Progress reports overdue" in secretariat_items
    bureau = _items(bureau_chair)
    assert bureau["Progress reports to review"].count == 1  # H1 is reviewed already
    assert bureau["Feedback requests awaiting my answer"].count == 1  # a PC too
    assert _items(expert)["Feedback requests awaiting my answer"].count == 1
    pc = _items(pc_fr)
    assert pc["Feedback requests awaiting my answer"].url == url("my_feedback")
    assert "Progress reports due for activities my delegation leads" in pc


def test_the_lead_pc_sees_the_reports_due(programme, states, pc_fr, secretariat):
    # Seen while the programme still runs: its late reports are overdue. Once its
    # period has ended they are history (Activity.objects.not_history).
    type(programme).objects.filter(pk=programme.pk).update(last_year=dt.date.today().year)
    from evaluation import periods

    due = periods.last_due(today())
    start, end = periods.bounds(due)
    late = ActivityFactory(
        work_programme=programme,
        lead_member_state=states["FR"],
        start_date=start,
        end_date=end,
        status="ongoing",
    )
    ActivityFactory(  # another delegation's: not counted for pc_fr
        work_programme=programme,
        lead_member_state=states["DE"],
        start_date=start,
        end_date=end,
        status="ongoing",
    )
    item = _items(pc_fr)["Progress reports due for activities my delegation leads"]
    assert item.count == 1
    assert item.url == "/en/evaluation/progress-reports/?show=overdue&mine=1"
    rows = client_for(pc_fr).get(item.url).content.decode().count('data-testid="todo-row"')
    assert rows == 1
    assert late.reference in client_for(pc_fr).get(item.url).content.decode()
    assert _items(secretariat)["Progress reports overdue"].count == 2


def test_the_report_form_keeps_a_pasted_line_break_and_refuses_a_control_character(activity, pc_fr):
    response = _report_post(activity, pc_fr, narrative="Going\x07 well.")
    assert response.status_code == 400
    assert "U+0007" in response.context["report_form"].errors["narrative"][0]
    assert not ProgressReport.objects.exists()
    _report_post(activity, pc_fr, narrative="Going\x0bwell.")
    assert ProgressReport.objects.get().narrative == "Going\nwell."


def test_the_answer_form_keeps_a_pasted_line_break_and_refuses_a_control_character(
    activity, secretariat, expert
):
    request = _request(activity, secretariat)
    client = client_for(expert)
    prefix = f"r{request.pk}-"
    response = client.post(
        url("feedback_answer", request.pk), answer_data(prefix, comments="Use\x1bful")
    )
    assert response.status_code == 400
    assert "U+001B" in response.context["items"][0]["form"].errors["comments"][0]
    assert not FeedbackResponse.objects.exists()
    client.post(url("feedback_answer", request.pk), answer_data(prefix, comments="Use\x0cful"))
    assert FeedbackResponse.objects.get().comments == "Use\nful"


@pytest.mark.parametrize("show", ["awaiting_acceptance", "overdue"])
def test_the_progress_report_lists_behind_the_dashboard_read_a_fixed_number_of_queries(
    show, programme, states, secretariat, expert
):
    """The same number of queries for 2 activities and for 8: nothing per row (the
    overdue list asks one query per half-year due, whatever the number of rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The activities run this year, in a programme still running (not history).
    type(programme).objects.filter(pk=programme.pk).update(last_year=today().year + 1)
    start = dt.date(today().year - 1, 1, 1)
    client = client_for(secretariat)
    counts, rows = [], []
    for n in (2, 8):
        while ActivityFactory._meta.model.objects.count() < n:
            a = ActivityFactory(
                work_programme=programme,
                lead_member_state=states["FR"],
                start_date=start,
                end_date=start + dt.timedelta(days=500),
                status="ongoing",
                adoption_route="ad_hoc",
            )
            _file(a, secretariat, f"{start.year}-H1")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("progress_reports"), {"show": show})
        assert response.status_code == 200
        counts.append(len(queries))
        rows.append(response.content.decode().count('data-testid="todo-row"'))
    # One row per activity awaiting acceptance; per activity and half-year overdue.
    assert rows[0] >= 2 and rows[1] == 4 * rows[0]
    assert counts[0] == counts[1], counts
