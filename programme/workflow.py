"""The work programme's cycle, as data: draft → consultation → adopted → in force → closed.

The Secretariat drafts the next programme (a copy of the one in force, or from
scratch) with the Bureau; in consultation the Permanent Correspondents and the
Bureau comment on it; the Ministerial Conference adopts it; putting it in force
closes the one in force (one programme in force at a time, a database constraint)
and hands over its running activities and open proposals; at the end of its period
it is closed. A programme in consultation can go back to draft for rework.
"""

from django.utils.translation import gettext_lazy as _

from pompidou.workflow import Workflow, move

from . import permissions as p
from .models import WorkProgramme

W = WorkProgramme.Status

PROGRAMME_WORKFLOW = Workflow(
    model=WorkProgramme,
    noun=_("work programme"),
    moves=(
        move("consult", [W.DRAFT], W.CONSULTATION, _("Open consultation"), p.can_move_programme),
        move("rework", [W.CONSULTATION], W.DRAFT, _("Back to draft"), p.can_move_programme),
        move("adopt", [W.CONSULTATION], W.ADOPTED, _("Record adoption"), p.can_move_programme),
        move("enforce", [W.ADOPTED], W.IN_FORCE, _("Put in force"), p.can_move_programme),
        move("close", [W.IN_FORCE], W.CLOSED, _("Close"), p.can_move_programme),
    ),
    groups={
        # Texts, priorities, formats and criteria may still change.
        "editable": {W.DRAFT, W.CONSULTATION},
        # Correspondents and the Bureau read it and comment on it.
        "open_for_comment": {W.CONSULTATION},
        # Seen only by the Secretariat.
        "working_copy": {W.DRAFT},
        # Adopted texts: frozen.
        "adopted": {W.ADOPTED, W.IN_FORCE, W.CLOSED},
    },
)


def next_steps(user, programme) -> set[str]:
    """The steps of the cycle with their own pages (adoption, putting in force) that
    ``user`` may take on ``programme`` now: the buttons of its page and authoring page."""
    return {
        m.name
        for m in PROGRAMME_WORKFLOW.available(user, programme)
        if m.name in ("adopt", "enforce")
    }
