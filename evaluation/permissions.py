"""Who files, reviews and reads what in the evaluation. Pages, API and templates ask here."""

from activities.permissions import has_portal_role
from programme import roles

from .models import FeedbackRequest, ProgressReport


def _leads(user, activity) -> bool:
    r = roles.roles_of(user)
    return (
        r.is_correspondent
        and r.member_state_id is not None
        and r.member_state_id == activity.lead_member_state_id
    )


def can_view_activity_evaluation(user, activity) -> bool:
    return has_portal_role(user)


def can_file_progress_report(user, activity) -> bool:
    """The lead member state's PCs and the Secretariat."""
    return roles.is_secretariat(user) or _leads(user, activity)


def can_edit_progress_report(user, report: ProgressReport) -> bool:
    """Editable by those who file it, until the Secretariat accepts it."""
    return not report.is_accepted and can_file_progress_report(user, report.activity)


def can_review_progress_report(user, report: ProgressReport) -> bool:
    """The supervising Bureau member reviews the activity's reports."""
    return (
        report.activity.supervisor_id is not None
        and report.activity.supervisor_id == getattr(user, "pk", None)
        and roles.is_bureau_member(user)
    )


def can_accept_progress_report(user) -> bool:
    return roles.is_secretariat(user)


def can_review_progress_reports(user) -> bool:
    """Bureau members review the reports of the activities they supervise."""
    return roles.roles_of(user).is_bureau


def can_follow_delegation_reports(user) -> bool:
    """A PC follows the reports due for the activities their delegation leads."""
    r = roles.roles_of(user)
    return r.is_correspondent and r.member_state_id is not None


def can_manage_indicators(user, activity) -> bool:
    return roles.is_secretariat(user) or _leads(user, activity)


def can_open_feedback_requests(user) -> bool:
    return roles.is_secretariat(user)


def is_addressee(user, request: FeedbackRequest) -> bool:
    """Experts and PCs answer feedback requests addressed to them."""
    r = roles.roles_of(user)
    if request.audience == FeedbackRequest.Audience.EXPERTS:
        return r.is_expert
    if request.audience == FeedbackRequest.Audience.CORRESPONDENTS:
        return r.is_correspondent
    return request.recipients.filter(pk=getattr(user, "pk", None)).exists()


def can_record_impact(user) -> bool:
    return roles.is_secretariat(user)


def can_view_overview(user) -> bool:
    """The evaluation overview is the Bureau's and the Secretariat's."""
    r = roles.roles_of(user)
    return r.is_secretariat or r.is_bureau


def can_view_feedback_results(user) -> bool:
    r = roles.roles_of(user)
    return r.is_secretariat or r.is_bureau
