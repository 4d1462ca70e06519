"""What every step of the proposal workflow shares: the row lock, the notifications
(through the outbox), and the audit record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from pompidou import audit
from pompidou.lib.l10n import number

from ..models import Proposal
from ..workflow import PROPOSAL_WORKFLOW

Kind = audit.Kind
S = Proposal.Status


def locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def notify(kind: str, proposal: Proposal, **extra: Any) -> None:
    """Tell the people concerned: a notice in their inbox, written with the change, and
    an e-mail through the outbox, sent after the commit, or by the worker's sweep if the
    job queue is down meanwhile."""
    from ..notifications import notify_proposal

    notify_proposal(kind, proposal, **extra)


def record(
    proposal: Proposal, kind: str, actor: User | None, *, comment: str = "", **changes: Any
) -> None:
    """One event in the proposal's history; ``changes`` as ``key=[old, new]``."""
    audit.record(proposal, kind, actor, changes=changes or None, comment=comment)


def move(
    proposal: Proposal,
    to: str,
    actor: User | None,
    comment: str = "",
    *,
    by_the_portal: bool = False,
    **fields: Any,
) -> Proposal:
    """Move the proposal along its workflow (the only writer of ``status``): a
    conditional update, so of two concurrent moves only one lands, and one event.
    ``by_the_portal``: a move the service makes on the actor's behalf (to the
    Bureau's vote after an urgent submission), not one of the actor's buttons."""
    return PROPOSAL_WORKFLOW.move(
        proposal, to, actor, comment=comment, check_permission=not by_the_portal, **fields
    )


def name_of(user: User) -> str:
    return user.get_full_name() or user.username


def eur(amount) -> str:
    """Whole euros as the reader's language writes them ("12 345" in French)."""
    return number(amount, 0)
