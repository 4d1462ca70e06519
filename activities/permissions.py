"""Who may see and change activities and annual programmes, and why not.

Each ``can_<verb>`` covers the role and, where it matters, the record's state, and
returns a :class:`pompidou.rules.Verdict` carrying the sentence a refused user reads.
Services ``require`` them, the API's permission classes and the pages ask them, and
templates ask them by name through ``{% can "activities.<verb>" obj as verdict %}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from pompidou.rules import ALLOW, Verdict, check, deny_state, rule
from programme import roles

if TYPE_CHECKING:
    from .models import Activity, AnnualProgramme

SECRETARIAT_EDITS_ACTIVITIES = _("Only the Secretariat records and changes activities.")
SECRETARIAT_RUNS_ANNUAL_PROGRAMMES = _(
    "Only the Secretariat prepares and changes annual programmes."
)


def has_portal_role(user: Any) -> bool:
    r = roles.roles_of(user)
    return r.is_secretariat or r.is_correspondent or r.is_expert or r.is_bureau


# --- reading --------------------------------------------------------------------


@rule("activities.view_unadopted")
def can_view_unadopted_activities(user: Any, obj: Any = None) -> Verdict:
    """Planned activities of a draft annual programme are circulated to the members
    (PCs, Bureau, experts) before adoption; the public sees adopted activities only."""
    return check(has_portal_role(user), _("Only members see activities not yet adopted."))


@rule("activities.view_draft_annual_programmes")
def can_view_draft_annual_programmes(user: Any, obj: Any = None) -> Verdict:
    return check(has_portal_role(user), _("Only members see draft annual programmes."))


@rule("activities.view_history")
def can_view_history(user: Any, obj: Any = None) -> Verdict:
    """The change log names staff and shows internal steps: members read it, the
    public does not (an activity's public page shows the activity, not its edits)."""
    return check(has_portal_role(user), _("Only members read the history."))


# --- activities -----------------------------------------------------------------


@rule("activities.edit")
def can_edit_activity(user: Any, activity: Activity | None = None) -> Verdict:
    """Record a new activity (no ``activity``) or change one's fields and milestones."""
    return check(roles.is_secretariat(user), SECRETARIAT_EDITS_ACTIVITIES)


@rule("activities.change_status")
def can_change_activity_status(user: Any, activity: Activity | None = None) -> Verdict:
    """The Secretariat moves an activity along its workflow, until a final status."""
    verdict = check(
        roles.is_secretariat(user), _("Only the Secretariat changes the status of activities.")
    )
    if verdict and activity is not None:
        from .workflow import ACTIVITY_WORKFLOW

        if ACTIVITY_WORKFLOW.is_final(activity.status):
            return deny_state(
                _("A %(status)s activity keeps its status: it is final.")
                % {"status": activity.get_status_display().lower()}
            )
    return verdict


# --- annual programmes -----------------------------------------------------------


@rule("activities.manage_annual_programmes")
def can_manage_annual_programmes(user: Any, annual_programme: Any = None) -> Verdict:
    """Start an annual programme (a new year, or the next one from this one)."""
    return check(roles.is_secretariat(user), SECRETARIAT_RUNS_ANNUAL_PROGRAMMES)


def annual_programme_is_open(annual_programme: AnnualProgramme) -> Verdict:
    """Once the Permanent Correspondents have adopted it, an annual programme is frozen."""
    if annual_programme.is_draft:
        return ALLOW
    return deny_state(
        _("The annual programme %(year)s is adopted; its entries can no longer change.")
        % {"year": annual_programme.year}
    )


@rule("activities.change_annual_programme")
def can_change_annual_programme(user: Any, annual_programme: AnnualProgramme) -> Verdict:
    """Change a draft's entries and ceiling, or record its adoption."""
    return can_manage_annual_programmes(user) & annual_programme_is_open(annual_programme)


# --- compiled documents (the compile views and jobs ask these) ------------------------


@rule("activities.compile_annual_programme")
def can_compile_annual_programme(user: Any, annual_programme: Any = None) -> Verdict:
    """The Secretariat compiles an annual programme as PDF and DOCX, a draft (to
    circulate before the PC meeting) as well as an adopted one (the final document)."""
    return check(roles.is_secretariat(user), _("The Secretariat compiles the annual programme."))


@rule("activities.view_annual_programme_documents")
def can_view_annual_programme_documents(user: Any, annual_programme: Any = None) -> Verdict:
    """The compiled documents (and their compile jobs) are for the members, whatever
    the programme's status: the public reads the adopted programme on the pages and
    in the API, not its compiled files."""
    return check(has_portal_role(user), _("Only members read the compiled documents."))
