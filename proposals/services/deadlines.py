"""Deadlines of a proposal: the day by which other delegations may support it, and
the Bureau's voting deadline of an urgent one, set by the Secretariat."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pompidou import audit
from pompidou.errors import DomainError
from pompidou.rules import require

from .. import permissions
from ..models import Proposal
from .base import Kind, locked

# The deadlines the Secretariat sets on a proposal's page, and the state each applies to.
DEADLINE_FIELDS = ("support_deadline", "vote_deadline")


def default_support_deadline(today: dt.date) -> dt.date:
    """A submitted proposal is open for supports ``PROPOSAL_SUPPORT_DAYS`` days."""
    return today + dt.timedelta(days=settings.PROPOSAL_SUPPORT_DAYS)


@transaction.atomic
def deadline_set(*, proposal: Proposal, actor: User, field: str, day: dt.date | None) -> Proposal:
    """The Secretariat sets (or moves) a deadline of the proposal; a day in the past
    is refused. Recorded in the proposal's history as the change it is."""
    if field not in DEADLINE_FIELDS:
        raise DomainError(_("Unknown deadline."), field="field")
    proposal = locked(proposal)
    require(permissions.can_set_deadline(actor, proposal, field))
    if day is None:
        raise DomainError(_("Give the day of the deadline."), field="day")
    if day < timezone.localdate():
        raise DomainError(_("The deadline cannot be in the past."), field="day")
    old = getattr(proposal, field)
    if old == day:
        return proposal
    setattr(proposal, field, day)
    proposal.save(update_fields=[field, "updated_at"])
    audit.record(proposal, Kind.UPDATED, actor, changes={field: [old, day]})
    return proposal
