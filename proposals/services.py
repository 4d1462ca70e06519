"""Every change to a proposal: checked, in a transaction, recorded, notified on commit.

The proposal's status is written only by ``_transition``, along ``TRANSITIONS``.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activities import services as activity_services
from pompidou.errors import DomainError, PermissionDenied
from pompidou.lib.files import validate_document
from pompidou.sequences import PROPOSAL, next_number
from programme import roles
from programme.models import (
    AdoptionCriterion,
    BureauMandate,
    Meeting,
    MemberState,
    WorkProgramme,
)

from . import permissions, selectors
from .models import (
    HALF_POINTS,
    Assessment,
    BureauVote,
    CriterionScore,
    Decision,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    Support,
)

S = Proposal.Status
# The one table of allowed state changes (DESIGN.md: draft → submitted → under
# assessment → adopted / rejected / deferred; withdrawn from any open state;
# urgent ones submitted → Bureau vote → adopted / rejected).
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {
        S.UNDER_ASSESSMENT,
        S.BUREAU_VOTE,
        S.ADOPTED,
        S.REJECTED,
        S.DEFERRED,
        S.WITHDRAWN,
    },
    S.UNDER_ASSESSMENT: {S.ADOPTED, S.REJECTED, S.DEFERRED, S.WITHDRAWN},
    S.DEFERRED: {S.UNDER_ASSESSMENT, S.ADOPTED, S.REJECTED, S.WITHDRAWN},
    # Deferred: the voting deadline passed without a majority (next PC plenary).
    S.BUREAU_VOTE: {S.ADOPTED, S.REJECTED, S.DEFERRED, S.WITHDRAWN},
    S.ADOPTED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}

EDITABLE_FIELDS = (
    "title",
    "scope",
    "purpose",
    "expected_outcome",
    "start_date",
    "end_date",
    "thematic_priorities",
    "permanent_format",
    "estimated_cost",
    "route",
    "year",
    "urgency_justification",
    "human_rights_statement",
    "gender_statement",
)


def _eur(amount: Decimal) -> str:
    return f"{amount:,.0f}"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _notify(kind: str, proposal: Proposal, **extra: Any) -> None:
    from .tasks import notify_proposal

    transaction.on_commit(lambda: notify_proposal.delay(kind, proposal.pk, **extra))


def _event(proposal: Proposal, actor, kind: str, comment: str = "", **statuses) -> None:
    ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        comment=comment,
        from_status=statuses.get("from_status", ""),
        to_status=statuses.get("to_status", ""),
    )


def _transition(proposal: Proposal, to: str, actor, comment: str = "", **fields) -> Proposal:
    """Move the proposal to ``to``; the only writer of ``status``.

    The update is conditional on the status read, so of two concurrent changes
    only one lands; the other gets a clear error.
    """
    old = proposal.status
    if to not in TRANSITIONS[old]:
        raise DomainError(
            _("A proposal that is %(old)s cannot become %(new)s.")
            % {"old": Proposal.Status(old).label.lower(), "new": Proposal.Status(to).label.lower()},
            field="status",
        )
    changed = Proposal.objects.filter(pk=proposal.pk, status=old).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if changed != 1:
        raise DomainError(_("The proposal was changed meanwhile; reload it and try again."))
    proposal.status = to
    for name, value in fields.items():
        setattr(proposal, name, value)
    _event(proposal, actor, "status", comment, from_status=old, to_status=to)
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _work_programme_in_force() -> WorkProgramme:
    wp = WorkProgramme.objects.in_force().first()
    if wp is None:
        raise DomainError(_("No work programme is in force: proposals cannot be made."))
    return wp


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


def _bureau_mandate_for(actor, values) -> BureauMandate | None:
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
    *, actor, member_state: MemberState | None = None, as_bureau: bool = False, **fields
) -> Proposal:
    """A PC drafts for their own delegation; a Bureau member may also propose in
    the areas they supervise (``as_bureau``)."""
    _require(
        permissions.can_draft_proposal(actor),
        _("Only Permanent Correspondents and Bureau members draft proposals."),
    )
    r = roles.roles_of(actor)
    if member_state is not None and member_state.pk != r.member_state_id:
        raise DomainError(
            _("You draft proposals for your own delegation (%(code)s) only.")
            % {"code": r.member_state_code},
            field="member_state",
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
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
        member_state_id=r.member_state_id,
        proposer=actor,
        bureau_mandate=mandate,
        **values,
    )
    year = proposal.created_at.year
    proposal.reference = f"PR-{year}-{next_number(PROPOSAL, year):04d}"
    proposal.save(update_fields=["reference"])
    proposal.thematic_priorities.set(priorities)
    _event(proposal, actor, "created", to_status=S.DRAFT)
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, actor, **fields) -> Proposal:
    """Change a draft (the proposer's delegation only)."""
    proposal = _locked(proposal)
    _require(
        permissions.can_edit_proposal(actor, proposal),
        _("Only the proposing delegation changes its proposal, and only while it is a draft."),
    )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    current = {f: getattr(proposal, f) for f in EDITABLE_FIELDS if f != "thematic_priorities"}
    current["thematic_priorities"] = list(proposal.thematic_priorities.all())
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
def proposal_submit(*, proposal: Proposal, actor) -> Proposal:
    """Submit a complete draft; an urgent one goes straight to the Bureau's vote."""
    proposal = _locked(proposal)
    _require(
        permissions.can_submit_proposal(actor, proposal)
        or (proposal.status != S.DRAFT and permissions._same_delegation(actor, proposal)),
        _("Only the proposing delegation submits its proposal."),
    )
    if proposal.status != S.DRAFT:
        raise DomainError(
            _("The proposal is already %(status)s.")
            % {"status": proposal.get_status_display().lower()},
            field="status",
        )
    missing = missing_for_submission(proposal)
    if missing:
        raise DomainError(missing)
    _transition(proposal, S.SUBMITTED, actor, submitted_at=timezone.now())
    if proposal.route == Proposal.Route.URGENT:
        _transition(
            proposal,
            S.BUREAU_VOTE,
            actor,
            comment=_("Urgent: to the Bureau's vote."),
            vote_deadline=timezone.localdate() + dt.timedelta(days=BUREAU_VOTE_DAYS),
        )
        _notify("vote_needed", proposal)
    else:
        _notify("submitted", proposal)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor, comment: str = "") -> Proposal:
    proposal = _locked(proposal)
    _require(
        permissions._same_delegation(actor, proposal),
        _("Only the proposing delegation withdraws its proposal."),
    )
    if not proposal.is_open:
        raise DomainError(
            _("The proposal is %(status)s; it can no longer be withdrawn.")
            % {"status": proposal.get_status_display().lower()},
            field="status",
        )
    return _transition(proposal, S.WITHDRAWN, actor, comment)


# --- attachments ----------------------------------------------------------------


@transaction.atomic
def attachment_add(*, proposal: Proposal, actor, file, title: str = "") -> ProposalAttachment:
    """Attach a document (PDF or Word, at most 10 MB: the rule of an activity's terms
    of reference) to a draft; its title defaults to the file's name."""
    proposal = _locked(proposal)
    _require(
        permissions.can_edit_proposal(actor, proposal),
        _("Only the proposing delegation adds documents, and only while it is a draft."),
    )
    if file is None:
        raise DomainError(_("Choose a file to attach."), field="file")
    try:
        validate_document(file)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="file") from exc
    title = (title or "").strip() or file.name.rsplit("/", 1)[-1]
    if len(title) > 200:
        raise DomainError(_("Keep the title under 200 characters."), field="title")
    attachment = ProposalAttachment.objects.create(
        proposal=proposal, file=file, title=title, uploaded_by=actor
    )
    _event(proposal, actor, "attachment", comment=title)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ProposalAttachment, actor) -> None:
    """Take a document off a draft (the file goes with it)."""
    proposal = _locked(attachment.proposal)
    _require(
        permissions.can_edit_proposal(actor, proposal),
        _("Only the proposing delegation removes documents, and only while it is a draft."),
    )
    title, stored = attachment.title, attachment.file
    attachment.delete()
    _event(proposal, actor, "attachment_removed", comment=title)
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


# --- supports -------------------------------------------------------------------


def supports_open(proposal: Proposal) -> bool:
    """Supports are given and taken back while the proposal is submitted or under
    assessment (until a decision)."""
    return proposal.status in (S.SUBMITTED, S.UNDER_ASSESSMENT)


@transaction.atomic
def support_add(
    *, proposal: Proposal, actor, member_state: MemberState | None = None, note: str = ""
) -> Support:
    """Another delegation co-sponsors the proposal (criterion 1)."""
    _require(
        permissions.can_support_proposals(actor),
        _("Only Permanent Correspondents support proposals."),
    )
    proposal = _locked(proposal)
    r = roles.roles_of(actor)
    if r.is_secretariat:
        if member_state is None:
            raise DomainError(_("Say which delegation's support you record."), field="member_state")
    else:
        if member_state is not None and member_state.pk != r.member_state_id:
            raise DomainError(
                _("You support proposals for your own delegation only."), field="member_state"
            )
        member_state = MemberState.objects.get(pk=r.member_state_id)
    if member_state.pk == proposal.member_state_id:
        raise DomainError(
            _(
                "%(state)s proposed this activity; criterion 1 asks for the support of another "
                "delegation."
            )
            % {"state": member_state.name},
            field="member_state",
        )
    if proposal.status not in (S.SUBMITTED, S.UNDER_ASSESSMENT):
        raise DomainError(
            _(
                "Supports are given while a proposal is submitted or under "
                "assessment; this one is %(status)s."
            )
            % {"status": proposal.get_status_display().lower()},
            field="status",
        )
    if proposal.supports.filter(member_state=member_state).exists():
        raise DomainError(
            _("%(state)s already supports this proposal.") % {"state": member_state.name},
            field="member_state",
        )
    try:
        with transaction.atomic():
            support = Support.objects.create(
                proposal=proposal, member_state=member_state, supporter=actor, note=note
            )
    except IntegrityError as exc:  # the same delegation twice at the same moment
        raise DomainError(
            _("%(state)s already supports this proposal.") % {"state": member_state.name},
            field="member_state",
        ) from exc
    _event(proposal, actor, "support", comment=member_state.name)
    _notify("supported", proposal, state=member_state.code)
    return support


@transaction.atomic
def support_withdraw(*, support: Support, actor) -> None:
    """A delegation takes back its support, until a decision."""
    proposal = _locked(support.proposal)
    _require(
        permissions.can_withdraw_support(actor, support),
        _("Only the supporting delegation withdraws its support."),
    )
    if not supports_open(proposal):
        raise DomainError(
            _("The proposal has been decided; supports can no longer change."), field="status"
        )
    name = support.member_state.name
    support.delete()
    _event(proposal, actor, "support_withdrawn", comment=name)


# --- assessment -------------------------------------------------------------------

ASSESSMENT_WEEKS = 3


def default_due_date(today: dt.date) -> dt.date:
    return today + dt.timedelta(weeks=ASSESSMENT_WEEKS)


@transaction.atomic
def assessor_assign(
    *, proposal: Proposal, assessor, actor, due_date: dt.date | None = None
) -> Assessment:
    """Invite an assessor, with the date the assessment is due (by default
    ``ASSESSMENT_WEEKS`` weeks from today)."""
    _require(permissions.can_assign_assessors(actor), _("Only the Secretariat assigns assessors."))
    proposal = _locked(proposal)
    today = timezone.localdate()
    if due_date is None:
        due_date = default_due_date(today)
    elif due_date < today:
        raise DomainError(_("The due date cannot be in the past."), field="due_date")
    name = assessor.get_full_name() or assessor.username
    if proposal.route == Proposal.Route.URGENT:
        raise DomainError(_("Urgent proposals are decided by the Bureau's vote, not assessed."))
    if proposal.status not in (S.SUBMITTED, S.UNDER_ASSESSMENT, S.DEFERRED):
        raise DomainError(
            _("Assessors are assigned to submitted proposals; this one is %(status)s.")
            % {"status": proposal.get_status_display().lower()},
            field="status",
        )
    if not permissions.may_assess(assessor):
        raise DomainError(
            _(
                "%(name)s cannot assess: assessors are Secretariat staff, Bureau "
                "members and experts."
            )
            % {"name": name},
            field="username",
        )
    if permissions.has_conflict_of_interest(assessor, proposal):
        raise DomainError(
            _(
                "%(name)s belongs to the proposing delegation (%(state)s): nobody "
                "assesses a proposal of their own member state."
            )
            % {"name": name, "state": proposal.member_state.name},
            field="username",
        )
    if proposal.assessments.filter(assessor=assessor).exists():
        raise DomainError(
            _("%(name)s already assesses this proposal.") % {"name": name}, field="username"
        )
    assessment = Assessment.objects.create(
        proposal=proposal, assessor=assessor, assigned_by=actor, due_date=due_date
    )
    _event(proposal, actor, "assessor", comment=name)
    if proposal.status != S.UNDER_ASSESSMENT:
        _transition(proposal, S.UNDER_ASSESSMENT, actor)
    _notify("assessment_assigned", proposal, assessor=assessor.pk)
    return assessment


def scored_criteria(proposal: Proposal):
    return AdoptionCriterion.objects.filter(
        work_programme_id=proposal.work_programme_id, computed=False
    ).order_by("number")


@transaction.atomic
def assessment_save(
    *, assessment: Assessment, actor, scores: list[dict], submit: bool = False, comment: str = ""
) -> Assessment:
    """Save an assessor's scores: a draft keeps whatever is filled (an item whose
    score is None clears that criterion); ``submit`` makes it final.

    Each score is 0–5 in half points. On submission only: every scored criterion
    has a score, and every score below 3 has a comment. A submitted assessment is
    final.
    """
    assessment = (
        Assessment.objects.select_for_update().select_related("proposal").get(pk=assessment.pk)
    )
    _require(
        assessment.assessor_id == getattr(actor, "pk", None),
        _("Only the assigned assessor fills in this assessment."),
    )
    if assessment.status == Assessment.Status.SUBMITTED:
        raise DomainError(_("This assessment was submitted and is final."), field="status")
    if assessment.proposal.status != S.UNDER_ASSESSMENT:
        raise DomainError(_("The proposal is no longer under assessment."), field="status")
    criteria = {c.pk: c for c in scored_criteria(assessment.proposal)}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, tuple[Decimal | None, str]] = {}
    keys: dict[int, str] = {}
    for index, item in enumerate(scores):
        key = f"scores[{index}]"
        criterion_id = item.get("criterion")
        criterion_id = getattr(criterion_id, "pk", criterion_id)
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors[key] = [
                _(
                    "Criterion %(c)s is not scored by hand (criterion 1 is computed "
                    "from supports) or is not one of this work programme."
                )
                % {"c": criterion_id}
            ]
            continue
        label = _("criterion %(n)s") % {"n": criterion.number}
        if criterion.pk in cleaned:
            errors[key] = [_("%(c)s is scored twice.") % {"c": label}]
            continue
        raw = item.get("score")
        text = (item.get("comment") or "").strip()
        if raw is None:
            cleaned[criterion.pk] = (None, text)
            keys[criterion.pk] = key
            continue
        try:
            score = Decimal(str(raw))
        except (InvalidOperation, TypeError):
            errors[key] = [_("The score of %(c)s must be a number.") % {"c": label}]
            continue
        if score not in HALF_POINTS:
            errors[key] = [
                _("The score of %(c)s must be between 0 and 5, in half points.") % {"c": label}
            ]
            continue
        cleaned[criterion.pk] = (score, text)
        keys[criterion.pk] = key
    if submit and not errors:
        # The rules of a final assessment apply to what it will hold: the saved
        # scores overlaid with this request's.
        final = {
            s.criterion_id: (s.score, s.comment.strip())
            for s in assessment.scores.filter(criterion_id__in=criteria)
        }
        final.update(cleaned)
        missing = [c.number for pk, c in criteria.items() if final.get(pk, (None, ""))[0] is None]
        if missing:
            errors["scores"] = [
                _("Score every criterion before submitting; missing: %(m)s.")
                % {"m": ", ".join(str(n) for n in missing)}
            ]
        for pk, c in criteria.items():
            score, text = final.get(pk, (None, ""))
            if score is not None and score < 3 and not text:
                errors.setdefault(keys.get(pk, "scores"), []).append(
                    _("Explain the score below 3 on %(c)s in a comment.")
                    % {"c": _("criterion %(n)s") % {"n": c.number}}
                )
    if errors:
        raise DomainError(errors)
    for criterion_id, (score, text) in cleaned.items():
        if score is None:
            assessment.scores.filter(criterion_id=criterion_id).delete()
            continue
        CriterionScore.objects.update_or_create(
            assessment=assessment,
            criterion_id=criterion_id,
            defaults={"score": score, "comment": text},
        )
    if submit:
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["status", "submitted_at", "updated_at"])
        proposal = assessment.proposal
        _event(proposal, actor, "assessed", comment=actor.get_full_name() or actor.username)
        if not proposal.assessments.filter(status=Assessment.Status.DRAFT).exists():
            _notify("fully_assessed", proposal)
    else:
        assessment.save(update_fields=["updated_at"])
    return assessment


# --- decisions and votes ----------------------------------------------------------


def _adopt(proposal: Proposal, actor, route: str, source: str) -> None:
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
    _transition(proposal, S.ADOPTED, actor, activity=activity)
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
    actor,
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
    _require(
        permissions.can_record_decision(actor),
        _("The Secretariat records the decisions of the Permanent Correspondents."),
    )
    proposal = _locked(proposal)
    errors: dict[str, list[str]] = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = [_("The outcome is adopted, rejected or deferred.")]
    if not rationale.strip():
        errors["rationale"] = [_("Give the rationale of the decision.")]
    if meeting is not None and meeting.kind != Meeting.Kind.PC_PLENARY:
        errors["meeting"] = [_("Choose the Permanent Correspondents' meeting that decided.")]
    if errors:
        raise DomainError(errors)
    if proposal.status == S.BUREAU_VOTE:
        raise DomainError(
            _("This urgent proposal is being decided by the Bureau's vote."), field="status"
        )
    if proposal.status not in (S.SUBMITTED, S.UNDER_ASSESSMENT, S.DEFERRED):
        raise DomainError(
            _("The proposal is %(status)s; there is nothing to decide.")
            % {"status": proposal.get_status_display().lower()},
            field="status",
        )
    over_ceiling = False
    if outcome == Decision.Outcome.ADOPTED:
        budget = selectors.adoption_budget(proposal)
        over_ceiling = budget is not None and budget.over_ceiling
        if over_ceiling and not confirm_over_ceiling:
            raise DomainError(
                _(
                    "Adopting %(ref)s (%(cost)s EUR) takes the annual programme %(year)s "
                    "to %(after)s EUR, above its ceiling of %(ceiling)s EUR (%(committed)s "
                    "EUR already committed). Confirm adopting above the ceiling."
                )
                % {
                    "ref": proposal.reference,
                    "cost": _eur(budget.cost),
                    "year": budget.budget.year,
                    "after": _eur(budget.after),
                    "ceiling": _eur(budget.budget.ceiling),
                    "committed": _eur(budget.budget.committed),
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
        _adopt(proposal, actor, route, source=proposal.reference)
    else:
        _transition(proposal, outcome, actor, comment=rationale)
    _notify("decided", proposal)
    return decision


@dataclass(frozen=True)
class Tally:
    """The current Bureau's votes on an urgent proposal and what they decide."""

    approve: int
    reject: int
    abstain: int
    size: int

    @property
    def needed(self) -> int:
        """A majority of the current Bureau."""
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


def tally_votes(votes, members: set[int]) -> Tally:
    """``votes``: (voter id, vote) pairs; only current Bureau members count."""
    counts = dict.fromkeys(BureauVote.Vote.values, 0)
    for voter, vote in votes:
        if voter in members:
            counts[vote] += 1
    return Tally(counts["approve"], counts["reject"], counts["abstain"], len(members))


# How long the Bureau has to reach a majority on an urgent proposal.
BUREAU_VOTE_DAYS = 10


@transaction.atomic
def bureau_vote_refer(*, proposal: Proposal, today: dt.date | None = None) -> Decision | None:
    """Close a Bureau vote whose deadline passed without a majority: the proposal goes
    to the next PC plenary (deferred, with a Bureau decision citing that meeting when it
    is known). Returns None when the vote has meanwhile been decided or is still open."""
    today = today or timezone.localdate()
    proposal = _locked(proposal)
    if (
        proposal.status != S.BUREAU_VOTE
        or proposal.vote_deadline is None
        or proposal.vote_deadline >= today
    ):
        return None
    members = set(BureauMandate.objects.current().values_list("user", flat=True))
    tally = tally_votes(proposal.votes.values_list("voter_id", "vote"), members)
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
    _transition(proposal, S.DEFERRED, None, comment=rationale)
    _event(proposal, None, "referred", comment=rationale)
    _notify("decided", proposal)
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
def bureau_vote_cast(*, proposal: Proposal, actor, vote: str, comment: str = "") -> BureauVote:
    """A current Bureau member votes on an urgent proposal (and may change the vote
    until the outcome). A majority of the current Bureau approving adopts it; once
    rejections make a majority impossible, it is rejected. The proposal row is
    locked, so the outcome is reached exactly once even when the last votes arrive
    together."""
    _require(permissions.can_vote(actor), _("Only current Bureau members vote."))
    proposal = _locked(proposal)
    if vote not in BureauVote.Vote.values:
        raise DomainError(_("Vote approve, reject or abstain."), field="vote")
    if proposal.route != Proposal.Route.URGENT:
        raise DomainError(_("The Bureau votes on urgent proposals only."), field="status")
    if proposal.status != S.BUREAU_VOTE:
        raise DomainError(
            _("The vote is closed: the proposal is %(status)s.")
            % {"status": proposal.get_status_display().lower()},
            field="status",
        )
    ballot, _created = BureauVote.objects.update_or_create(
        proposal=proposal, voter=actor, defaults={"vote": vote, "comment": comment}
    )
    _event(proposal, actor, "vote", comment=vote)
    members = set(BureauMandate.objects.current().values_list("user", flat=True))
    tally = tally_votes(proposal.votes.values_list("voter_id", "vote"), members)
    outcome = tally.outcome
    if outcome:
        rationale = _("Bureau vote: %(a)s approve, %(r)s reject, %(x)s abstain, of %(n)s.") % {
            "a": tally.approve,
            "r": tally.reject,
            "x": tally.abstain,
            "n": tally.size,
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
            _adopt(proposal, actor, Proposal.Route.URGENT, source=proposal.reference)
        else:
            _transition(proposal, S.REJECTED, actor, comment=rationale)
        _notify("decided", proposal)
    return ballot
