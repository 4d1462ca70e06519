import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evaluation import periods, selectors, services
from evaluation.models import FeedbackResponse, ProgressReport, ReminderLog
from evaluation.reminders import send_reminders
from pompidou.errors import DomainError, PermissionDenied
from pompidou.models import Notice
from tests.activities.factories import ActivityFactory

from .factories import RATINGS, file_report

D = Decimal


def test_half_year_periods():
    assert periods.bounds("2016-H2") == (dt.date(2016, 7, 1), dt.date(2016, 12, 31))
    assert periods.previous("2016-H1") == "2015-H2"
    assert periods.last_due(dt.date(2016, 7, 29)) == "2015-H2"
    assert periods.last_due(dt.date(2016, 7, 30)) == "2016-H1"
    with pytest.raises(DomainError, match="half-year"):
        periods.bounds("2016-Q3")


def test_the_lead_states_pc_and_the_secretariat_file_reports(
    activity, pc_fr, secretariat, pc_de, expert, bureau_chair
):
    assert file_report(activity, pc_fr).submitted_by == pc_fr
    assert file_report(activity, secretariat, "2016-H2").submitted_by == secretariat
    for other in (pc_de, expert, bureau_chair):
        with pytest.raises(PermissionDenied):
            file_report(activity, other, "2017-H1")
    assert ProgressReport.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"percent_complete": 101}, "percent_complete"),
        ({"percent_complete": -1}, "percent_complete"),
        ({"status": "green"}, "status"),
        ({"narrative": " "}, "narrative"),
        ({"budget_spent": D("-1")}, "budget_spent"),
    ],
)
def test_bad_report_values_are_refused_with_their_field(activity, pc_fr, fields, field):
    with pytest.raises(DomainError) as excinfo:
        file_report(activity, pc_fr, **fields)
    assert field in excinfo.value.errors
    assert not ProgressReport.objects.exists()


def test_one_report_per_activity_and_period(activity, pc_fr):
    file_report(activity, pc_fr)
    with pytest.raises(DomainError, match="exists already"):
        file_report(activity, pc_fr)
    with pytest.raises(DomainError, match="does not run in 2019-H1"):
        file_report(activity, pc_fr, "2019-H1")
    with pytest.raises(DomainError, match="half-year"):
        file_report(activity, pc_fr, "2016")


def test_a_report_is_editable_until_the_secretariat_accepts_it(activity, pc_fr, secretariat):
    report = file_report(activity, pc_fr)
    services.progress_report_update(report=report, actor=pc_fr, percent_complete=55)
    services.progress_report_accept(report=report, actor=secretariat)
    with pytest.raises(DomainError, match="accepted"):
        services.progress_report_update(report=report, actor=pc_fr, percent_complete=60)
    report.refresh_from_db()
    assert report.percent_complete == 55
    with pytest.raises(PermissionDenied):
        services.progress_report_accept(report=report, actor=pc_fr)


def test_the_supervising_bureau_member_reviews(activity, pc_fr, bureau_chair, secretariat):
    report = file_report(activity, pc_fr)
    services.progress_report_review(report=report, actor=bureau_chair, comment="Fine; watch costs.")
    with pytest.raises(PermissionDenied):
        services.progress_report_review(report=report, actor=secretariat, comment="x")
    report.refresh_from_db()
    assert report.reviewed_by == bureau_chair


def test_indicators_and_measurements(activity, pc_fr, pc_de):
    indicator = services.indicator_add(
        activity=activity, actor=pc_fr, name="Trained", baseline=0, target=100
    )
    services.measurement_add(indicator=indicator, actor=pc_fr, date=dt.date(2016, 6, 1), value=120)
    with pytest.raises(DomainError, match="future"):
        services.measurement_add(
            indicator=indicator,
            actor=pc_fr,
            date=timezone.localdate() + dt.timedelta(days=2),
            value=1,
        )
    with pytest.raises(DomainError) as excinfo:
        services.indicator_add(activity=activity, actor=pc_fr, name="", baseline="x", target=1)
    assert {"name", "baseline"} <= set(excinfo.value.errors)
    with pytest.raises(PermissionDenied):
        services.indicator_add(activity=activity, actor=pc_de, name="X", baseline=0, target=1)
    assert selectors.indicator_state(indicator) is True


@pytest.fixture
def request_open(activity, secretariat, expert):
    return services.feedback_request_open(
        activity=activity,
        actor=secretariat,
        audience="experts",
        questions="Useful?",
        deadline=timezone.localdate() + dt.timedelta(days=10),
        invitees=[("Ana Costa", "ana@example.org")],
    )


def test_an_expert_answers_once(request_open, expert, pc_fr):
    services.feedback_respond(request=request_open, actor=expert, **RATINGS)
    with pytest.raises(DomainError, match="already answered"):
        services.feedback_respond(request=request_open, actor=expert, **RATINGS)
    with pytest.raises(PermissionDenied):
        services.feedback_respond(request=request_open, actor=pc_fr, **RATINGS)
    assert FeedbackResponse.objects.count() == 1


@pytest.mark.parametrize("bad", [{"relevance": 6}, {"quality": 0}, {"impact": "4"}])
def test_ratings_are_whole_numbers_from_1_to_5(request_open, expert, bad):
    with pytest.raises(DomainError, match="Rate from 1 to 5"):
        services.feedback_respond(request=request_open, actor=expert, **{**RATINGS, **bad})
    assert not FeedbackResponse.objects.exists()


def test_an_answer_after_the_deadline_is_refused(request_open, expert):
    request_open.deadline = timezone.localdate() - dt.timedelta(days=1)
    request_open.save()
    with pytest.raises(DomainError, match="no longer taken"):
        services.feedback_respond(request=request_open, actor=expert, **RATINGS)


def test_the_signed_link_works_once_and_refuses_tampering(
    request_open, django_capture_on_commit_callbacks
):
    invitation = request_open.invitations.get()
    token = services.feedback_link(invitation).rstrip("/").rsplit("/", 1)[1]
    services.feedback_respond(request=None, token=token, comments="Good.", **RATINGS)
    assert FeedbackResponse.objects.get().invitation == invitation
    with pytest.raises(DomainError, match="already been used"):
        services.feedback_respond(request=None, token=token, **RATINGS)
    with pytest.raises(DomainError, match="not valid"):
        services.feedback_respond(request=None, token=token[:-2] + "xx", **RATINGS)
    assert FeedbackResponse.objects.count() == 1


def test_the_link_expires_at_the_deadline(request_open):
    invitation = request_open.invitations.get()
    token = services.feedback_link(invitation).rstrip("/").rsplit("/", 1)[1]
    request_open.deadline = dt.date(2016, 3, 5)
    request_open.save()
    with pytest.raises(DomainError, match="closed on 5 March 2016;"):
        services.invitation_from_token(token)


def test_invitees_get_their_link_by_e_mail(
    activity, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_request_open(
            activity=activity,
            actor=secretariat,
            audience="named",
            questions="Q?",
            deadline=timezone.localdate(),
            invitees=[("Ana", "ana@example.org")],
        )
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "/evaluation/feedback/answer/" in mail.outbox[0].body


def test_a_feedback_request_needs_questions_a_future_deadline_and_addressees(activity, secretariat):
    with pytest.raises(DomainError) as excinfo:
        services.feedback_request_open(
            activity=activity,
            actor=secretariat,
            audience="named",
            questions="",
            deadline=dt.date(2016, 1, 1),
        )
    assert {"questions", "deadline", "recipients"} <= set(excinfo.value.errors)


def test_impact_assessment_rules(activity, secretariat, pc_fr):
    services.impact_assessment_record(
        activity=activity,
        actor=secretariat,
        date=dt.date(2017, 12, 1),
        method="Survey",
        findings="Used in plans.",
        rating=4,
    )
    with pytest.raises(DomainError) as excinfo:
        services.impact_assessment_record(
            activity=activity,
            actor=secretariat,
            date=dt.date(2017, 12, 1),
            method="",
            findings="x",
            rating=6,
            evidence=SimpleUploadedFile("e.pdf", b"not really a pdf"),
        )
    assert {"method", "rating", "evidence"} <= set(excinfo.value.errors)
    with pytest.raises(PermissionDenied):
        services.impact_assessment_record(
            activity=activity,
            actor=pc_fr,
            date=dt.date(2017, 1, 1),
            method="m",
            findings="f",
            rating=3,
        )


def test_overview_figures_come_from_the_database(
    activity, pc_fr, programme, secretariat, expert, request_open
):
    # Seen while the programme still runs: its late reports are overdue. Once its
    # period has ended they are history (Activity.objects.not_history).
    type(programme).objects.filter(pk=programme.pk).update(last_year=dt.date.today().year)
    file_report(activity, pc_fr, "2016-H1", status="at_risk")
    other = ActivityFactory(
        work_programme=programme,
        start_date=dt.date(2016, 3, 1),
        end_date=dt.date(2016, 9, 1),
        human_rights_considerations="Yes",
        gender_considerations="",
    )
    other.thematic_priorities.add(programme.priorities.get(number="3.2"))
    services.feedback_respond(request=request_open, actor=expert, **RATINGS)
    o = selectors.overview(2016, selectors.Scope())
    assert o.total == 2
    assert o.by_status == {"ongoing": 1, "planned": 1}
    assert o.by_rag == {"at_risk": 1, "none": 1}
    assert o.transversal == {"stated": 0, "human_rights": 1, "gender": 0}
    assert o.feedback["responses"] == 1 and o.feedback["relevance"] == 4
    by_priority = {row["number"]: row["planned"] for row in o.budget_by_priority}
    assert by_priority == {"3.1": D("50000"), "3.2": D("10000")}
    overdue = {(row["activity_id"], row["period"]) for row in o.overdue}
    assert overdue == {(activity.pk, "2016-H2"), (other.pk, "2016-H1"), (other.pk, "2016-H2")}
    scoped = selectors.overview(
        2016, selectors.Scope("priority", priority=programme.priorities.get(number="3.2"))
    )
    assert scoped.total == 1


def test_overview_answers_in_a_constant_number_of_queries(programme, django_assert_num_queries):
    def build(n):
        for _ in range(n):
            a = ActivityFactory(
                work_programme=programme,
                start_date=dt.date(2016, 1, 1),
                end_date=dt.date(2016, 12, 31),
            )
            a.thematic_priorities.add(programme.priorities.first())

    counts = []
    for size in (2, 20):
        build(size)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            o = selectors.overview(2016, selectors.Scope())
            list(o.overdue)
        counts.append(len(ctx))
    # by format and status (the count by status, the budget by format and of the
    # time-limited activities, the transversal aims), the formats' names, RAG, by thematic
    # priority (the rows the coverage reads too) and the priorities' names, feedback,
    # indicators, the overdue reports (one query for both half-years)
    assert counts[0] == counts[1] == 8


def test_reminders_go_once_a_week_per_person_and_item(
    activity, pc_fr, secretariat, django_capture_on_commit_callbacks
):
    pc_fr.email = "pc@fr.example"
    pc_fr.save()
    today = dt.date(2016, 8, 15)  # 2016-H1 ended more than 30 days ago, no report
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today) == 1
    assert send_reminders(today) == 0  # a restart does not resend
    assert ReminderLog.objects.count() == 1
    ReminderLog.objects.update(sent_at=timezone.now() - dt.timedelta(days=8))
    assert send_reminders(today) == 1
    file_report(activity, pc_fr)
    ReminderLog.objects.update(sent_at=timezone.now() - dt.timedelta(days=8))
    assert send_reminders(today) == 0  # filed: nothing due
    assert mail.outbox[0].to == ["pc@fr.example"]
    # Each reminder is also a notice in the inbox, linking to the activity's evaluation.
    notices = Notice.objects.filter(user=pc_fr, kind="progress_report_due")
    assert notices.count() == 2
    assert notices.first().url == f"/en/evaluation/activities/{activity.reference}/"


def test_feedback_reminder_three_days_before_the_deadline(
    activity, secretariat, expert, django_capture_on_commit_callbacks
):
    expert.email = "expert@example.org"
    expert.save()
    services.feedback_request_open(
        activity=activity,
        actor=secretariat,
        audience="experts",
        questions="Q?",
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_reminders(timezone.localdate())
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert "expert@example.org" in recipients
    assert sent == len(recipients)
    assert send_reminders(timezone.localdate()) == 0


def test_requests_past_their_deadline_are_closed_by_the_daily_job(request_open, expert):
    from evaluation.tasks import send_evaluation_reminders

    request_open.deadline = timezone.localdate() - dt.timedelta(days=1)
    request_open.save()
    send_evaluation_reminders.delay()
    request_open.refresh_from_db()
    assert request_open.status == "closed"
    with pytest.raises(DomainError, match="closed"):
        services.feedback_respond(request=request_open, actor=expert, **RATINGS)


# --- feedback requests: e-mails, duplicates, recipients' states (issue 10, point 8) ----------


def _named(activity, secretariat, expert, **extra):
    return services.feedback_request_open(
        activity=activity,
        actor=secretariat,
        audience="named",
        questions=extra.pop("questions", "Was the seminar useful?"),
        deadline=timezone.localdate() + dt.timedelta(days=10),
        recipients=[expert],
        invitees=extra.pop("invitees", [("Ana Costa", "ana@example.org")]),
    )


def test_a_named_expert_and_an_invitee_each_get_an_e_mail_with_their_link(
    activity, secretariat, expert, django_capture_on_commit_callbacks
):
    expert.email = "expert@example.org"
    expert.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _named(activity, secretariat, expert)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_address) == {"expert@example.org", "ana@example.org"}
    assert "/en/evaluation/feedback/" in by_address["expert@example.org"]
    deadline = timezone.localdate() + dt.timedelta(days=10)
    assert f"by {deadline.day} {deadline:%B %Y}:" in by_address["expert@example.org"]
    assert "/evaluation/feedback/answer/" in by_address["ana@example.org"]
    assert activity.reference in by_address["expert@example.org"]
    # The named expert's is a notice in their inbox too; the invitee has no inbox.
    (notice,) = Notice.objects.filter(kind="feedback_requested")
    assert (notice.user, notice.url) == (expert, "/en/evaluation/feedback/")


def test_an_identical_open_request_is_refused_and_a_different_one_accepted(
    activity, secretariat, expert
):
    first = _named(activity, secretariat, expert)
    with pytest.raises(DomainError, match="already open") as refused:
        _named(activity, secretariat, expert)
    assert list(refused.value.errors) == ["recipients"]
    _named(activity, secretariat, expert, invitees=[])  # other people: a new request
    services.feedback_request_close(request=first, actor=secretariat)
    _named(activity, secretariat, expert)  # the first one is closed: asking again is fine


def test_the_evaluation_tab_shows_each_recipients_state(activity, secretariat, expert):
    fr = _named(activity, secretariat, expert)
    states = {
        r["name"]: r["state"]
        for r in selectors.activity_evaluation(activity)["feedback_requests"][0].recipient_states
    }
    assert set(states.values()) == {"invited"}
    services.feedback_respond(request=fr, actor=expert, **RATINGS)
    rows = selectors.activity_evaluation(activity)["feedback_requests"][0].recipient_states
    assert sorted(r["state"] for r in rows) == ["answered", "invited"]
    later = timezone.localdate() + dt.timedelta(days=30)
    from evaluation.models import FeedbackRequest

    fr = FeedbackRequest.objects.prefetch_related("recipients", "invitations", "responses").get()
    assert sorted(r["state"] for r in selectors.recipient_states(fr, later)) == [
        "answered",
        "expired",
    ]


# --- history is not overdue (issue 10, point 11) ----------------------------------------------


def test_activities_of_a_programme_whose_period_ended_are_never_overdue(activity, programme):
    assert programme.last_year < timezone.localdate().year
    assert list(selectors.overdue_reports(type(activity).objects.all(), 2016)) == []
    programme.last_year = timezone.localdate().year
    programme.save()
    assert {o["period"] for o in selectors.overdue_reports(type(activity).objects.all(), 2016)} == {
        "2016-H1",
        "2016-H2",
    }
    programme.status = "closed"
    programme.save()
    assert list(selectors.overdue_reports(type(activity).objects.all(), 2016)) == []


def test_the_indicator_counts_follow_each_direction_and_leave_out_the_unmeasured():
    from decimal import Decimal

    rows = [
        ("higher", Decimal("10"), Decimal("10")),  # reached
        ("higher", Decimal("10"), Decimal("9.99")),
        ("lower", Decimal("5"), Decimal("5")),  # reached
        ("lower", Decimal("5"), Decimal("6")),
        ("higher", Decimal("1"), None),  # not measured
    ]
    assert selectors.indicator_counts(rows) == {"total": 5, "measured": 4, "on_target": 2}
