"""The evaluation's workflows (evaluation/workflow.py) and its history: every status
change is a move that lands once and writes one event, every other change a service
makes writes its event, and the report's page shows the history in words."""

import datetime as dt

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import FeedbackRequest, ProgressReport
from evaluation.workflow import FEEDBACK_REQUEST, REPORT_REVIEW
from pompidou import audit
from pompidou.errors import DomainError
from tests.conftest import answer, client_as, client_for

from .factories import RATINGS, open_request


def _kinds(obj) -> list[tuple[str, str, str]]:
    return [(e.kind, e.from_state, e.to_state) for e in audit.events_of(obj)]


def test_a_report_is_filed_reviewed_amended_and_accepted_each_step_in_its_history(
    report, pc_fr, bureau_chair, secretariat
):
    assert [m.name for m in REPORT_REVIEW.available(bureau_chair, report)] == ["review"]
    assert [m.name for m in REPORT_REVIEW.available(secretariat, report)] == ["accept"]
    services.progress_report_review(report=report, actor=bureau_chair, comment="Watch costs.")
    services.progress_report_review(report=report, actor=bureau_chair, comment="Costs fine.")
    services.progress_report_update(report=report, actor=pc_fr, percent_complete=55)
    services.progress_report_accept(report=report, actor=secretariat)
    report.refresh_from_db()
    assert (report.review, report.reviewer_comment, report.reviewed_by) == (
        "accepted",
        "Costs fine.",
        bureau_chair,
    )
    assert report.accepted_by == secretariat and report.accepted_at is not None
    assert _kinds(report) == [
        ("created", "", ""),
        ("status", "submitted", "reviewed"),
        ("status", "reviewed", "reviewed"),
        ("updated", "", ""),
        ("status", "reviewed", "accepted"),
    ]
    events = list(audit.events_of(report))
    assert events[1].comment == "Watch costs." and events[1].actor == bureau_chair
    assert events[3].changes == {"percent_complete": [40, 55]}
    assert REPORT_REVIEW.available(secretariat, report) == []


def test_a_report_accepted_meanwhile_takes_no_review(report, bureau_chair, secretariat):
    stale = ProgressReport.objects.get(pk=report.pk)
    services.progress_report_accept(report=report, actor=secretariat)
    with pytest.raises(DomainError, match="the review is closed"):
        services.progress_report_review(report=stale, actor=bureau_chair, comment="Late.")
    with pytest.raises(DomainError, match="already accepted"):
        services.progress_report_accept(report=stale, actor=secretariat)
    assert [k for k, _f, to in _kinds(report) if k == "status"] == ["status"]


def test_the_reports_page_shows_its_history_in_words(report, bureau_chair, secretariat):
    services.progress_report_review(report=report, actor=bureau_chair, comment="Watch costs.")
    page = client_for(secretariat).get(reverse("evaluation:report_detail", args=[report.pk]))
    history = page.content.decode().split('data-testid="history"')[1]
    assert "Submitted → Reviewed" in history
    assert "Watch costs." in history


def test_closing_a_request_is_a_move_once_and_closing_it_again_is_refused(activity, secretariat):
    request = open_request(activity, secretariat)
    services.feedback_request_close(request=request, actor=secretariat)
    assert FeedbackRequest.objects.get(pk=request.pk).status == "closed"
    with pytest.raises(DomainError, match="already closed") as caught:
        services.feedback_request_close(request=request, actor=secretariat)
    assert not isinstance(caught.value, PermissionError)
    assert _kinds(request) == [("created", "", ""), ("status", "open", "closed")]


def test_closing_a_closed_request_on_the_page_is_a_400_with_its_reason(activity, secretariat):
    request = open_request(activity, secretariat)
    address = reverse("evaluation:feedback_close", args=[request.pk])
    assert client_for(secretariat).post(address).status_code == 302
    again = client_for(secretariat).post(address)
    assert again.status_code == 400
    assert "This feedback request is already closed." in again.content.decode()


def test_the_api_closes_a_request_once(activity, secretariat, expert):
    request = open_request(activity, secretariat)
    address = f"/api/v1/feedback-requests/{request.pk}/close/"
    assert answer(client_as(expert).post(address), 403)["detail"] == (
        "The Secretariat closes feedback requests."
    )
    assert answer(client_as(secretariat).post(address))["status"] == "closed"
    assert answer(client_as(secretariat).post(address), 400) == {
        "non_field_errors": ["This feedback request is already closed."]
    }


def test_the_daily_job_closes_expired_requests_as_the_portal(activity, secretariat):
    expired = open_request(activity, secretariat, questions="Old?")
    current = open_request(activity, secretariat, questions="New?")
    FeedbackRequest.objects.filter(pk=expired.pk).update(deadline=dt.date(2016, 1, 1))
    assert services.feedback_requests_close_expired() == 1
    assert services.feedback_requests_close_expired() == 0  # nothing left to close
    assert FeedbackRequest.objects.get(pk=current.pk).status == "open"
    (closing,) = [e for e in audit.events_of(expired) if e.kind == "status"]
    assert (closing.actor, closing.to_state) == (None, "closed")
    assert FEEDBACK_REQUEST.group("open") == {"open"}


def test_every_other_change_writes_its_event(activity, secretariat, pc_fr, expert):
    indicator = services.indicator_add(
        activity=activity, actor=pc_fr, name="Trained", baseline=0, target=10
    )
    measurement = services.measurement_add(
        indicator=indicator, actor=pc_fr, date=dt.date(2016, 5, 1), value=4
    )
    request = open_request(activity, secretariat)
    services.feedback_respond(request=request, actor=expert, **RATINGS)
    assessment = services.impact_assessment_record(
        activity=activity,
        actor=secretariat,
        date=dt.date(2016, 6, 1),
        method="Survey",
        findings="Used.",
        rating=4,
    )
    assert [(e.kind, e.actor) for e in audit.events_of(indicator)] == [("created", pc_fr)]
    assert audit.events_of(measurement).get().changes == {
        "value": [None, "4.00"],
        "date": [None, "2016-05-01"],
    }
    assert [(e.kind, e.actor) for e in audit.events_of(request)] == [
        ("created", secretariat),
        ("answered", expert),
    ]
    assert [e.kind for e in audit.events_of(assessment)] == ["created"]
