"""Decisions: the Permanent Correspondents decide (the Secretariat records it);
adopting creates exactly one Activity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import services as activity_services
from pompidou.errors import DomainError
from pompidou.rules import require
from programme.models import Meeting

from .. import permissions, year_ranking
from ..models import Decision, Proposal
from .base import S, eur, locked, move, notify


def adopt(proposal: Proposal, actor: User | None, route: str, source: str) -> None:
    """Turn the adopted proposal into exactly one Activity (and, for the annual route,
    an entry in that year's draft annual programme) — inside the caller's transaction.

    Everything the proposal says that has a home on the activity goes there: purpose
    and scope into the description, the expected outcome into the expected results,
    the proposing and supporting delegations into the participating states. Its
    attachments stay the proposal's and are listed on the activity's page.
    """
    supporting = [s.member_state for s in proposal.supports.select_related("member_state")]
    participating = {proposal.member_state_id: proposal.member_state}
    participating.update({state.pk: state for state in supporting})
    activity = activity_services.activity_create_adopted(
        actor=actor,
        source=source,
        title=proposal.title,
        description=adopted_description(proposal),
        work_programme=proposal.work_programme,
        permanent_format=proposal.permanent_format,
        adoption_route=route,
        thematic_priorities=list(proposal.thematic_priorities.all()),
        lead_member_state=proposal.member_state,
        participating_states=list(participating.values()),
        start_date=proposal.start_date,
        end_date=proposal.end_date,
        planned_budget=proposal.estimated_cost or Decimal("0"),
        expected_results=proposal.expected_outcome,
        human_rights_considerations=proposal.human_rights_statement,
        gender_considerations=proposal.gender_statement,
        supervisor=proposal.bureau_mandate.user if proposal.bureau_mandate else None,
    )
    move(proposal, S.ADOPTED, actor, activity=activity)
    if route == Proposal.Route.ANNUAL and proposal.year:
        activity_services.annual_programme_add_adopted(
            activity=activity, year=proposal.year, actor=actor
        )


def adopted_description(proposal: Proposal) -> str:
    """The activity's description: the proposal's purpose, then its scope, each under
    its heading (the Activity has no field of its own for either)."""
    parts = []
    for heading, text in ((_("Purpose"), proposal.purpose), (_("Scope"), proposal.scope)):
        if text.strip():
            parts.append(f"{heading}\n{text.strip()}")
    return "\n\n".join(parts)


@transaction.atomic
def decision_record(
    *,
    proposal: Proposal,
    actor: User,
    outcome: str,
    meeting: Meeting | None = None,
    rationale: str = "",
    decided_on: dt.date | None = None,
    confirm_over_ceiling: bool = False,
) -> Decision:
    """Record the Permanent Correspondents' decision; adoption creates the activity.

    An adoption that takes its year's annual programme over the budget ceiling
    needs ``confirm_over_ceiling``; the confirmation is kept on the decision.
    """
    require(permissions.can_record_decision(actor))
    proposal = locked(proposal)
    errors: dict[str, list[str]] = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = [_("The outcome is adopted, rejected or deferred.")]
    if not rationale.strip():
        errors["rationale"] = [_("Give the rationale of the decision.")]
    if meeting is not None and meeting.kind != Meeting.Kind.PC_PLENARY:
        errors["meeting"] = [_("Choose the Permanent Correspondents' meeting that decided.")]
    if errors:
        raise DomainError(errors)
    require(permissions.can_record_decision(actor, proposal))
    over_ceiling = False
    if outcome == Decision.Outcome.ADOPTED:
        budget = year_ranking.adoption_budget(proposal)
        over_ceiling = budget is not None and budget.over_ceiling
        if budget is not None and over_ceiling and not confirm_over_ceiling:
            raise DomainError(
                _(
                    "Adopting %(ref)s (%(cost)s EUR) takes the annual programme %(year)s "
                    "to %(after)s EUR, above its ceiling of %(ceiling)s EUR (%(committed)s "
                    "EUR already committed). Confirm adopting above the ceiling."
                )
                % {
                    "ref": proposal.reference,
                    "cost": eur(budget.cost),
                    "year": budget.budget.year,
                    "after": eur(budget.after),
                    "ceiling": eur(budget.budget.ceiling),
                    "committed": eur(budget.budget.committed),
                },
                field="confirm_over_ceiling",
            )
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                proposal=proposal,
                outcome=outcome,
                meeting=meeting,
                rationale=rationale,
                over_ceiling_confirmed=over_ceiling,
                decided_on=decided_on or (meeting.date if meeting else timezone.localdate()),
                recorded_by=actor,
            )
    except IntegrityError as exc:  # a second adoption racing the first
        raise DomainError(_("This proposal has already been decided.")) from exc
    if outcome == Decision.Outcome.ADOPTED:
        route = (
            Proposal.Route.AD_HOC if proposal.route == Proposal.Route.URGENT else (proposal.route)
        )
        # A decided proposal was submitted, which gave it its reference.
        adopt(proposal, actor, route, source=cast(str, proposal.reference))
    else:
        move(proposal, outcome, actor, comment=rationale)
    notify("decided", proposal)
    return decision
