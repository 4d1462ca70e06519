"""Every state rule of activities and annual programmes, as data (pompidou.workflow).

An activity is planned, runs (ongoing), may be suspended and resumed, and ends
completed or cancelled; completed and cancelled are final. An annual programme is a
draft until the Permanent Correspondents adopt it in plenary; adopted is final (its
entries are frozen). Who may make each move is the predicate next to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from pompidou.workflow import Workflow, move

from . import permissions
from .models import Activity, AnnualProgramme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = Activity.Status

ACTIVITY_WORKFLOW = Workflow(
    model=Activity,
    moves=(
        # Starting also needs the transversal considerations stated (priority 3.1):
        # a rule on the activity's text, checked by ``activity_change_status``.
        move("start", [S.PLANNED], S.ONGOING, _("Start"), permissions.can_change_activity_status),
        move(
            "resume", [S.SUSPENDED], S.ONGOING, _("Resume"), permissions.can_change_activity_status
        ),
        move(
            "complete",
            [S.ONGOING],
            S.COMPLETED,
            _("Complete"),
            permissions.can_change_activity_status,
        ),
        move(
            "suspend",
            [S.PLANNED, S.ONGOING],
            S.SUSPENDED,
            _("Suspend"),
            permissions.can_change_activity_status,
        ),
        move(
            "cancel",
            [S.PLANNED, S.ONGOING, S.SUSPENDED],
            S.CANCELLED,
            _("Cancel"),
            permissions.can_change_activity_status,
        ),
    ),
    groups={
        # Still to be done: what reminders and overdue milestones look at.
        "active": {S.PLANNED, S.ONGOING},
        # Not finished: what a new work programme takes over at the hand-over.
        "running": {S.PLANNED, S.ONGOING, S.SUSPENDED},
        "final": {S.COMPLETED, S.CANCELLED},
    },
)

A = AnnualProgramme.Status

ANNUAL_PROGRAMME_WORKFLOW = Workflow(
    model=AnnualProgramme,
    moves=(
        move(
            "adopt",
            [A.DRAFT],
            A.ADOPTED,
            _("Record the adoption"),
            permissions.can_change_annual_programme,
        ),
    ),
    groups={"open": {A.DRAFT}},
)


def status_choices(user, activity: Activity) -> list[tuple[str, StrOrPromise]]:
    """The statuses ``user`` may move ``activity`` to now, with their labels, in the
    order of the model's choices (the status form's options)."""
    targets = {m.target for m in ACTIVITY_WORKFLOW.available(user, activity)}
    return [(value, label) for value, label in S.choices if value in targets]
