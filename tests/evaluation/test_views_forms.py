"""The evaluation's forms: a bad input shows a field error and saves nothing; feedback
is answered once, in time, on "my feedback requests" or through the signed link."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evaluation import services
from evaluation.models import (
    FeedbackInvitation,
    FeedbackRequest,
    FeedbackResponse,
    ImpactAssessment,
    Measurement,
    ProgressReport,
)
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for

from .factories import answer_data, file_report, open_request, today, url

D = Decimal


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
    file_report(activity, pc_fr, "2016-H1")
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
    file_report(activity, pc_fr)
    response = _report_post(activity, pc_fr, percent_complete="60")
    assert response.status_code == 400
    assert response.context["report_form"].errors["period"] == [
        "A report for 2016-H1 exists already; edit it instead."
    ]
    assert ProgressReport.objects.get().percent_complete == 40


def test_the_period_select_offers_the_activitys_half_years_and_marks_those_filed(activity, pc_fr):
    file_report(activity, pc_fr)
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
    report = file_report(activity, secretariat)
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
    request = open_request(activity, secretariat)
    response = client_for(expert).post(
        url("feedback_answer", request.pk), answer_data(f"r{request.pk}-", relevance=6)
    )
    assert response.status_code == 400
    form = response.context["items"][0]["form"]
    assert form.errors["relevance"] == ["Rate from 1 to 5."]
    assert f'id="id_r{request.pk}-relevance_errors"' in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_an_answer_twice_is_refused(activity, secretariat, expert):
    request = open_request(activity, secretariat)
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
    request = open_request(activity, secretariat)
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
    to_experts = open_request(activity, secretariat, audience="experts")
    named = open_request(activity, secretariat, audience="named", recipients=[outsider])
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
    request = open_request(
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


def test_the_report_form_keeps_a_pasted_line_break_and_refuses_a_control_character(activity, pc_fr):
    response = _report_post(activity, pc_fr, narrative="Going\x07 well.")
    assert response.status_code == 400
    assert "U+0007" in response.context["report_form"].errors["narrative"][0]
    assert not ProgressReport.objects.exists()
    _report_post(activity, pc_fr, narrative="Going\x0bwell.")
    assert ProgressReport.objects.get().narrative == "Going\nwell."
