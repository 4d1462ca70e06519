"""Drafting a proposal: create, change, submit, withdraw."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pompidou import audit, tombstones
from pompidou.errors import DomainError
from pompidou.rules import require
from pompidou.sequences import PROPOSAL, next_number
from programme import roles
from programme.models import BureauMandate, MemberState, WorkProgramme

from .. import permissions
from ..models import Proposal
from .base import Kind, S, locked, move, notify
from .deadlines import default_support_deadline
from .votes import bureau_recusals_record

EDITABLE_FIELDS = Proposal.EDITABLE_FIELDS
# How long the Bureau has to reach a majority on an urgent proposal.
BUREAU_VOTE_DAYS = 10


def _work_programme_in_force() -> WorkProgramme:
    wp = WorkProgramme.objects.in_force().first()
    if wp is None:
        raise DomainError(_("No work programme is in force: proposals cannot be made."))
    return wp


def _refuse_unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})


def _check_fields(values: dict[str, Any], wp: WorkProgramme) -> dict[str, list[str]]:
    """Type-level rules that hold for drafts too (every problem at once)."""
    errors: dict[str, list[str]] = {}
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors["end_date"] = [_("The end date is before the start date.")]
    cost = values.get("estimated_cost")
    if cost is not None:
        try:
            if Decimal(cost) < 0:
                errors["estimated_cost"] = [_("The cost cannot be negative.")]
        except (InvalidOperation, TypeError):
            errors["estimated_cost"] = [_("Give the cost as a number of euros.")]
    if values.get("route") not in Proposal.Route.values:
        errors["route"] = [_("Choose the route: annual programme, ad hoc or urgent.")]
    year = values.get("year")
    if year is not None and year not in wp.years:
        errors["year"] = [
            _("The annual programmes of this work programme run %(a)s–%(b)s.")
            % {"a": wp.first_year, "b": wp.last_year}
        ]
    priorities = values.get("thematic_priorities") or []
    if any(p.work_programme_id != wp.pk for p in priorities):
        errors["thematic_priorities"] = [
            _("Link priorities of the work programme in force (%(ref)s).") % {"ref": wp.reference}
        ]
    fmt = values.get("permanent_format")
    if fmt is not None and fmt.work_programme_id != wp.pk:
        errors["permanent_format"] = [_("The format belongs to another work programme.")]
    if not (values.get("title") or "").strip():
        errors["title"] = [_("Give the proposal a title.")]
    return errors


def _bureau_mandate_for(actor: User, values: dict[str, Any]) -> BureauMandate | None:
    """The mandate under which a Bureau member proposes, if the proposal lies in the
    areas they supervise; None otherwise."""
    mandate = (
        BureauMandate.objects.filter(user=actor)
        .current()
        .prefetch_related("supervised_priorities", "supervised_formats")
        .first()
    )
    if mandate is None:
        return None
    supervised_p = set(mandate.supervised_priorities.all())
    supervised_f = set(mandate.supervised_formats.all())
    priorities = set(values.get("thematic_priorities") or [])
    fmt = values.get("permanent_format")
    if (fmt and fmt in supervised_f) or (priorities and priorities & supervised_p):
        return mandate
    return None


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    member_state: MemberState | None = None,
    as_bureau: bool = False,
    **fields: Any,
) -> Proposal:
    """A PC drafts for their own delegation; a Bureau member may also propose in
    the areas they supervise (``as_bureau``)."""
    require(permissions.can_draft_proposal(actor))
    r = roles.roles_of(actor)
    if member_state is not None and member_state.pk != r.member_state_id:
        raise DomainError(
            _("You draft proposals for your own delegation (%(code)s) only.")
            % {"code": r.member_state_code},
            field="member_state",
        )
    _refuse_unknown(fields)
    wp = _work_programme_in_force()
    values = {"route": Proposal.Route.ANNUAL, **fields}
    errors = _check_fields(values, wp)
    mandate = None
    if as_bureau:
        mandate = _bureau_mandate_for(actor, values)
        if mandate is None:
            errors.setdefault("thematic_priorities", []).append(
                _("As a Bureau member you propose in the areas you supervise only.")
            )
    if errors:
        raise DomainError(errors)
    priorities = values.pop("thematic_priorities", None) or []
    proposal = Proposal.objects.create(
        work_programme=wp,
        member_state_id=cast(int, r.member_state_id),  # can_draft_proposal: set
        proposer=actor,
        bureau_mandate=mandate,
        **values,
    )
    year = proposal.created_at.year
    proposal.reference = f"PR-{year}-{next_number(PROPOSAL, year):04d}"
    proposal.save(update_fields=["reference"])
    proposal.thematic_priorities.set(priorities)
    audit.record(proposal, Kind.CREATED, actor, to_state=S.DRAFT)
    return proposal


def _current_values(proposal: Proposal) -> dict[str, Any]:
    values = {f: getattr(proposal, f) for f in EDITABLE_FIELDS if f != "thematic_priorities"}
    values["thematic_priorities"] = list(proposal.thematic_priorities.all())
    return values


@transaction.atomic
def proposal_update(*, proposal: Proposal, actor: User, **fields: Any) -> Proposal:
    """Change a draft (the proposer's delegation only); the changed fields go to the
    history."""
    proposal = locked(proposal)
    require(permissions.can_edit_proposal(actor, proposal))
    _refuse_unknown(fields)
    current = _current_values(proposal)
    values = {**current, **fields}
    errors = _check_fields(values, proposal.work_programme)
    if errors:
        raise DomainError(errors)
    scalar = [f for f in fields if f != "thematic_priorities"]
    for name in scalar:
        setattr(proposal, name, fields[name])
    proposal.save(update_fields=[*scalar, "updated_at"])
    if "thematic_priorities" in fields:
        proposal.thematic_priorities.set(fields["thematic_priorities"])
    changes = audit.diff(current, {k: values[k] for k in fields})
    if changes:
        audit.record(proposal, Kind.UPDATED, actor, changes=changes)
    return proposal


def missing_for_submission(proposal: Proposal) -> dict[str, list[str]]:
    """What a draft lacks before it can be submitted (section 2.2: "concrete in
    terms of scope, purpose, expected outcome and timespan")."""
    errors: dict[str, list[str]] = {}
    for name, label in (
        ("scope", _("the scope")),
        ("purpose", _("the purpose")),
        ("expected_outcome", _("the expected outcome")),
    ):
        if not getattr(proposal, name).strip():
            errors[name] = [_("Describe %(what)s.") % {"what": label}]
    if proposal.start_date is None:
        errors["start_date"] = [_("Give the start date.")]
    if proposal.end_date is None:
        errors["end_date"] = [_("Give the end date.")]
    elif proposal.start_date and proposal.end_date < proposal.start_date:
        errors["end_date"] = [_("The end date is before the start date.")]
    in_force = WorkProgramme.objects.in_force().values_list("pk", flat=True).first()
    if not proposal.thematic_priorities.filter(work_programme_id=in_force).exists():
        errors["thematic_priorities"] = [
            _("Link at least one thematic priority of the work programme in force.")
        ]
    if proposal.route == Proposal.Route.URGENT and not proposal.urgency_justification.strip():
        errors["urgency_justification"] = [_("Explain why the activity is urgent.")]
    if proposal.route == Proposal.Route.ANNUAL and proposal.year is None:
        errors["year"] = [_("Say which year's annual programme it should join.")]
    return errors


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor: User) -> Proposal:
    """Submit a complete draft; an urgent one goes straight to the Bureau's vote."""
    proposal = locked(proposal)
    require(permissions.can_submit_proposal(actor, proposal))
    missing = missing_for_submission(proposal)
    if missing:
        raise DomainError(missing)
    urgent = proposal.route == Proposal.Route.URGENT
    move(
        proposal,
        S.SUBMITTED,
        actor,
        submitted_at=timezone.now(),
        # Urgent proposals go to the Bureau's vote at once: no time for supports.
        support_deadline=None if urgent else default_support_deadline(timezone.localdate()),
    )
    if urgent:
        move(
            proposal,
            S.BUREAU_VOTE,
            actor,
            comment=_("Urgent: to the Bureau's vote."),
            by_the_portal=True,
            vote_deadline=timezone.localdate() + dt.timedelta(days=BUREAU_VOTE_DAYS),
        )
        bureau_recusals_record(proposal=proposal)
        notify("vote_needed", proposal)
    else:
        notify("submitted", proposal)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor: User, comment: str = "") -> Proposal:
    proposal = locked(proposal)
    require(permissions.can_withdraw_proposal(actor, proposal))
    withdrawn = move(proposal, S.WITHDRAWN, actor, comment)
    # Readers who no longer see it once withdrawn find it in the changes feed.
    tombstones.record_departure([withdrawn], tombstones.Reason.WITHDRAWN)
    return withdrawn


__all__ = [
    "BUREAU_VOTE_DAYS",
    "EDITABLE_FIELDS",
    "missing_for_submission",
    "proposal_create",
    "proposal_submit",
    "proposal_update",
    "proposal_withdraw",
]
