"""Urgent activities: the Bureau's vote, its queue and its cards."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.errors import DomainError
from pompidou.forms import call_service
from pompidou.rules import gate
from programme import roles

from .. import permissions, selectors, services
from ..models import BureauVote, Proposal
from .base import S, _is_htmx


def _current_bureau() -> dict[int, int | None]:
    return selectors.current_bureau()


@dataclass
class VoteCard:
    proposal: Proposal
    approve: int
    reject: int
    abstain: int
    not_voted: int
    size: int  # the members who may vote
    needed: int
    my_vote: str | None
    can_vote: bool
    decision: object | None
    votes: list = field(default_factory=list)
    recused: int = 0  # current members of the proposing state
    recused_members: list = field(default_factory=list)  # those recorded as recused
    me_recused: str = ""  # why the user does not vote on it, if they are recused

    @property
    def open(self) -> bool:
        return self.proposal.status == S.BUREAU_VOTE


def _vote_card(proposal: Proposal, user, bureau: dict[int, int | None]) -> VoteCard:
    """The tally of the votes of the current Bureau members who may vote (from the
    prefetched votes); those of the proposing member state are recused."""
    voters = selectors.voters_on(proposal, bureau)
    votes = list(proposal.votes.all())
    tally = services.tally_votes(((v.voter_id, v.vote) for v in votes), voters)
    mine = next(
        (v.vote for v in votes if v.voter_id == user.pk and v.vote != BureauVote.Vote.RECUSED),
        None,
    )
    decision = None
    if proposal.status != S.BUREAU_VOTE and "decisions" in getattr(
        proposal, "_prefetched_objects_cache", {}
    ):
        decisions = list(proposal.decisions.all())
        decision = decisions[-1] if decisions else None
    verdict = permissions.can_vote(user, proposal)
    me_recused = ""
    if permissions.can_vote(user) and permissions.recused_from_vote(
        roles.member_state_id_of(user), proposal
    ):
        me_recused = str(verdict.reason)
    return VoteCard(
        proposal=proposal,
        approve=tally.approve,
        reject=tally.reject,
        abstain=tally.abstain,
        not_voted=tally.not_voted,
        size=tally.size,
        needed=tally.needed,
        my_vote=mine,
        can_vote=bool(permissions.can_vote(user)) and not me_recused,
        decision=decision,
        votes=[v for v in votes if v.vote != BureauVote.Vote.RECUSED],
        recused=tally.recused,
        recused_members=[v.voter for v in votes if v.vote == BureauVote.Vote.RECUSED],
        me_recused=me_recused,
    )


# --- urgent activities: the Bureau's vote ----------------------------------------------------


def _pending_votes(user) -> int:
    """The "awaits your vote" count: the dashboard's selector."""
    return selectors.todo_count(user, "awaiting_vote") if permissions.can_vote(user) else 0


def urgent_queue(request):
    """The open votes (``?todo=awaiting_vote``: those awaiting mine only) and the
    decided ones with their tally."""
    user = request.user
    gate(permissions.can_follow_votes(user))
    bureau = _current_bureau()
    queue = selectors.urgent_queue()
    only_mine = request.GET.get("todo") == "awaiting_vote"
    if only_mine:
        queue = selectors.todo(queue, user, "awaiting_vote")
    cards = [_vote_card(p, user, bureau) for p in queue]
    decided = [_vote_card(p, user, bureau) for p in selectors.urgent_decided()[:50]]
    return render(
        request,
        "proposals/urgent_queue.html",
        {
            "cards": cards,
            "decided": decided,
            "only_mine": only_mine,
            "pending": _pending_votes(user),
        },
    )


@require_POST
def vote(request, pk: int):
    """One click from the urgent queue: htmx gets the card back (and the badge of votes
    awaited, out of band), a plain form a redirect."""
    proposal = selectors.get_proposal_for_user(request.user, pk)
    error = None
    try:
        call_service(
            None,
            services.bureau_vote_cast,
            proposal=proposal,
            actor=request.user,
            vote=request.POST.get("vote", ""),
            comment=request.POST.get("comment", "").strip(),
        )
    except DomainError as exc:
        error = exc.message
    if _is_htmx(request):
        proposal = selectors.get_proposal_for_user(request.user, pk)
        card = _vote_card(proposal, request.user, _current_bureau())
        return render(
            request,
            "proposals/partials/vote_card.html",
            {
                "card": card,
                "error": error,
                "just_voted": error is None,
                "compact": request.POST.get("compact") == "1",
                "next_url": _safe_next(request),
                "pending": _pending_votes(request.user),
                "oob_badge": True,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Your vote on %(ref)s is recorded.") % {"ref": proposal.reference}
        )
    return redirect(_safe_next(request))


def _safe_next(request) -> str:
    """Where the vote came from (the queue or the proposal), never another site."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("proposals:urgent")
