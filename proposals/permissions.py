"""Who may do what with proposals, and why not.

Each ``can_<verb>(user, obj)`` covers the role, the proposal's state and any conflict
of interest, and returns a :class:`~pompidou.rules.Verdict`: truthy, or falsy with
the sentence that says why. A refusal by role (``deny``) is a 403; one by the
proposal's state (``deny_state``) is a 400 / a form error: the right person at the
wrong moment. Services ``require`` these verdicts; the API, the pages and the
``{% can "proposals.<verb>" obj %}`` tag ask the same ones, so each refusal is
written here once.

Predicates whose object is optional answer the role question alone when called
without one (the list page's "Draft a proposal" button).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pompidou.rules import Verdict, allow, deny, deny_state, rule
from programme import roles

from .models import Proposal

if TYPE_CHECKING:
    from .models import Assessment, Support

S = Proposal.Status


def _groups():
    # The named state groups live with the workflow (which imports this module).
    from .workflow import PROPOSAL_WORKFLOW

    return PROPOSAL_WORKFLOW


def _in(group: str, proposal: Proposal) -> bool:
    return proposal.status in _groups().group(group)


def _status(proposal: Proposal) -> str:
    return proposal.get_status_display().lower()


def same_delegation(user: Any, proposal: Proposal) -> bool:
    state = roles.member_state_id_of(user)
    return state is not None and state == proposal.member_state_id


@rule("proposals.view")
def can_view_proposal(user: Any, proposal: Proposal) -> Verdict:
    """Drafts: the proposer's delegation and the Secretariat only. Submitted
    proposals: every member of the portal (PCs must read them to support them)."""
    r = roles.roles_of(user)
    if r.is_secretariat:
        return allow()
    if proposal.status == S.DRAFT:
        if same_delegation(user, proposal):
            return allow()
        return deny(_("A draft is read by its delegation and the Secretariat only."))
    if r.is_correspondent or r.is_expert or r.is_bureau:
        return allow()
    return deny(_("Proposals are read by the members of the portal."))


@rule("proposals.draft")
def can_draft_proposal(user: Any, proposal: Proposal | None = None) -> Verdict:
    """A PC for their own delegation, or a Bureau member (areas they supervise)."""
    r = roles.roles_of(user)
    if (r.is_correspondent or r.is_bureau) and r.member_state_id is not None:
        return allow()
    return deny(_("Only Permanent Correspondents and Bureau members draft proposals."))


@rule("proposals.edit")
def can_edit_proposal(user: Any, proposal: Proposal) -> Verdict:
    """The proposing delegation, while it is a draft. A submitted proposal is
    refused as a 403 too: nobody changes it any more."""
    if not same_delegation(user, proposal):
        return deny(_("Only the proposing delegation changes its proposal."))
    if proposal.status != S.DRAFT:
        return deny(
            _("The proposal is %(status)s: only a draft changes.") % {"status": _status(proposal)}
        )
    return allow()


@rule("proposals.submit")
def can_submit_proposal(user: Any, proposal: Proposal) -> Verdict:
    if not same_delegation(user, proposal):
        return deny(_("Only the proposing delegation submits its proposal."))
    if proposal.status != S.DRAFT:
        return deny_state(
            _("The proposal is already %(status)s.") % {"status": _status(proposal)},
            field="status",
        )
    return allow()


@rule("proposals.withdraw")
def can_withdraw_proposal(user: Any, proposal: Proposal) -> Verdict:
    if not same_delegation(user, proposal):
        return deny(_("Only the proposing delegation withdraws its proposal."))
    if not proposal.is_open:
        return deny_state(
            _("The proposal is %(status)s; it can no longer be withdrawn.")
            % {"status": _status(proposal)},
            field="status",
        )
    return allow()


@rule("proposals.support")
def can_support(user: Any, proposal: Proposal | None = None) -> Verdict:
    """PCs support for their delegation; the Secretariat records a support received
    by letter. Never the proposing delegation's own (criterion 1 asks for another
    one), and only while the proposal is submitted or under assessment."""
    r = roles.roles_of(user)
    if not (r.is_secretariat or (r.is_correspondent and r.member_state_id is not None)):
        return deny(_("Only Permanent Correspondents support proposals."))
    if proposal is None:
        return allow()
    if not r.is_secretariat and r.member_state_id == proposal.member_state_id:
        return deny_state(own_delegation_support(proposal.member_state), field="member_state")
    if not _in("open_for_supports", proposal):
        return deny_state(
            _(
                "Supports are given while a proposal is submitted or under "
                "assessment; this one is %(status)s."
            )
            % {"status": _status(proposal)},
            field="status",
        )
    if support_closed(proposal):
        return deny_state(support_closed_message(proposal), field="status")
    return allow()


def support_closed(proposal: Proposal, today: dt.date | None = None) -> bool:
    """Its support deadline has passed (the Secretariat may set a later one)."""
    deadline = proposal.support_deadline
    return deadline is not None and deadline < (today or timezone.localdate())


def support_closed_message(proposal: Proposal) -> str:
    deadline = proposal.support_deadline
    if deadline is None:
        return ""
    return _("Supports closed on %(day)s.") % {"day": date_format(deadline, "DATE_FORMAT")}


@rule("proposals.set_deadline")
def can_set_deadline(user: Any, proposal: Proposal | None = None, field: str = "") -> Verdict:
    """The Secretariat sets the support deadline while supports may be given, and the
    voting deadline while the Bureau votes."""
    if not roles.is_secretariat(user):
        return deny(_("Only the Secretariat sets the deadlines of a proposal."))
    if proposal is None:
        return allow()
    if field == "vote_deadline":
        if proposal.status != S.BUREAU_VOTE:
            return deny_state(
                _("A voting deadline is set while the Bureau votes; this proposal is %(status)s.")
                % {"status": _status(proposal)},
                field="status",
            )
        return allow()
    if proposal.route == Proposal.Route.URGENT or not _in("open_for_supports", proposal):
        return deny_state(
            _(
                "A support deadline is set while a proposal is submitted or under "
                "assessment; this one is %(status)s."
            )
            % {"status": _status(proposal)},
            field="status",
        )
    return allow()


def own_delegation_support(member_state: Any) -> str:
    """The refusal of a delegation supporting its own proposal (the Secretariat's
    support form names the delegation; a PC's is their own)."""
    return _(
        "%(state)s proposed this activity; criterion 1 asks for the support of another delegation."
    ) % {"state": member_state.name}


@rule("proposals.withdraw_support")
def can_withdraw_support(user: Any, support: Support) -> Verdict:
    """The supporting delegation's PCs (or the Secretariat), until a decision."""
    r = roles.roles_of(user)
    if not (
        r.is_secretariat or (r.is_correspondent and r.member_state_id == support.member_state_id)
    ):
        return deny(_("Only the supporting delegation withdraws its support."))
    if not _in("open_for_supports", support.proposal):
        return deny_state(
            _("The proposal has been decided; supports can no longer change."), field="status"
        )
    return allow()


@rule("proposals.assign_assessors")
def can_assign_assessors(user: Any, proposal: Proposal | None = None) -> Verdict:
    if not roles.is_secretariat(user):
        return deny(_("Only the Secretariat assigns assessors."))
    if proposal is None:
        return allow()
    if proposal.route == Proposal.Route.URGENT:
        return deny_state(_("Urgent proposals are decided by the Bureau's vote, not assessed."))
    if not _in("decidable", proposal):
        return deny_state(
            _("Assessors are assigned to submitted proposals; this one is %(status)s.")
            % {"status": _status(proposal)},
            field="status",
        )
    return allow()


def _name(user: Any) -> str:
    return user.get_full_name() or user.username


def can_be_assessor(user: Any, proposal: Proposal) -> Verdict:
    """Whom the Secretariat may invite: Secretariat staff, Bureau members and
    experts, none of the proposing delegation (conflict of interest)."""
    r = roles.roles_of(user)
    if not (r.is_secretariat or r.is_bureau or r.is_expert):
        return deny(
            _(
                "%(name)s cannot assess: assessors are Secretariat staff, Bureau "
                "members and experts."
            )
            % {"name": _name(user)}
        )
    if same_delegation(user, proposal):
        return deny(
            _(
                "%(name)s belongs to the proposing delegation (%(state)s): nobody "
                "assesses a proposal of their own member state."
            )
            % {"name": _name(user), "state": proposal.member_state.name}
        )
    return allow()


def may_assess(user: Any) -> bool:
    """Assessors are Secretariat staff, Bureau members and experts (the candidates
    the assessor form lists)."""
    r = roles.roles_of(user)
    return r.is_secretariat or r.is_bureau or r.is_expert


def has_conflict_of_interest(user: Any, proposal: Proposal) -> bool:
    """Nobody assesses a proposal of their own member state."""
    return same_delegation(user, proposal)


@rule("proposals.assess")
def can_assess(user: Any, proposal: Proposal) -> Verdict:
    """The proposal's assigned assessors (from the prefetched assessments)."""
    uid = getattr(user, "pk", None)
    if uid is None or not any(a.assessor_id == uid for a in proposal.assessments.all()):
        return deny(_("You are not an assessor of this proposal."))
    return allow()


def can_fill_assessment(user: Any, assessment: Assessment) -> Verdict:
    """Only its assessor, while it is a draft and the proposal under assessment."""
    from .models import Assessment

    if assessment.assessor_id != getattr(user, "pk", None):
        return deny(_("Only the assigned assessor fills in this assessment."))
    if assessment.status == Assessment.Status.SUBMITTED:
        return deny_state(_("This assessment was submitted and is final."), field="status")
    if assessment.proposal.status != S.UNDER_ASSESSMENT:
        return deny_state(_("The proposal is no longer under assessment."), field="status")
    return allow()


# --- conflict of interest and independent assessment ---------------------------------
#
# Two rules, each written once here and once as the queryset filter that agrees with it
# (``selectors.no_conflict_of_interest`` and ``selectors.not_assessing_in_draft``; a
# test holds the pairs together for every user × proposal of a fixture):
#
# 1. Nobody reads the scores, the assessors or the assessments of a proposal of their
#    own member state until it is decided, whatever their role (a Bureau member too);
#    the Secretariat is no member state and reads them all.
# 2. An assessor reads the others' scores only once their own assessment is submitted:
#    assessors judge independently.


def own_state_scores_hidden() -> str:
    return _(
        "You cannot see the scores of a proposal from your own member state until it is decided."
    )


def conflict_of_interest(user: Any, proposal: Proposal) -> Verdict:
    """Rule 1: refused while the proposal of the user's own member state is undecided."""
    if roles.is_secretariat(user) or not same_delegation(user, proposal):
        return allow()
    if _in("final", proposal):
        return allow()
    return deny(own_state_scores_hidden())


def own_assessment(user: Any, proposal: Proposal) -> Assessment | None:
    """The user's assessment of the proposal, if they assess it (from the prefetched
    assessments when the page prefetched them)."""
    uid = getattr(user, "pk", None)
    if uid is None or proposal.pk is None:
        return None
    return next((a for a in proposal.assessments.all() if a.assessor_id == uid), None)


def independent_assessment(user: Any, proposal: Proposal) -> Verdict:
    """Rule 2: an assessor with a draft does not read the other assessors' scores."""
    from .models import Assessment

    mine = own_assessment(user, proposal)
    if mine is not None and mine.status == Assessment.Status.DRAFT:
        return deny(
            _(
                "You will see the other assessors' scores once you have submitted your own: "
                "assessors judge independently."
            )
        )
    return allow()


def reads_scores(user: Any) -> bool:
    """The roles that read every proposal's scores: the Secretariat and the Bureau."""
    r = roles.roles_of(user)
    return r.is_secretariat or r.is_bureau


@rule("proposals.view_score")
def can_view_score(user: Any, proposal: Proposal | None = None) -> Verdict:
    """The aggregated score, the score table and the ranking. Without a proposal: the
    role question (the Secretariat and the Bureau). With one: also an assessor who has
    submitted, and never against rule 1 or rule 2."""
    if proposal is None:
        if reads_scores(user):
            return allow()
        return deny(_("Only the Secretariat and the Bureau read the scores."))
    from .models import Assessment

    seen = can_view_proposal(user, proposal)
    if not seen:
        return seen
    conflict = conflict_of_interest(user, proposal)
    if not conflict:
        return conflict
    mine = own_assessment(user, proposal)
    if not reads_scores(user) and not (
        mine is not None and mine.status == Assessment.Status.SUBMITTED
    ):
        return deny(
            _(
                "Only the Secretariat, the Bureau and the assessors who have submitted "
                "their assessment read a proposal's scores."
            )
        )
    return independent_assessment(user, proposal)


@rule("proposals.view_assessors")
def can_view_assessors(user: Any, proposal: Proposal) -> Verdict:
    """Who assesses the proposal and how far they are: the Secretariat and the Bureau,
    never against rule 1 (an assessor sees their own assessment in any case)."""
    seen = can_view_proposal(user, proposal)
    if not seen:
        return seen
    conflict = conflict_of_interest(user, proposal)
    if not conflict:
        return conflict
    if not reads_scores(user):
        return deny(_("Only the Secretariat and the Bureau see who assesses a proposal."))
    return allow()


def can_read_assessment(user: Any, assessment: Assessment) -> Verdict:
    """One assessment: its assessor, always; anyone else once it is submitted and only
    if they may read the proposal's scores (rules 1 and 2 included). A draft stays its
    assessor's own."""
    from .models import Assessment

    if assessment.assessor_id == getattr(user, "pk", None):
        return allow()
    if assessment.status != Assessment.Status.SUBMITTED:
        return deny(_("A draft assessment is read by its assessor only."))
    return can_view_score(user, assessment.proposal)


@rule("proposals.read_assessments")
def can_read_assessments(user: Any, proposal: Proposal) -> Verdict:
    """The ``…/assessments/`` list: an assessor reads their own (and the others' once
    theirs is submitted); the Secretariat and the Bureau read the submitted ones."""
    if own_assessment(user, proposal) is not None:
        return allow()
    if can_view_score(user, proposal):
        return allow()
    conflict = conflict_of_interest(user, proposal)
    if not conflict:
        return conflict
    return deny(
        _("Only its assessors, the Secretariat and the Bureau read a proposal's assessments.")
    )


@rule("proposals.decide")
def can_record_decision(user: Any, proposal: Proposal | None = None) -> Verdict:
    """The Permanent Correspondents decide; the Secretariat records the decision, while
    the proposal is submitted, under assessment or deferred."""
    if not roles.is_secretariat(user):
        return deny(_("The Secretariat records the decisions of the Permanent Correspondents."))
    if proposal is None:
        return allow()
    if proposal.status == S.BUREAU_VOTE:
        return deny_state(
            _("This urgent proposal is being decided by the Bureau's vote."), field="status"
        )
    if not _in("decidable", proposal):
        return deny_state(
            _("The proposal is %(status)s; there is nothing to decide.")
            % {"status": _status(proposal)},
            field="status",
        )
    return allow()


def recused_from_vote(member_state_id: int | None, proposal: Proposal) -> bool:
    """A Bureau member of the proposing member state does not vote on its urgent
    proposal: they are recused, and the majority is counted on those who may vote.
    The one rule the predicate, the tally and ``selectors.proposals_votable_by`` use."""
    return member_state_id is not None and member_state_id == proposal.member_state_id


def recusal_reason(proposal: Proposal) -> str:
    return _(
        "You are recused: %(state)s proposed this activity, and nobody votes on a "
        "proposal of their own member state."
    ) % {"state": proposal.member_state.name}


@rule("proposals.vote")
def can_vote(user: Any, proposal: Proposal | None = None) -> Verdict:
    """Only current Bureau members vote, on urgent proposals, while the vote is open,
    and never on a proposal of their own member state."""
    if not roles.is_bureau_member(user):
        return deny(_("Only current Bureau members vote."))
    if proposal is None:
        return allow()
    if proposal.route != Proposal.Route.URGENT:
        return deny_state(_("The Bureau votes on urgent proposals only."), field="status")
    if recused_from_vote(roles.member_state_id_of(user), proposal):
        return deny(recusal_reason(proposal))
    if proposal.status != S.BUREAU_VOTE:
        return deny_state(
            _("The vote is closed: the proposal is %(status)s.") % {"status": _status(proposal)},
            field="status",
        )
    return allow()


@rule("proposals.follow_vote")
def can_follow_votes(user: Any, proposal: Proposal | None = None) -> Verdict:
    """The urgent queue and a proposal's vote card: the Secretariat and the Bureau."""
    if reads_scores(user) or can_vote(user):
        return allow()
    return deny(_("Only the Secretariat and the Bureau follow the Bureau's votes."))


# --- discussion (comments) ----------------------------------------------------------
#
# The public discussion follows the proposal's own visibility (``can_view_proposal``);
# the assessors' channel is its assessors' and the Secretariat's, so the proposing
# delegation (never an assessor of its own proposal) does not read it.


@rule("proposals.read_comments")
def can_read_comments(user: Any, proposal: Proposal, channel: str = "public") -> Verdict:
    seen = can_view_proposal(user, proposal)
    if not seen or channel == "public":
        return seen
    if roles.is_secretariat(user) or can_assess(user, proposal):
        return allow()
    return deny(
        _("The assessors' channel is read by the proposal's assessors and the Secretariat.")
    )


@rule("proposals.comment")
def can_comment(user: Any, proposal: Proposal, channel: str = "public") -> Verdict:
    """Whoever reads the channel writes in it, while the proposal is not withdrawn."""
    readable = can_read_comments(user, proposal, channel)
    if not readable:
        return readable
    if proposal.status == S.WITHDRAWN:
        return deny_state(_("The proposal was withdrawn: its discussion is closed."))
    return allow()


@rule("proposals.edit_comment")
def can_edit_comment(user: Any, comment: Any) -> Verdict:
    """Its author edits or withdraws it, while they may still write on its channel."""
    if comment.author_id != getattr(user, "pk", None):
        return deny(_("Only its author changes a comment."))
    if comment.withdrawn_at is not None:
        return deny_state(_("This comment was withdrawn."))
    return can_comment(user, comment.proposal, comment.channel)
