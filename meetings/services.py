"""Writes of meetings: the status, the agenda and the decisions recorded item by item.

Every proposal's decision goes through ``proposals.services.decision_record`` (its
rules, its budget-ceiling confirmation); every annual programme's adoption through
``activities.services.annual_programme_adopt``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from activities import services as activity_services
from activities.models import AnnualProgramme
from evaluation.models import EvaluationReport
from pompidou import audit
from pompidou.errors import DomainError
from pompidou.rules import require
from pompidou.tombstones import touch
from programme import roles
from programme.models import Meeting
from proposals import services as proposal_services
from proposals.models import Proposal
from proposals.workflow import PROPOSAL_WORKFLOW

from . import permissions
from .models import AgendaItem, Attendance, DecisionList
from .workflow import MEETING_WORKFLOW

K = AgendaItem.Kind
O = AgendaItem.Outcome  # noqa: E741

# What may be decided on each kind of item.
OUTCOMES: dict[str, tuple[str, ...]] = {
    K.PROPOSAL: (O.ADOPTED, O.REJECTED, O.DEFERRED),
    K.ANNUAL_PROGRAMME: (O.ADOPTED, O.DEFERRED),
    K.EVALUATION_REPORT: (O.NOTED, O.DEFERRED),
    K.FREE: (O.NOTED, O.ADOPTED, O.REJECTED, O.DEFERRED),
}

# Plenaries meet twice a year (work programme, 2.2): a next meeting created for a
# deferred item is dated six months on, for the Secretariat to set.
NEXT_MEETING_AFTER = dt.timedelta(days=182)


def _locked(meeting: Meeting) -> Meeting:
    """The meeting, locked for a change of its agenda or its record: its
    ``updated_at`` moves, so a syncing client fetches it again (pompidou/sync.py)."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    touch(Meeting, [locked.pk])
    return locked


def _next_position(meeting: Meeting) -> int:
    top = AgendaItem.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


@transaction.atomic
def meeting_move(*, meeting: Meeting, to: str, actor: User) -> Meeting:
    """Convene, hold, close (or reopen) a meeting."""
    require(permissions.can_manage_meeting(actor, meeting))
    return MEETING_WORKFLOW.move(meeting, to, actor)


def _check_proposal(meeting: Meeting, proposal: Proposal) -> str | None:
    """Why ``proposal`` cannot go on ``meeting``'s agenda, or None."""
    if meeting.kind != Meeting.Kind.PC_PLENARY:
        return _("Proposals are decided by the Permanent Correspondents in plenary.")
    if proposal.status not in PROPOSAL_WORKFLOW.group("decidable"):
        return _("%(ref)s is %(status)s; there is nothing to decide.") % {
            "ref": proposal.reference or proposal.title,
            "status": proposal.get_status_display().lower(),
        }
    return None


@transaction.atomic
def agenda_add_proposals(
    *, meeting: Meeting, proposals: Sequence[Proposal], actor: User
) -> list[AgendaItem]:
    """Put proposals ready for a decision on the agenda, in the order given (the
    ranking's); one already on it is refused with the others."""
    require(permissions.can_edit_agenda(actor, meeting))
    meeting = _locked(meeting)
    require(permissions.can_edit_agenda(actor, meeting))
    if not proposals:
        raise DomainError(_("Choose at least one proposal."), field="proposals")
    listed = set(
        AgendaItem.objects.filter(meeting=meeting, proposal__isnull=False).values_list(
            "proposal_id", flat=True
        )
    )
    errors = []
    for proposal in proposals:
        problem = _check_proposal(meeting, proposal)
        if problem is None and proposal.pk in listed:
            problem = _("%(ref)s is already on the agenda.") % {"ref": proposal.reference}
        if problem:
            errors.append(problem)
    if errors:
        raise DomainError({"proposals": errors})
    position = _next_position(meeting)
    items = []
    for offset, proposal in enumerate(proposals):
        items.append(
            AgendaItem.objects.create(
                meeting=meeting, position=position + offset, kind=K.PROPOSAL, proposal=proposal
            )
        )
    audit.record(
        meeting,
        audit.Kind.UPDATED,
        actor,
        changes={"agenda": [None, [p.reference for p in proposals]]},
    )
    return items


@transaction.atomic
def agenda_add_item(
    *,
    meeting: Meeting,
    kind: str,
    actor: User,
    title: str = "",
    annual_programme: AnnualProgramme | None = None,
    evaluation_report: EvaluationReport | None = None,
) -> AgendaItem:
    """Add the annual programme to adopt, an evaluation report to take note of, or a
    free item (its title)."""
    require(permissions.can_edit_agenda(actor, meeting))
    meeting = _locked(meeting)
    require(permissions.can_edit_agenda(actor, meeting))
    title = title.strip()
    if kind == K.ANNUAL_PROGRAMME:
        if annual_programme is None:
            raise DomainError(_("Choose the annual programme."), field="annual_programme")
        if meeting.kind != Meeting.Kind.PC_PLENARY:
            raise DomainError(
                _("Annual programmes are adopted by the Permanent Correspondents in plenary."),
                field="kind",
            )
    elif kind == K.EVALUATION_REPORT:
        if evaluation_report is None:
            raise DomainError(_("Choose the evaluation report."), field="evaluation_report")
    elif kind == K.FREE:
        if not title:
            raise DomainError(_("Give the item's title."), field="title")
    else:
        raise DomainError(_("Choose what kind of item to add."), field="kind")
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        kind=kind,
        title=title if kind == K.FREE else "",
        annual_programme=annual_programme if kind == K.ANNUAL_PROGRAMME else None,
        evaluation_report=evaluation_report if kind == K.EVALUATION_REPORT else None,
    )
    audit.record(meeting, audit.Kind.UPDATED, actor, changes={"agenda": [None, item.label]})
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, offset: int, actor: User) -> AgendaItem:
    """Move an item one place up (``offset=-1``) or down (``+1``)."""
    require(permissions.can_edit_agenda(actor, item.meeting))
    meeting = _locked(item.meeting)
    require(permissions.can_edit_agenda(actor, meeting))
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if index is None:
        raise DomainError(_("This item is no longer on the agenda."))
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(items):
        raise DomainError(_("The item is already at that end of the agenda."))
    items[index], items[target] = items[target], items[index]
    for position, it in enumerate(items, start=1):
        if it.position != position:
            AgendaItem.objects.filter(pk=it.pk).update(position=position)
            it.position = position
    return items[target]


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor: User) -> None:
    """Take an undecided item off the agenda."""
    require(permissions.can_edit_agenda(actor, item.meeting))
    _locked(item.meeting)
    if AgendaItem.objects.filter(pk=item.pk).exclude(outcome="").exists():
        raise DomainError(_("This item has been decided; it stays on the agenda."))
    label = item.label
    AgendaItem.objects.filter(pk=item.pk).delete()
    audit.record(item.meeting, audit.Kind.UPDATED, actor, changes={"agenda": [label, None]})


@dataclass(frozen=True)
class Entry:
    """What the Secretariat wrote for one item on the decisions screen."""

    item_id: int
    outcome: str
    conclusion: str = ""
    confirm_over_ceiling: bool = False


def next_draft_meeting(meeting: Meeting, actor: User | None = None) -> Meeting:
    """The next planned meeting of the same kind, after this one; created (numbered
    on, dated six months later, same place) when there is none yet, so a deferred
    item always has a draft agenda to land on."""
    found = (
        Meeting.objects.filter(
            kind=meeting.kind, status=Meeting.Status.PLANNED, date__gt=meeting.date
        )
        .order_by("date", "number")
        .first()
    )
    if found is not None:
        return found
    top = Meeting.objects.filter(kind=meeting.kind).aggregate(top=Max("number"))["top"] or 0
    created = Meeting.objects.create(
        kind=meeting.kind,
        number=top + 1,
        date=(meeting.end_date or meeting.date) + NEXT_MEETING_AFTER,
        place=meeting.place,
        status=Meeting.Status.PLANNED,
    )
    audit.record(created, audit.Kind.CREATED, actor, comment=str(meeting))
    return created


def _carry_over(item: AgendaItem, actor: User) -> AgendaItem:
    target = next_draft_meeting(item.meeting, actor)
    _locked(target)
    existing = AgendaItem.objects.filter(
        meeting=target, kind=item.kind, proposal=item.proposal
    ).first()
    if item.kind == K.PROPOSAL and existing is not None:
        return existing
    return AgendaItem.objects.create(
        meeting=target,
        position=_next_position(target),
        kind=item.kind,
        proposal=item.proposal,
        annual_programme=item.annual_programme,
        evaluation_report=item.evaluation_report,
        title=item.title,
        carried_from=item,
    )


def _decide(item: AgendaItem, entry: Entry, actor: User) -> None:
    """Record one item's decision (inside the caller's transaction)."""
    meeting = item.meeting
    if entry.outcome not in OUTCOMES[item.kind]:
        raise DomainError(
            _("Choose one of: %(outcomes)s.")
            % {"outcomes": ", ".join(str(O(o).label).lower() for o in OUTCOMES[item.kind])}
        )
    decision = None
    if item.kind == K.PROPOSAL:
        assert item.proposal is not None
        decision = proposal_services.decision_record(
            proposal=item.proposal,
            actor=actor,
            outcome=entry.outcome,
            meeting=meeting,
            rationale=entry.conclusion,
            confirm_over_ceiling=entry.confirm_over_ceiling,
        )
    elif item.kind == K.ANNUAL_PROGRAMME and entry.outcome == O.ADOPTED:
        assert item.annual_programme is not None
        activity_services.annual_programme_adopt(
            annual_programme=item.annual_programme, actor=actor, meeting=meeting
        )
    changed = AgendaItem.objects.filter(pk=item.pk, outcome="").update(
        outcome=entry.outcome, conclusion=entry.conclusion.strip(), decision=decision
    )
    if changed != 1:
        raise DomainError(_("This item was decided meanwhile; reload the page."))
    if entry.outcome == O.DEFERRED:
        _carry_over(item, actor)


@transaction.atomic
def decisions_record(
    *, meeting: Meeting, actor: User, entries: Iterable[Entry]
) -> list[AgendaItem]:
    """Record the decisions taken on several items at once: all of them, or none.

    Each item is tried in turn (a proposal through its own decision service, so an
    adoption over the budget ceiling still needs its confirmation); the problems of
    every item are gathered under ``item-<id>`` and then the whole is rolled back,
    so the screen shows each problem next to its item and nothing is half-written.
    Deferred items go on the next planned meeting's agenda.
    """
    require(permissions.can_record_meeting_decisions(actor, meeting))
    meeting = _locked(meeting)
    require(permissions.can_record_meeting_decisions(actor, meeting))
    chosen = [e for e in entries if e.outcome]
    if not chosen:
        raise DomainError(_("Choose the outcome of at least one item."))
    items = {
        it.pk: it
        for it in AgendaItem.objects.filter(
            meeting=meeting, pk__in=[e.item_id for e in chosen]
        ).select_related("proposal", "annual_programme", "evaluation_report", "meeting")
    }
    errors: dict[str, list[str]] = {}
    decided = []
    for entry in chosen:
        item = items.get(entry.item_id)
        key = f"item-{entry.item_id}"
        if item is None:
            errors[key] = [_("This item is not on the agenda of this meeting.")]
            continue
        if item.outcome:
            errors[key] = [_("This item has already been decided.")]
            continue
        try:
            with transaction.atomic():
                _decide(item, entry, actor)
        except DomainError as exc:
            for field, msgs in exc.errors.items():
                # The budget confirmation has its own box on the item's form.
                where = f"{key}.{field}" if field == "confirm_over_ceiling" else key
                errors.setdefault(where, []).extend(msgs)
            continue
        decided.append(item)
    if errors:
        raise DomainError(errors)
    return decided


def decision_list_compile(*, meeting: Meeting, actor: User) -> tuple[DecisionList, bool]:
    """Ask for the meeting's list of decisions as PDF and DOCX; returns (document,
    created). While one is queued or running, asking again returns it."""
    from .jobs import DECISION_LIST

    require(permissions.can_compile_decision_list(actor, meeting))
    return DECISION_LIST.request(actor=actor, meeting=meeting)


def decision_list_compile_retry(*, document: DecisionList, actor: User) -> DecisionList:
    from .jobs import DECISION_LIST

    require(permissions.can_compile_decision_list(actor, document.meeting))
    return DECISION_LIST.retry(document, actor=actor)


@transaction.atomic
def attendance_register(*, meeting: Meeting, actor: User, attendees: str) -> Attendance:
    """Record who attends for the actor's delegation (replacing what it said before)."""
    require(permissions.can_register_attendance(actor, meeting))
    state_id = roles.member_state_id_of(actor)
    names = [line.strip() for line in attendees.splitlines() if line.strip()]
    if not names:
        raise DomainError(_("Name at least one person who attends."), field="attendees")
    if any(len(name) > 200 for name in names):
        raise DomainError(_("Write one name per line."), field="attendees")
    attendance, created = Attendance.objects.update_or_create(
        meeting=meeting,
        member_state_id=state_id,
        defaults={"attendees": "\n".join(names), "registered_by": actor},
    )
    audit.record(
        meeting,
        audit.Kind.CREATED if created else audit.Kind.UPDATED,
        actor,
        changes={"attendance": [None, names]},
    )
    return attendance
