"""Who may do what with a proposal, in which state: the role × action × state matrix.

Each predicate answers for every persona; a refusal carries its sentence, and says
whether it is about the person (403) or the proposal's state (400).
"""

import pytest

from pompidou.rules import ask
from proposals import permissions as perm
from proposals.models import Proposal, Support
from proposals.workflow import PROPOSAL_WORKFLOW
from tests.proposals.factories import ProposalFactory

S = Proposal.Status
PERSONAS = ("secretariat", "pc_fr", "pc_de", "bureau_chair", "expert", "outsider", "anonymous")
ALL_STATES = tuple(S.values)
PORTAL_MEMBERS = {"secretariat", "pc_fr", "pc_de", "bureau_chair", "expert"}


@pytest.fixture
def proposal_in(states):
    """A proposal of France in a given state (built, not saved: the predicates read
    the row alone)."""

    def build(status, route=Proposal.Route.ANNUAL):
        return ProposalFactory.build(member_state=states["FR"], status=status, route=route)

    return build


def _allowed(personas, predicate, obj, *args):
    answers = {}
    for name in PERSONAS:
        verdict = (
            predicate(personas[name], obj, *args) if obj is not None else predicate(personas[name])
        )
        if not verdict:
            # Every refusal says why, in a sentence.
            reason = str(verdict.reason)
            assert len(reason) > 15 and reason.rstrip().endswith("."), (name, reason)
        answers[name] = bool(verdict)
    return {name for name, yes in answers.items() if yes}


def _expect(state, table, default=frozenset()):
    return next((who for states, who in table if state in states), default)


@pytest.mark.parametrize("state", ALL_STATES)
def test_who_reads_a_proposal(personas, proposal_in, state):
    expected = {"secretariat", "pc_fr"} if state == S.DRAFT else PORTAL_MEMBERS
    assert _allowed(personas, perm.can_view_proposal, proposal_in(state)) == expected


def test_pcs_and_bureau_members_draft_proposals(personas):
    assert _allowed(personas, perm.can_draft_proposal, None) == {"pc_fr", "pc_de", "bureau_chair"}


@pytest.mark.parametrize("state", ALL_STATES)
def test_only_the_proposing_delegation_edits_and_submits_its_draft(personas, proposal_in, state):
    proposal = proposal_in(state)
    expected = {"pc_fr"} if state == S.DRAFT else set()
    assert _allowed(personas, perm.can_edit_proposal, proposal) == expected
    assert _allowed(personas, perm.can_submit_proposal, proposal) == expected
    # A submitted proposal: the delegation is refused because of the state (400),
    # everybody else because of who they are (403).
    if state != S.DRAFT:
        assert perm.can_submit_proposal(personas["pc_fr"], proposal).state
    assert not perm.can_submit_proposal(personas["pc_de"], proposal).state


@pytest.mark.parametrize("state", ALL_STATES)
def test_the_proposing_delegation_withdraws_an_open_proposal(personas, proposal_in, state):
    proposal = proposal_in(state)
    expected = {"pc_fr"} if state in PROPOSAL_WORKFLOW.group("open") else set()
    assert _allowed(personas, perm.can_withdraw_proposal, proposal) == expected


@pytest.mark.parametrize("state", ALL_STATES)
def test_other_delegations_support_while_the_proposal_is_open_for_supports(
    personas, proposal_in, state
):
    proposal = proposal_in(state)
    open_ = state in (S.SUBMITTED, S.UNDER_ASSESSMENT)
    expected = {"secretariat", "pc_de", "bureau_chair"} if open_ else set()
    assert _allowed(personas, perm.can_support, proposal) == expected
    # France cannot support its own proposal (criterion 1): a rule of the proposal, 400.
    refused = perm.can_support(personas["pc_fr"], proposal)
    assert not refused and refused.state
    assert not perm.can_support(personas["expert"], proposal).state


@pytest.mark.parametrize("state", ALL_STATES)
def test_the_supporting_delegation_withdraws_its_support_until_a_decision(
    personas, proposal_in, states, state
):
    support = Support(proposal=proposal_in(state), member_state=states["DE"])
    expected = {"secretariat", "pc_de"} if state in (S.SUBMITTED, S.UNDER_ASSESSMENT) else set()
    assert _allowed(personas, perm.can_withdraw_support, support) == expected


@pytest.mark.parametrize("state", ALL_STATES)
def test_the_secretariat_assigns_assessors_and_records_decisions(personas, proposal_in, state):
    proposal = proposal_in(state)
    expected = {"secretariat"} if state in (S.SUBMITTED, S.UNDER_ASSESSMENT, S.DEFERRED) else set()
    assert _allowed(personas, perm.can_assign_assessors, proposal) == expected
    assert _allowed(personas, perm.can_record_decision, proposal) == expected
    urgent = proposal_in(state, route=Proposal.Route.URGENT)
    assert _allowed(personas, perm.can_assign_assessors, urgent) == set()


@pytest.mark.parametrize("state", ALL_STATES)
def test_only_current_bureau_members_vote_on_an_urgent_proposal_in_its_vote(
    personas, proposal_in, state
):
    urgent = proposal_in(state, route=Proposal.Route.URGENT)
    expected = {"bureau_chair"} if state == S.BUREAU_VOTE else set()
    assert _allowed(personas, perm.can_vote, urgent) == expected
    assert _allowed(personas, perm.can_vote, proposal_in(state)) == set()  # annual route


@pytest.mark.parametrize("state", ALL_STATES)
def test_the_secretariat_and_the_bureau_read_scores(personas, proposal_in, state):
    # Of a French proposal: the Norwegian chair too, once it is no draft (a draft is
    # read by its delegation and the Secretariat only).
    allowed = {"secretariat"} if state == S.DRAFT else {"secretariat", "bureau_chair"}
    assert _allowed(personas, perm.can_view_score, proposal_in(state)) == allowed
    assert _allowed(personas, perm.can_view_score, None) == {"secretariat", "bureau_chair"}


def test_nobody_assesses_a_proposal_of_their_own_member_state(personas, proposal_in):
    proposal = proposal_in(S.SUBMITTED)
    eligible = {
        n for n in PERSONAS if n != "anonymous" and perm.can_be_assessor(personas[n], proposal)
    }
    assert eligible == {"secretariat", "bureau_chair", "expert"}
    # A Bureau member of the proposing state: conflict of interest.
    norwegian = proposal_in(S.SUBMITTED)
    norwegian.member_state = personas["bureau_chair"].profile.member_state
    refused = perm.can_be_assessor(personas["bureau_chair"], norwegian)
    assert not refused and "own member state" in str(refused.reason)


def test_the_buttons_are_the_moves_the_user_may_make(personas, proposal_in):
    draft = proposal_in(S.DRAFT)
    assert {m.name for m in PROPOSAL_WORKFLOW.available(personas["pc_fr"], draft)} == {
        "submit",
        "withdraw",
    }
    assert PROPOSAL_WORKFLOW.available(personas["pc_de"], draft) == []
    submitted = proposal_in(S.SUBMITTED)
    assert {m.name for m in PROPOSAL_WORKFLOW.available(personas["secretariat"], submitted)} == {
        "assess",
        "adopt",
        "reject",
        "defer",
    }


def test_templates_ask_the_same_predicates_by_name(personas, proposal_in):
    draft = proposal_in(S.DRAFT)
    assert ask("proposals.edit", personas["pc_fr"], draft)
    refused = ask("proposals.edit", personas["pc_de"], draft)
    assert not refused and refused.reason == perm.can_edit_proposal(personas["pc_de"], draft).reason
