"""Putting an adopted work programme in force and handing over to it (issue 18).

One service call, one transaction: the programme in force is closed and the new one
put in force (programme.handover.programme_enforce), the running activities the
Secretariat carries over move to it with their new priorities and format
(activities.handover), and every open proposal is either moved to it (priorities,
format, year mapped) or closed with a reason. Every row is checked before anything
is written, and every problem is reported by row and field: a DomainError writes
nothing. It lives here, in the highest layer it changes (programme ← activities ←
proposals), so that no app imports one above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from activities import handover as activity_handover
from activities.handover import ActivityRow
from activities.models import Activity
from pompidou import notices
from pompidou.errors import DomainError
from pompidou.rules import require
from programme import permissions as programme_permissions
from programme import roles
from programme.handover import (
    Mapping,
    confirm_list,
    field_key,
    programme_enforce,
    remap,
    row_key,
)
from programme.models import AdoptionCriterion, PermanentFormat, ThematicPriority, WorkProgramme

from .models import CriterionScore, Proposal
from .workflow import PROPOSAL_WORKFLOW, group

KIND = "proposal"
MOVE, CLOSE = "move", "close"
NOTICE_KIND = "programme_handover"

__all__ = ["ActivityRow", "ProposalRow", "open_proposals", "programme_put_in_force"]


@dataclass(frozen=True)
class ProposalRow:
    """What the Secretariat decided for one open proposal: ``move`` it to the new
    programme (its priorities, format and, for the annual route, year there) or
    ``close`` it with a reason."""

    proposal: int
    action: str
    thematic_priorities: Sequence[int] = field(default_factory=tuple)
    permanent_format: int | None = None
    year: int | None = None
    reason: str = ""


def open_proposals(programme: WorkProgramme) -> QuerySet[Proposal]:
    """The proposals of ``programme`` still open (the workflow's "open" group), with what
    the hand-over page shows of each, and how many assessments each has (their scores
    move with it to the new programme's criteria)."""
    return (
        Proposal.objects.filter(work_programme=programme, status__in=group("open"))
        .select_related("member_state", "permanent_format")
        .prefetch_related("thematic_priorities")
        .annotate(n_assessments=Count("assessments"))
        .order_by("reference", "pk")
    )


def _proposal_errors(
    *, old: WorkProgramme | None, new: WorkProgramme, rows: list[ProposalRow]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    pending = {
        p.pk: p
        for p in (
            Proposal.objects.select_for_update().filter(
                work_programme=old, status__in=group("open")
            )
            if old is not None
            else []
        )
    }
    scored: dict[int, set[int]] = {}
    for pk, number in CriterionScore.objects.filter(
        assessment__proposal__in=list(pending)
    ).values_list("assessment__proposal", "criterion__number"):
        scored.setdefault(pk, set()).add(number)
    criteria = set(
        AdoptionCriterion.objects.filter(work_programme=new).values_list("number", flat=True)
    )
    errors, matched = confirm_list(
        KIND,
        pending,
        rows,
        gone=_(
            "Proposal %(id)s is no longer an open proposal of the programme in force: it was "
            "changed meanwhile. Reload the page."
        ),
        added=lambda p: (
            _("%(ref)s was opened meanwhile: reload the page and move it or close it.")
            % {"ref": p.reference or p.title}
        ),
    )
    mapping = Mapping.of(new)
    for row, proposal in matched:
        ref = proposal.reference or proposal.title
        if row.action == CLOSE:
            if not row.reason.strip():
                errors[row_key(KIND, proposal.pk, "reason")] = [
                    _("%(ref)s: say why the proposal is closed.") % {"ref": ref}
                ]
            continue
        if row.action != MOVE:
            errors[row_key(KIND, proposal.pk, "action")] = [
                _("%(ref)s: move it to the new programme or close it with a reason.") % {"ref": ref}
            ]
            continue
        missing = sorted(scored.get(proposal.pk, set()) - criteria)
        if missing:
            # Its scores move to the new programme's criteria of the same number (the
            # ranking reads the proposal's programme's criteria): each must exist.
            errors[row_key(KIND, proposal.pk, "action")] = [
                _(
                    "%(ref)s is scored on criteria %(numbers)s, which the new programme does "
                    "not have: decide it first, or close it with a reason."
                )
                % {"ref": ref, "numbers": ", ".join(map(str, missing))}
            ]
        # A draft is the delegation's to complete: it may move without a priority.
        errors |= mapping.errors(
            ref,
            field_key(KIND, proposal.pk),
            row.thematic_priorities,
            row.permanent_format,
            priority_required=proposal.status != Proposal.Status.DRAFT,
        )
        if proposal.route == Proposal.Route.ANNUAL and row.year not in new.years:
            errors[row_key(KIND, proposal.pk, "year")] = [
                _("%(ref)s: choose a year of the new programme (%(a)s–%(b)s).")
                % {"ref": ref, "a": new.first_year, "b": new.last_year}
            ]
    return errors


def _hand_over_proposals(
    *, old: WorkProgramme, new: WorkProgramme, rows: list[ProposalRow], by: Any
) -> list[Proposal]:
    proposals = (
        Proposal.objects.select_related("work_programme", "permanent_format")
        .prefetch_related("thematic_priorities")
        .in_bulk([r.proposal for r in rows])
    )
    moved = []
    for row in rows:
        proposal = proposals[row.proposal]
        if row.action == CLOSE:
            PROPOSAL_WORKFLOW.move(
                proposal,
                Proposal.Status.WITHDRAWN,
                by,
                comment=_("Closed at the hand-over to %(new)s: %(reason)s")
                % {"new": new.reference, "reason": row.reason.strip()},
                check_permission=False,  # the Secretariat's hand-over, checked above
            )
            continue
        fmt = PermanentFormat.objects.filter(pk=row.permanent_format or 0).first()
        chosen = list(ThematicPriority.objects.filter(pk__in=row.thematic_priorities))
        year = row.year if proposal.route == Proposal.Route.ANNUAL else proposal.year
        remap(
            proposal,
            new=new,
            fmt=fmt,
            priorities=chosen,
            by=by,
            comment=_("Moved from %(old)s to %(new)s.")
            % {"old": old.reference, "new": new.reference},
            year=year,
        )
        _move_scores(proposal, new)
        moved.append(proposal)
    return moved


def _move_scores(proposal: Proposal, new: WorkProgramme) -> None:
    """Its assessors' scores, to the new programme's criteria of the same number."""
    for number, pk in AdoptionCriterion.objects.filter(work_programme=new).values_list(
        "number", "pk"
    ):
        CriterionScore.objects.filter(
            assessment__proposal=proposal, criterion__number=number
        ).exclude(criterion_id=pk).update(criterion_id=pk)


def _delegation(member_state_id: int | None) -> QuerySet[Any]:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        profile__member_state=member_state_id, groups__name=roles.CORRESPONDENT, is_active=True
    )


def _notify(new: WorkProgramme, activities: list[Activity], proposals: list[Proposal]) -> None:
    """Each lead delegation of a moved activity, each proposing delegation of a moved
    proposal, hears of it in its inbox (and by e-mail, as each prefers)."""
    title = gettext_noop("%(ref)s moved to the work programme %(programme)s")
    with translation.override(settings.LANGUAGE_CODE):
        items = [
            (a.lead_member_state_id, a.reference, reverse("activities:detail", args=[a.reference]))
            for a in activities
        ] + [
            (p.member_state_id, p.reference or p.title, reverse("proposals:detail", args=[p.pk]))
            for p in proposals
        ]
    for state, ref, url in items:
        if state is not None:
            notices.notify(
                _delegation(state),
                NOTICE_KIND,
                title=title,
                params={"ref": ref, "programme": new.reference},
                url=url,
            )


@transaction.atomic
def programme_put_in_force(
    new: WorkProgramme,
    *,
    by: Any,
    activities: Iterable[ActivityRow] = (),
    proposals: Iterable[ProposalRow] = (),
) -> WorkProgramme:
    """Put the adopted programme ``new`` in force, close the one in force, carry over
    its running activities and move or close its open proposals, as confirmed row by
    row. All or nothing: any problem raises one DomainError keyed ``activity-<id>.<field>``
    / ``proposal-<id>.<field>`` (or ``status``) and writes nothing."""
    require(programme_permissions.can_move_programme(by, new))
    activity_rows, proposal_rows = list(activities), list(proposals)
    new = WorkProgramme.objects.select_for_update().get(pk=new.pk)
    old = (
        WorkProgramme.objects.select_for_update()
        .filter(status=WorkProgramme.Status.IN_FORCE)
        .first()
    )
    errors: dict[str, list[str]] = {}
    if new.status != WorkProgramme.Status.ADOPTED:
        errors["status"] = [
            _("Only an adopted work programme can be put in force; this one is %(status)s.")
            % {"status": new.get_status_display().lower()}
        ]
    errors |= activity_handover.carry_over_errors(old=old, new=new, rows=activity_rows)
    errors |= _proposal_errors(old=old, new=new, rows=proposal_rows)
    if errors:
        raise DomainError(errors)
    programme_enforce(programme=new, by=by)
    if old is not None:
        moved_activities = activity_handover.carry_over(old=old, new=new, rows=activity_rows, by=by)
        moved_proposals = _hand_over_proposals(old=old, new=new, rows=proposal_rows, by=by)
        _notify(new, moved_activities, moved_proposals)
    new.refresh_from_db()
    return new
