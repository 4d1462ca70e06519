"""Who may do what with meetings, and why not (``pompidou.rules`` verdicts).

Meetings are public (the group's calendar); the Secretariat convenes them, builds
their agenda and records what the Permanent Correspondents decide.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pompidou.rules import Verdict, allow, deny, deny_state, rule
from programme import roles
from programme.models import Meeting


def _in(group: str, meeting: Meeting) -> bool:
    # The named state groups live with the workflow (which imports this module).
    from .workflow import MEETING_WORKFLOW

    return meeting.status in MEETING_WORKFLOW.group(group)


def _status(meeting: Meeting) -> str:
    return meeting.get_status_display().lower()


@rule("meetings.view")
def can_view_meeting(user: Any, meeting: Meeting | None = None) -> Verdict:
    """Everyone, signed in or not: the meetings are the group's public calendar."""
    return allow()


@rule("meetings.manage")
def can_manage_meeting(user: Any, meeting: Meeting | None = None) -> Verdict:
    """The Secretariat convenes, holds and closes a meeting."""
    if not roles.is_secretariat(user):
        return deny(_("The Secretariat prepares and runs the meetings."))
    return allow()


@rule("meetings.edit_agenda")
def can_edit_agenda(user: Any, meeting: Meeting | None = None) -> Verdict:
    """The Secretariat, until the meeting is held (the agenda is then what was discussed)."""
    if not roles.is_secretariat(user):
        return deny(_("The Secretariat builds the agenda."))
    if meeting is None:
        return allow()
    if not _in("agenda_open", meeting):
        return deny_state(
            _("The meeting is %(status)s: its agenda no longer changes.")
            % {"status": _status(meeting)},
            field="status",
        )
    return allow()


@rule("meetings.record_decisions")
def can_record_meeting_decisions(user: Any, meeting: Meeting | None = None) -> Verdict:
    """The Secretariat, once the meeting is convened and until it is closed."""
    if not roles.is_secretariat(user):
        return deny(_("The Secretariat records the decisions of the meeting."))
    if meeting is None:
        return allow()
    if not _in("in_session", meeting):
        return deny_state(
            _(
                "The meeting is %(status)s: decisions are recorded once it is "
                "convened and until it is closed."
            )
            % {"status": _status(meeting)},
            field="status",
        )
    return allow()


@rule("meetings.view_decision_lists")
def can_view_decision_lists(user: Any, meeting: Meeting | None = None) -> Verdict:
    """The compiled lists of decisions (and their jobs) are for the members."""
    r = roles.roles_of(user)
    if r.is_secretariat or r.is_correspondent or r.is_expert or r.is_bureau:
        return allow()
    return deny(_("Only members read the compiled lists of decisions."))


@rule("meetings.compile_decision_list")
def can_compile_decision_list(user: Any, meeting: Meeting | None = None) -> Verdict:
    """The Secretariat, once the meeting has been convened (a planned meeting has
    decided nothing yet)."""
    if not roles.is_secretariat(user):
        return deny(_("The Secretariat compiles the list of decisions."))
    if meeting is not None and meeting.status == Meeting.Status.PLANNED:
        return deny_state(_("The meeting is planned: it has decided nothing yet."), field="status")
    return allow()


@rule("meetings.register_attendance")
def can_register_attendance(user: Any, meeting: Meeting | None = None) -> Verdict:
    """A Permanent Correspondent, for their own delegation, until the meeting is held."""
    r = roles.roles_of(user)
    if not (r.is_correspondent and r.member_state_id is not None):
        return deny(_("A Permanent Correspondent registers their delegation's attendance."))
    if meeting is not None and not _in("agenda_open", meeting):
        return deny_state(
            _("The meeting is %(status)s: attendance is no longer registered.")
            % {"status": _status(meeting)},
            field="status",
        )
    return allow()


@rule("meetings.view_attendance")
def can_view_attendance(user: Any, meeting: Meeting | None = None) -> Verdict:
    """The Secretariat sees every delegation's attendance (a PC sees their own on the
    form)."""
    if not roles.is_secretariat(user):
        return deny(_("The Secretariat reads the list of attendance."))
    return allow()


@rule("meetings.view_documents")
def can_view_meeting_documents(user: Any, meeting: Meeting | None = None) -> Verdict:
    """The meeting's documents are for the members of the portal."""
    r = roles.roles_of(user)
    if r.is_secretariat or r.is_correspondent or r.is_expert or r.is_bureau:
        return allow()
    return deny(_("The meeting's documents are for the members of the portal."))


@rule("meetings.manage_documents")
def can_manage_meeting_documents(user: Any, meeting: Meeting | None = None) -> Verdict:
    """The Secretariat adds and removes the meeting's documents."""
    if not roles.is_secretariat(user):
        return deny(_("The Secretariat adds the meeting's documents."))
    return allow()
