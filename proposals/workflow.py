"""The proposal's workflow, as data (DESIGN.md, "Proposal"): draft → submitted →
under assessment → adopted / rejected / deferred; withdrawn from any open state;
urgent ones submitted → Bureau vote → adopted / rejected (or deferred to the next PC
plenary when the voting deadline passes without a majority).

Every status change goes through ``PROPOSAL_WORKFLOW.move`` (a conditional update
and one ``AuditEvent``); pages and API ask ``available(user, proposal)`` for the
buttons, and the named groups replace state sets written out by hand.
"""

from django.utils.translation import gettext_lazy as _

from pompidou.rules import Verdict, deny
from pompidou.workflow import Workflow, move

from . import permissions as p
from .models import Assessment, Proposal

S = Proposal.Status


def by_the_portal(user, proposal) -> Verdict:
    """A move nobody makes by hand (no button): the portal makes it, within a service."""
    return deny(_("The portal makes this change itself."))


OPEN = {S.DRAFT, S.SUBMITTED, S.UNDER_ASSESSMENT, S.BUREAU_VOTE, S.DEFERRED}
DECIDABLE = {S.SUBMITTED, S.UNDER_ASSESSMENT, S.DEFERRED}

PROPOSAL_WORKFLOW = Workflow(
    model=Proposal,
    noun=_("proposal"),
    moves=(
        move("submit", [S.DRAFT], S.SUBMITTED, _("Submit"), p.can_submit_proposal),
        move("withdraw", OPEN, S.WITHDRAWN, _("Withdraw"), p.can_withdraw_proposal),
        # Straight after submission, for the urgent route (the portal moves it).
        move("to_vote", [S.SUBMITTED], S.BUREAU_VOTE, _("To the Bureau's vote"), by_the_portal),
        move(
            "assess",
            [S.SUBMITTED, S.DEFERRED],
            S.UNDER_ASSESSMENT,
            _("Assign assessors"),
            p.can_assign_assessors,
        ),
        move("adopt", DECIDABLE, S.ADOPTED, _("Adopt"), p.can_record_decision),
        move("reject", DECIDABLE, S.REJECTED, _("Reject"), p.can_record_decision),
        move(
            "defer",
            [S.SUBMITTED, S.UNDER_ASSESSMENT],
            S.DEFERRED,
            _("Defer"),
            p.can_record_decision,
        ),
        # The Bureau's vote decides an urgent proposal (bureau_vote_cast).
        move("adopt_by_vote", [S.BUREAU_VOTE], S.ADOPTED, _("Approve"), p.can_vote),
        move("reject_by_vote", [S.BUREAU_VOTE], S.REJECTED, _("Reject"), p.can_vote),
        # The voting deadline passed without a majority: the next PC plenary decides
        # (the daily beat job, no actor).
        move("refer", [S.BUREAU_VOTE], S.DEFERRED, _("Refer to the PC plenary"), by_the_portal),
        # The hand-over to a new work programme closes, with its reason, an open proposal
        # that is not moved to the new programme (proposals/handover.py). No status of
        # its own: it is no longer pursued, as a withdrawn one; the history says why.
        move("lapse", OPEN, S.WITHDRAWN, _("Close at the hand-over"), by_the_portal),
    ),
    groups={
        # Withdrawable, and what a delegation still follows.
        "open": OPEN,
        # Supports are given and taken back until a decision.
        "open_for_supports": {S.SUBMITTED, S.UNDER_ASSESSMENT},
        # The Secretariat records a decision (and assigns assessors).
        "decidable": DECIDABLE,
        # Where the Bureau's vote on an urgent proposal ends.
        "vote_closed": {S.ADOPTED, S.REJECTED, S.DEFERRED},
        "final": {S.ADOPTED, S.REJECTED, S.WITHDRAWN},
    },
)


def group(name: str) -> frozenset[str]:
    return PROPOSAL_WORKFLOW.group(name)


def available(user, proposal: Proposal) -> dict[str, object]:
    """The moves ``user`` may make on ``proposal`` now, by name (the buttons)."""
    return {m.name: m for m in PROPOSAL_WORKFLOW.available(user, proposal)}


A = Assessment.Status
# An assessment is a draft until its assessor submits it; then it is final.
ASSESSMENT_WORKFLOW = Workflow(
    model=Assessment,
    noun=_("assessment"),
    moves=(move("submit", [A.DRAFT], A.SUBMITTED, _("Submit"), p.can_fill_assessment),),
)
