"""Retention: the beat task deletes unused feedback links past their retention and old
login records, and nothing else; the schedule runs it."""

import datetime as dt

from django.utils import timezone

from accounts import tasks
from evaluation import services as evaluation_services
from evaluation.models import FeedbackInvitation
from pompidou import audit
from pompidou.celery import app
from pompidou.models import AuditEvent
from tests.activities.factories import ActivityFactory


def _request(programme, secretariat, deadline, invitees):
    return evaluation_services.feedback_request_open(
        activity=ActivityFactory(work_programme=programme),
        actor=secretariat,
        audience="named",
        questions="Was it useful?",
        deadline=deadline,
        invitees=invitees,
    )


def test_the_task_deletes_expired_links_and_old_login_records(
    programme, secretariat, pc_fr, settings
):
    settings.FEEDBACK_LINK_RETENTION_DAYS = 30
    settings.LOGIN_RECORD_RETENTION_DAYS = 90
    today = timezone.localdate()
    old = _request(
        programme, secretariat, today + dt.timedelta(days=1),
        [("Old Unused", "old@example.org"), ("Old Answered", "answered@example.org")],
    )  # fmt: skip
    answered = old.invitations.get(email="answered@example.org")
    token = evaluation_services.feedback_link(answered).rstrip("/").rsplit("/", 1)[-1]
    evaluation_services.feedback_respond(
        request=old, token=token, relevance=4, quality=4, usefulness=4, impact=4
    )
    type(old).objects.filter(pk=old.pk).update(deadline=today - dt.timedelta(days=31))
    _request(
        programme, secretariat, today - dt.timedelta(days=29) + dt.timedelta(days=60),
        [("Recent", "recent@example.org")],
    )  # fmt: skip
    now = timezone.now()
    old_login = audit.record(pc_fr, audit.Kind.LOGIN, pc_fr, label="pc_fr", ip="192.0.2.1")
    old_failure = audit.record(None, audit.Kind.LOGIN_FAILED, label="pc_fr", ip="192.0.2.1")
    recent_login = audit.record(pc_fr, audit.Kind.LOGIN, pc_fr, label="pc_fr")
    old_change = audit.record(pc_fr, audit.Kind.UPDATED, secretariat, label="pc_fr")
    AuditEvent.objects.filter(pk__in=[old_login.pk, old_failure.pk, old_change.pk]).update(
        at=now - dt.timedelta(days=91)
    )

    result = tasks.apply_retention.delay().get()  # eager: the real task function runs

    assert result == {"feedback_links": 1, "login_records": 2}
    emails = set(FeedbackInvitation.objects.values_list("email", flat=True))
    assert emails == {"answered@example.org", "recent@example.org"}
    kept = set(AuditEvent.objects.values_list("pk", flat=True))
    assert {old_login.pk, old_failure.pk} & kept == set()
    assert {recent_login.pk, old_change.pk} <= kept
    assert tasks.apply_retention.delay().get() == {"feedback_links": 0, "login_records": 0}


def test_beat_runs_the_retention_every_night():
    entry = app.conf.beat_schedule["personal-data-retention"]
    assert entry["task"] == tasks.apply_retention.name == "accounts.tasks.apply_retention"
