"""Assessment: the Secretariat invites assessors; each scores the proposal against
the adoption criteria (0–5 in half points), as a draft until submitted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pompidou.errors import DomainError
from pompidou.rules import require

from .. import permissions
from ..models import HALF_POINTS, Assessment, CriterionScore, Proposal
from ..selectors import scored_criteria
from ..workflow import ASSESSMENT_WORKFLOW
from .base import Kind, S, locked, move, name_of, notify, record

ASSESSMENT_WEEKS = 3


def default_due_date(today: dt.date) -> dt.date:
    return today + dt.timedelta(weeks=ASSESSMENT_WEEKS)


@transaction.atomic
def assessor_assign(
    *, proposal: Proposal, assessor: User, actor: User, due_date: dt.date | None = None
) -> Assessment:
    """Invite an assessor, with the date the assessment is due (by default
    ``ASSESSMENT_WEEKS`` weeks from today)."""
    require(permissions.can_assign_assessors(actor))
    proposal = locked(proposal)
    today = timezone.localdate()
    if due_date is None:
        due_date = default_due_date(today)
    elif due_date < today:
        raise DomainError(_("The due date cannot be in the past."), field="due_date")
    require(permissions.can_assign_assessors(actor, proposal))
    eligible = permissions.can_be_assessor(assessor, proposal)
    if not eligible:
        raise DomainError(str(eligible.reason), field="username")
    name = name_of(assessor)
    if proposal.assessments.filter(assessor=assessor).exists():
        raise DomainError(
            _("%(name)s already assesses this proposal.") % {"name": name}, field="username"
        )
    assessment = Assessment.objects.create(
        proposal=proposal, assessor=assessor, assigned_by=actor, due_date=due_date
    )
    record(proposal, Kind.ASSESSOR_ASSIGNED, actor, assessor=[None, name])
    if proposal.status != S.UNDER_ASSESSMENT:
        move(proposal, S.UNDER_ASSESSMENT, actor)
    notify("assessment_assigned", proposal, assessor=assessor.pk)
    return assessment


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    actor: User,
    scores: list[dict],
    submit: bool = False,
    comment: str = "",
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
    require(permissions.can_fill_assessment(actor, assessment))
    criteria = {c.pk: c for c in scored_criteria(assessment.proposal)}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, tuple[Decimal | None, str]] = {}
    keys: dict[int, str] = {}
    for index, item in enumerate(scores):
        key = f"scores[{index}]"
        # An id, or the criterion itself (the page's form); anything else is not found.
        criterion_id: Any = item.get("criterion")
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
            mark = Decimal(str(raw))
        except (InvalidOperation, TypeError):
            errors[key] = [_("The score of %(c)s must be a number.") % {"c": label}]
            continue
        if mark not in HALF_POINTS:
            errors[key] = [
                _("The score of %(c)s must be between 0 and 5, in half points.") % {"c": label}
            ]
            continue
        cleaned[criterion.pk] = (mark, text)
        keys[criterion.pk] = key
    if submit and not errors:
        # The rules of a final assessment apply to what it will hold: the saved
        # scores overlaid with this request's.
        final: dict[int, tuple[Decimal | None, str]] = {
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
        ASSESSMENT_WORKFLOW.move(
            assessment, Assessment.Status.SUBMITTED, actor, submitted_at=timezone.now()
        )
        proposal = assessment.proposal
        record(proposal, Kind.ASSESSMENT_SUBMITTED, actor)
        if not proposal.assessments.filter(status=Assessment.Status.DRAFT).exists():
            notify("fully_assessed", proposal)
    else:
        assessment.save(update_fields=["updated_at"])
    return assessment
