"""Urgent proposals: the current Bureau votes; a majority adopts or rejects, and a
vote without a majority by its deadline goes to the next PC plenary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pompidou.errors import DomainError
from pompidou.rules import require
from programme.models import BureauMandate, Meeting, WorkProgramme

from .. import permissions, selectors
from ..models import BureauVote, Decision, Proposal
from .base import Kind, S, locked, move, notify, record
from .decisions import adopt

# What a member casts; a recusal is recorded by the portal, never cast.
BALLOTS = (BureauVote.Vote.APPROVE, BureauVote.Vote.REJECT, BureauVote.Vote.ABSTAIN)


@dataclass(frozen=True)
class Tally:
    """The votes on an urgent proposal of the current Bureau members who may vote
    (those of the proposing member state are recused), and what they decide."""

    approve: int
    reject: int
    abstain: int
    size: int  # the members who may vote
    recused: int = 0

    @property
    def needed(self) -> int:
        """A majority of the members who may vote."""
        return self.size // 2 + 1

    @property
    def not_voted(self) -> int:
        return self.size - self.approve - self.reject - self.abstain

    @property
    def outcome(self) -> str | None:
        """Adopted once approvals reach a majority; rejected once rejections make a
        majority impossible, or when everyone has voted without one."""
        if self.approve >= self.needed:
            return Decision.Outcome.ADOPTED
        if self.reject > self.size - self.needed or (self.size and self.not_voted == 0):
            return Decision.Outcome.REJECTED
        return None


def tally_votes(votes, voters: selectors.Voters) -> Tally:
    """``votes``: (voter id, vote) pairs; only the current Bureau members who may vote
    count (a recusal, or the vote of a former member, counts for nothing)."""
    counts = dict.fromkeys(BureauVote.Vote.values, 0)
    for voter, vote in votes:
        if voter in voters.eligible and vote in BALLOTS:
            counts[vote] += 1
    return Tally(
        counts["approve"],
        counts["reject"],
        counts["abstain"],
        len(voters.eligible),
        len(voters.recused),
    )


def _tally(proposal: Proposal) -> Tally:
    voters = selectors.voters_on(proposal, selectors.current_bureau())
    return tally_votes(proposal.votes.values_list("voter_id", "vote"), voters)


def bureau_recusals_record(*, proposal: Proposal) -> list[BureauVote]:
    """When an urgent proposal goes to the vote, the current Bureau members of its
    member state are recorded as recused (a ``recused`` ballot and a history line):
    they do not vote on it, and the majority is counted without them."""
    voters = selectors.voters_on(proposal, selectors.current_bureau())
    ballots = []
    for voter in User.objects.filter(pk__in=voters.recused).order_by("pk"):
        ballot, created = BureauVote.objects.get_or_create(
            proposal=proposal,
            voter=voter,
            defaults={"vote": BureauVote.Vote.RECUSED, "comment": ""},
        )
        if created:
            record(
                proposal,
                Kind.VOTE,
                voter,
                comment=_("Recused: a member of the proposing member state."),
                vote=[None, str(BureauVote.Vote.RECUSED.label)],
            )
        ballots.append(ballot)
    return ballots


@transaction.atomic
def bureau_vote_refer(*, proposal: Proposal, today: dt.date | None = None) -> Decision | None:
    """Close a Bureau vote whose deadline passed without a majority: the proposal goes
    to the next PC plenary (deferred, with a Bureau decision citing that meeting when it
    is known). Returns None when the vote has meanwhile been decided or is still open."""
    today = today or timezone.localdate()
    proposal = locked(proposal)
    if (
        proposal.status != S.BUREAU_VOTE
        or proposal.vote_deadline is None
        or proposal.vote_deadline >= today
    ):
        return None
    tally = _tally(proposal)
    meeting = (
        Meeting.objects.filter(kind=Meeting.Kind.PC_PLENARY, date__gte=today)
        .order_by("date")
        .first()
    )
    rationale = _(
        "No majority by the voting deadline of %(day)s (%(a)s approve, %(r)s reject, "
        "%(x)s abstain, of %(n)s): referred to the next PC plenary%(meeting)s."
    ) % {
        "day": date_format(proposal.vote_deadline, "DATE_FORMAT"),
        "a": tally.approve,
        "r": tally.reject,
        "x": tally.abstain,
        "n": tally.size,
        "meeting": f" ({meeting})" if meeting else "",
    }
    decision = Decision.objects.create(
        proposal=proposal,
        outcome=Decision.Outcome.DEFERRED,
        body=Decision.Body.BUREAU,
        meeting=meeting,
        decided_on=today,
        rationale=rationale,
    )
    move(proposal, S.DEFERRED, None, comment=rationale)
    record(proposal, Kind.REFERRED, None)
    notify("decided", proposal)
    return decision


def bureau_votes_close_expired(today: dt.date | None = None) -> int:
    """Refer every urgent proposal whose voting deadline has passed (run daily by beat).
    Votes of a programme whose period ended are history: no plenary is left to refer
    them to."""
    today = today or timezone.localdate()
    expired = (
        Proposal.objects.filter(status=S.BUREAU_VOTE, vote_deadline__lt=today)
        .exclude(work_programme__status=WorkProgramme.Status.CLOSED)
        .filter(work_programme__last_year__gte=today.year)
    )
    return sum(bureau_vote_refer(proposal=p, today=today) is not None for p in expired.only("pk"))


def bureau_size() -> int:
    return BureauMandate.objects.current().values("user").distinct().count()


@transaction.atomic
def bureau_vote_cast(
    *, proposal: Proposal, actor: User, vote: str, comment: str = ""
) -> BureauVote:
    """A current Bureau member votes on an urgent proposal (and may change the vote
    until the outcome). A majority of the current Bureau approving adopts it; once
    rejections make a majority impossible, it is rejected. The proposal row is
    locked, so the outcome is reached exactly once even when the last votes arrive
    together."""
    require(permissions.can_vote(actor))
    proposal = locked(proposal)
    # Who may vote on this one first: a recused member is told so, whatever they sent.
    require(permissions.can_vote(actor, proposal))
    if vote not in BALLOTS:
        raise DomainError(_("Vote approve, reject or abstain."), field="vote")
    before = proposal.votes.filter(voter=actor).values_list("vote", flat=True).first()
    ballot, _created = BureauVote.objects.update_or_create(
        proposal=proposal, voter=actor, defaults={"vote": vote, "comment": comment}
    )
    labels = dict(BureauVote.Vote.choices)
    record(
        proposal,
        Kind.VOTE,
        actor,
        comment=comment,
        vote=[labels.get(before) if before else None, labels[vote]],
    )
    tally = _tally(proposal)
    outcome = tally.outcome
    if outcome:
        rationale = _(
            "Bureau vote: %(a)s approve, %(r)s reject, %(x)s abstain, of %(n)s who may vote"
            " (%(rec)s recused)."
        ) % {
            "a": tally.approve,
            "r": tally.reject,
            "x": tally.abstain,
            "n": tally.size,
            "rec": tally.recused,
        }
        Decision.objects.create(
            proposal=proposal,
            outcome=outcome,
            body=Decision.Body.BUREAU,
            decided_on=timezone.localdate(),
            rationale=rationale,
            recorded_by=actor,
        )
        if outcome == Decision.Outcome.ADOPTED:
            # Submitted before the vote, so numbered.
            source = cast(str, proposal.reference)
            adopt(proposal, actor, Proposal.Route.URGENT, source=source)
        else:
            move(proposal, S.REJECTED, actor, comment=rationale)
        notify("decided", proposal)
    return ballot
