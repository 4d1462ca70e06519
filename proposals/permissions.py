"""Who may do what with proposals. Pages, API and templates ask here; the services
check the same predicates before any change."""

from programme import roles

from .models import Proposal

S = Proposal.Status


def _same_delegation(user, proposal: Proposal) -> bool:
    state = roles.member_state_id_of(user)
    return state is not None and state == proposal.member_state_id


def can_view_proposal(user, proposal: Proposal) -> bool:
    """Drafts: the proposer's delegation and the Secretariat only. Submitted
    proposals: every member of the portal (PCs must read them to support them)."""
    r = roles.roles_of(user)
    if r.is_secretariat:
        return True
    if proposal.status == S.DRAFT:
        return _same_delegation(user, proposal)
    return r.is_correspondent or r.is_expert or r.is_bureau


def can_draft_proposal(user) -> bool:
    """A PC for their own delegation, or a Bureau member (areas they supervise)."""
    r = roles.roles_of(user)
    return (r.is_correspondent or r.is_bureau) and r.member_state_id is not None


def can_edit_proposal(user, proposal: Proposal) -> bool:
    return proposal.status == S.DRAFT and _same_delegation(user, proposal)


def can_submit_proposal(user, proposal: Proposal) -> bool:
    return proposal.status == S.DRAFT and _same_delegation(user, proposal)


def can_withdraw_proposal(user, proposal: Proposal) -> bool:
    return proposal.is_open and _same_delegation(user, proposal)


def can_support_proposals(user) -> bool:
    """PCs support for their delegation; the Secretariat records a support received
    by letter. Which delegation and when are rules of the service (400, not 403)."""
    r = roles.roles_of(user)
    return r.is_secretariat or (r.is_correspondent and r.member_state_id is not None)


def may_support_now(user, proposal: Proposal) -> bool:
    """For showing the button: a PC of another delegation, while the proposal is open
    for supports."""
    r = roles.roles_of(user)
    return (
        proposal.status in (S.SUBMITTED, S.UNDER_ASSESSMENT)
        and r.is_correspondent
        and r.member_state_id not in (None, proposal.member_state_id)
    )


def can_assign_assessors(user) -> bool:
    return roles.is_secretariat(user)


def may_assess(user) -> bool:
    """Assessors are Secretariat staff, Bureau members and experts."""
    r = roles.roles_of(user)
    return r.is_secretariat or r.is_bureau or r.is_expert


def has_conflict_of_interest(user, proposal: Proposal) -> bool:
    """Nobody assesses a proposal of their own member state."""
    return _same_delegation(user, proposal)


def can_view_score(user) -> bool:
    r = roles.roles_of(user)
    return r.is_secretariat or r.is_bureau


def can_record_decision(user) -> bool:
    """The Permanent Correspondents decide; the Secretariat records the decision."""
    return roles.is_secretariat(user)


def can_vote(user) -> bool:
    """Only current Bureau members vote on urgent activities."""
    return roles.is_bureau_member(user)


def can_withdraw_support(user, support) -> bool:
    """The supporting delegation's PCs (or the Secretariat) take a support back; the
    service adds the rule on the proposal's state."""
    r = roles.roles_of(user)
    return r.is_secretariat or (r.is_correspondent and r.member_state_id == support.member_state_id)
