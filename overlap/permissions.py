"""Who reads a proposal's similar items and who marks them (``pompidou.rules``)."""

from typing import Any

from django.utils.translation import gettext as _

from pompidou.rules import Verdict, allow, deny, deny_state, rule
from proposals.models import Proposal
from proposals.permissions import can_view_proposal, same_delegation
from proposals.workflow import group


@rule("overlap.view")
def can_view_similar(user: Any, proposal: Proposal) -> Verdict:
    """Whoever reads the proposal reads its similar items (each item among those they
    may see: the activities' and the proposals' own visibility)."""
    return can_view_proposal(user, proposal)


@rule("overlap.mark")
def can_mark_similar(user: Any, proposal: Proposal) -> Verdict:
    """The proposing delegation marks an item "builds on" or "not related", and changes
    its mark, until the proposal is decided or withdrawn."""
    if not same_delegation(user, proposal):
        return deny(_("Only the proposing delegation marks the items similar to its proposal."))
    if proposal.status in group("final"):
        return deny_state(
            _("The proposal is %(status)s: its similar items are no longer marked.")
            % {"status": proposal.get_status_display().lower()},
            field="verdict",
        )
    return allow()
