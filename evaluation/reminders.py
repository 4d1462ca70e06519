"""Reminders sent by Celery beat: progress reports due and feedback deadlines.

Each person hears of an item at most once a week, whatever the number of runs
or restarts: what was sent is recorded in ReminderLog before the next run.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from activities.models import Activity
from pompidou import notices
from programme import roles

from . import periods
from .models import FeedbackRequest, FeedbackResponse, ProgressReport, ReminderLog

User = get_user_model()
WEEK = dt.timedelta(days=7)

# The reminder (ReminderLog.kind) -> the kind of notice (the preferences page lists them).
NOTICE_KINDS = {"progress_report": "progress_report_due", "feedback": "feedback_due"}


def url(name: str, *args: Any) -> str:
    """A page's path in the portal's language (the reader's page is chosen when opened)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def _already_sent(kind: str, item: str, recipient: str, now) -> bool:
    return ReminderLog.objects.filter(
        kind=kind, item=item, recipient=recipient, sent_at__gt=now - WEEK
    ).exists()


def _send(kind: str, item: str, recipient: str, subject: str, body: str, now) -> bool:
    """An e-mail to someone without an account (an invitee)."""
    if _already_sent(kind, item, recipient, now):
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    ReminderLog.objects.create(kind=kind, item=item, recipient=recipient)
    return True


@transaction.atomic
def _notify(kind: str, item: str, user: Any, now, **notice: Any) -> bool:
    """A notice to a person (their inbox, and an e-mail as they prefer), once a week per
    item: the log is written with the notice, so a restart does not repeat it."""
    if _already_sent(kind, item, user.email, now):
        return False
    notices.notify([user], NOTICE_KINDS[kind], **notice)
    ReminderLog.objects.create(kind=kind, item=item, recipient=user.email)
    return True


def progress_reports_due(today: dt.date) -> list[tuple[Activity, str]]:
    """Activities without a report for the half-year that ended 30 days ago or more;
    those of a finished work programme are history (``not_history``)."""
    period = periods.last_due(today)
    start, end = periods.bounds(period)
    missing = (
        Activity.objects.not_history(today)
        .filter(
            start_date__lte=end,
            end_date__gte=start,
            status__in=[Activity.Status.ONGOING, Activity.Status.COMPLETED],
        )
        .exclude(Exists(ProgressReport.objects.filter(activity=OuterRef("pk"), period=period)))
    )
    return [(a, period) for a in missing.select_related("lead_member_state")]


def send_reminders(today: dt.date | None = None) -> int:
    """Send the reminders due today; returns how many e-mails went out."""
    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    for activity, period in progress_reports_due(today):
        pcs = User.objects.filter(
            groups__name=roles.CORRESPONDENT,
            is_active=True,
            profile__member_state=activity.lead_member_state_id,
        )
        for user in pcs.exclude(email=""):
            sent += _notify(
                "progress_report",
                f"activity:{activity.pk}:{period}",
                user,
                now,
                title=gettext_noop("Progress report due: %(ref)s, %(period)s"),
                body=gettext_noop(
                    "The progress report of %(title)s for %(period)s has not been filed yet."
                ),
                params={"ref": activity.reference, "title": activity.title, "period": period},
                url=url("evaluation:activity", activity.reference),
            )
    soon = today + dt.timedelta(days=3)
    requests = FeedbackRequest.objects.filter(
        status=FeedbackRequest.Status.OPEN, deadline__gte=today, deadline__lte=soon
    )
    for request in requests.select_related("activity"):
        if request.audience == FeedbackRequest.Audience.EXPERTS:
            people = User.objects.filter(groups__name=roles.EXPERT)
        elif request.audience == FeedbackRequest.Audience.CORRESPONDENTS:
            people = User.objects.filter(groups__name=roles.CORRESPONDENT)
        else:
            people = request.recipients.all()
        answered = FeedbackResponse.objects.filter(request=request, respondent=OuterRef("pk"))
        for user in people.filter(is_active=True).exclude(email="").exclude(Exists(answered)):
            sent += _notify(
                "feedback",
                f"feedback:{request.pk}",
                user,
                now,
                title=gettext_noop("Feedback due by %(day)s: %(title)s"),
                body=gettext_noop("Your feedback on %(title)s is expected by %(day)s."),
                params={"day": request.deadline, "title": request.activity.title},
                url=url("evaluation:my_feedback"),
            )
        for invitation in request.invitations.filter(used_at__isnull=True):
            sent += _send(
                "feedback",
                f"feedback:{request.pk}",
                invitation.email,
                _("Feedback due by %(day)s: %(title)s")
                % {"day": request.deadline, "title": request.activity.title},
                _(
                    "Your feedback on %(title)s is expected by %(day)s; use the link of the "
                    "first message."
                )
                % {"title": request.activity.title, "day": request.deadline},
                now,
            )
    return sent
