"""Supports: another delegation co-sponsors a submitted proposal (criterion 1)."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pompidou.errors import DomainError
from pompidou.rules import require
from pompidou.tombstones import touch
from programme import roles
from programme.models import MemberState

from .. import permissions
from ..models import Proposal, Support
from ..workflow import group
from .base import Kind, locked, notify, record


def supports_open(proposal: Proposal) -> bool:
    """Supports are given and taken back while the proposal is submitted or under
    assessment (until a decision)."""
    return proposal.status in group("open_for_supports")


def _already(member_state: MemberState) -> DomainError:
    return DomainError(
        _("%(state)s already supports this proposal.") % {"state": member_state.name},
        field="member_state",
    )


@transaction.atomic
def support_add(
    *,
    proposal: Proposal,
    actor: User,
    member_state: MemberState | None = None,
    note: str = "",
) -> Support:
    """Another delegation co-sponsors the proposal (criterion 1)."""
    require(permissions.can_support(actor))
    proposal = locked(proposal)
    r = roles.roles_of(actor)
    if r.is_secretariat:
        if member_state is None:
            raise DomainError(_("Say which delegation's support you record."), field="member_state")
        if member_state.pk == proposal.member_state_id:
            raise DomainError(
                permissions.own_delegation_support(member_state), field="member_state"
            )
    else:
        if member_state is not None and member_state.pk != r.member_state_id:
            raise DomainError(
                _("You support proposals for your own delegation only."), field="member_state"
            )
        # can_support let through a PC of a delegation: the id is set.
        member_state = MemberState.objects.get(pk=cast(int, r.member_state_id))
    require(permissions.can_support(actor, proposal))
    if proposal.supports.filter(member_state=member_state).exists():
        raise _already(member_state)
    try:
        with transaction.atomic():
            support = Support.objects.create(
                proposal=proposal, member_state=member_state, supporter=actor, note=note
            )
            touch(Proposal, [proposal.pk])  # the proposal's record shows its supports
    except IntegrityError as exc:  # the same delegation twice at the same moment
        raise _already(member_state) from exc
    record(proposal, Kind.SUPPORT_ADDED, actor, member_state=[None, member_state.name])
    notify("supported", proposal, state=member_state.code)
    return support


@transaction.atomic
def support_withdraw(*, support: Support, actor: User) -> None:
    """A delegation takes back its support, until a decision."""
    support.proposal = locked(support.proposal)
    require(permissions.can_withdraw_support(actor, support))
    name = support.member_state.name
    support.delete()
    touch(Proposal, [support.proposal_id])
    record(support.proposal, Kind.SUPPORT_WITHDRAWN, actor, member_state=[name, None])
