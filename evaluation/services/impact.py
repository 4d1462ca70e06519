"""Initial impact of an activity, recorded by the Secretariat."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import Activity
from pompidou import audit
from pompidou.errors import DomainError
from pompidou.lib.files import original_name, validate_document
from pompidou.rules import require

from .. import permissions
from ..models import ImpactAssessment


@transaction.atomic
def impact_assessment_record(
    *,
    activity: Activity,
    actor: User,
    date: dt.date,
    method: str,
    findings: str,
    rating: int,
    evidence: Any = None,
) -> ImpactAssessment:
    """Record how an activity's impact was assessed, what was found and its rating."""
    require(permissions.can_record_impact(actor, activity))
    errors: dict[str, list[str]] = {}
    if not method.strip():
        errors["method"] = [_("Say how the impact was assessed.")]
    if not findings.strip():
        errors["findings"] = [_("Write the findings.")]
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = [_("Rate from 1 to 5.")]
    if date is None:
        errors["date"] = [_("Give the date.")]
    if evidence:
        try:
            validate_document(evidence)
        except ValidationError as exc:
            errors["evidence"] = list(exc.messages)
    if errors:
        raise DomainError(errors)
    assessment = ImpactAssessment.objects.create(
        activity=activity,
        date=date,
        method=method,
        findings=findings,
        rating=rating,
        evidence=evidence or "",
        evidence_name=original_name(evidence) if evidence else "",
        recorded_by=actor,
    )
    audit.record(assessment, audit.Kind.CREATED, actor, changes={"rating": [None, rating]})
    return assessment
