"""Who files, reviews and reads what in the evaluation, and why not.

Each predicate returns a :class:`pompidou.rules.Verdict`: truthy, or falsy with the
sentence that tells the user why. A predicate that takes the record also covers its
state (an accepted report, a closed request): such a refusal is a ``deny_state``, a
400 on the API and a form error on the pages, where a refusal by role is a 403.
Services ``require()`` these verdicts; pages, the API and templates (``{% can %}``)
ask the same predicates, so each refusal is worded here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from activities.permissions import has_portal_role
from pompidou.rules import Verdict, allow, check, deny, deny_state, rule
from programme import roles

from .models import FeedbackRequest, ProgressReport
from .periods import day


def _leads(user: Any, activity: Any) -> bool:
    r = roles.roles_of(user)
    return (
        r.is_correspondent
        and r.member_state_id is not None
        and r.member_state_id == activity.lead_member_state_id
    )


@rule("evaluation.view")
def can_view_activity_evaluation(user: Any, activity: Any = None) -> Verdict:
    return check(
        has_portal_role(user),
        _(
            "The evaluation is open to the Secretariat, Permanent Correspondents, "
            "Bureau members and experts."
        ),
    )


# --- progress reports -------------------------------------------------------------


@rule("evaluation.file_report")
def can_file_progress_report(user: Any, activity: Any) -> Verdict:
    """The lead member state's PCs and the Secretariat."""
    return check(
        roles.is_secretariat(user) or _leads(user, activity),
        _(
            "Progress reports are filed by the lead member state's Permanent "
            "Correspondents and the Secretariat."
        ),
    )


@rule("evaluation.edit_report")
def can_edit_progress_report(user: Any, report: ProgressReport) -> Verdict:
    """Editable by those who file it, until the Secretariat accepts it."""
    if not (roles.is_secretariat(user) or _leads(user, report.activity)):
        return deny(_("Only those who file the activity's reports change them."))
    if report.is_accepted:
        return deny_state(_("The Secretariat has accepted this report; it can no longer change."))
    return allow()


@rule("evaluation.review_report")
def can_review_progress_report(user: Any, report: ProgressReport) -> Verdict:
    """The supervising Bureau member reviews the activity's reports, until accepted."""
    supervises = (
        report.activity.supervisor_id is not None
        and report.activity.supervisor_id == getattr(user, "pk", None)
        and roles.is_bureau_member(user)
    )
    if not supervises:
        return deny(_("The activity's supervising Bureau member reviews its reports."))
    if report.is_accepted:
        return deny_state(_("The Secretariat has accepted this report; the review is closed."))
    return allow()


@rule("evaluation.accept_report")
def can_accept_progress_report(user: Any, report: ProgressReport | None = None) -> Verdict:
    """The Secretariat accepts a report, once. Without a report: whether the user
    accepts reports at all (the lists awaiting acceptance)."""
    if not roles.is_secretariat(user):
        return deny(_("The Secretariat accepts progress reports."))
    if report is not None and report.is_accepted:
        return deny_state(_("This report is already accepted."))
    return allow()


@rule("evaluation.compile_report")
def can_compile_evaluation_reports(user: Any) -> Verdict:
    return check(roles.is_secretariat(user), _("The Secretariat compiles evaluation reports."))


@rule("evaluation.review_reports")
def can_review_progress_reports(user: Any) -> Verdict:
    """Bureau members review the reports of the activities they supervise."""
    return check(
        roles.roles_of(user).is_bureau,
        _("Bureau members review the reports of the activities they supervise."),
    )


@rule("evaluation.follow_delegation_reports")
def can_follow_delegation_reports(user: Any) -> Verdict:
    """A PC follows the reports due for the activities their delegation leads."""
    r = roles.roles_of(user)
    return check(
        r.is_correspondent and r.member_state_id is not None,
        _("A Permanent Correspondent follows the reports of their delegation's activities."),
    )


# --- indicators and impact ------------------------------------------------------------


@rule("evaluation.manage_indicators")
def can_manage_indicators(user: Any, activity: Any) -> Verdict:
    return check(
        roles.is_secretariat(user) or _leads(user, activity),
        _(
            "Indicators and their measurements are kept by the Secretariat and the lead member state."
        ),
    )


@rule("evaluation.record_impact")
def can_record_impact(user: Any, activity: Any = None) -> Verdict:
    return check(roles.is_secretariat(user), _("The Secretariat records impact assessments."))


# --- feedback ---------------------------------------------------------------------------


@rule("evaluation.open_feedback")
def can_open_feedback_requests(user: Any, activity: Any = None) -> Verdict:
    return check(roles.is_secretariat(user), _("The Secretariat opens feedback requests."))


@rule("evaluation.close_feedback")
def can_close_feedback_request(user: Any, request: FeedbackRequest) -> Verdict:
    if not roles.is_secretariat(user):
        return deny(_("The Secretariat closes feedback requests."))
    if request.status != FeedbackRequest.Status.OPEN:
        return deny_state(_("This feedback request is already closed."))
    return allow()


def is_addressee(user: Any, request: FeedbackRequest) -> bool:
    """Experts and PCs answer feedback requests addressed to them."""
    r = roles.roles_of(user)
    if request.audience == FeedbackRequest.Audience.EXPERTS:
        return r.is_expert
    if request.audience == FeedbackRequest.Audience.CORRESPONDENTS:
        return r.is_correspondent
    uid = getattr(user, "pk", None)
    return uid is not None and request.recipients.filter(pk=uid).exists()


def request_taking_answers(request: FeedbackRequest, today: dt.date | None = None) -> Verdict:
    """Whether a request still takes answers (whoever answers, with an account or a link)."""
    if request.status != FeedbackRequest.Status.OPEN:
        return deny_state(_("This request is closed; answers are no longer taken."))
    if request.deadline < (today or timezone.localdate()):
        return deny_state(
            _("This request closed on %(day)s; answers are no longer taken.")
            % {"day": day(request.deadline)}
        )
    return allow()


@rule("evaluation.answer_feedback")
def can_answer_feedback_request(user: Any, request: FeedbackRequest) -> Verdict:
    if user is None or not is_addressee(user, request):
        return deny(_("This feedback request is not addressed to you."))
    return request_taking_answers(request)


@rule("evaluation.view_feedback_results")
def can_view_feedback_results(user: Any) -> Verdict:
    r = roles.roles_of(user)
    return check(
        r.is_secretariat or r.is_bureau,
        _("The Secretariat and the Bureau read the results of feedback requests."),
    )


@rule("evaluation.view_overview")
def can_view_overview(user: Any) -> Verdict:
    """The evaluation overview is the Bureau's and the Secretariat's."""
    r = roles.roles_of(user)
    return check(
        r.is_secretariat or r.is_bureau,
        _("The evaluation overview is open to the Secretariat and the Bureau."),
    )
