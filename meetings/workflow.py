"""The meeting's workflow, as data: planned → convened → held → closed.

A planned meeting is a draft: its agenda is being built (deferred proposals land
on it). Convening sends it to the delegations; decisions are recorded while it is
convened or held; closing freezes its list of decisions.
"""

from django.utils.translation import gettext_lazy as _

from pompidou.workflow import Workflow, move
from programme.models import Meeting

from . import permissions as p

M = Meeting.Status

MEETING_WORKFLOW = Workflow(
    model=Meeting,
    noun=_("meeting"),
    moves=(
        move("convene", [M.PLANNED], M.CONVENED, _("Convene"), p.can_manage_meeting),
        move("hold", [M.CONVENED], M.HELD, _("Mark as held"), p.can_manage_meeting),
        move("close", [M.HELD], M.CLOSED, _("Close"), p.can_manage_meeting),
        move("reopen", [M.CLOSED], M.HELD, _("Reopen"), p.can_manage_meeting),
    ),
    groups={
        # The agenda changes.
        "agenda_open": {M.PLANNED, M.CONVENED},
        # Decisions are recorded.
        "in_session": {M.CONVENED, M.HELD},
    },
)
