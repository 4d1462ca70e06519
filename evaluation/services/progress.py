"""Progress reports: filed by the lead member state, changed until accepted, reviewed
by the supervising Bureau member, accepted by the Secretariat."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity
from pompidou import audit
from pompidou.errors import DomainError
from pompidou.rules import require

from .. import periods, permissions
from ..models import ProgressReport
from ..workflow import REPORT_REVIEW
from ._common import decimal_or_error, unknown_fields

# The fields a report's authors write: the service, the form and the serializer read
# this one list.
REPORT_FIELDS = ProgressReport.EDITABLE_FIELDS


def _check_report(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if values.get("status") not in ProgressReport.Status.values:
        errors["status"] = [_("Choose on track, at risk or off track.")]
    percent = values.get("percent_complete")
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        errors["percent_complete"] = [_("The percentage is a whole number from 0 to 100.")]
    if not (values.get("narrative") or "").strip():
        errors["narrative"] = [_("Say in a few sentences how the activity is going.")]
    decimal_or_error(values.get("budget_spent", 0), "budget_spent", errors, Decimal("0"))


def _exists_already(period: str) -> str:
    return _("A report for %(period)s exists already; edit it instead.") % {"period": period}


@transaction.atomic
def progress_report_file(
    *, activity: Activity, actor: User, period: str, **fields: Any
) -> ProgressReport:
    """File the report of a half-year (one per activity and period)."""
    require(permissions.can_file_progress_report(actor, activity))
    errors: dict[str, list[str]] = {}
    try:
        start, end = periods.bounds(period)
    except DomainError as exc:
        errors.update(exc.errors)
    else:
        if end < activity.start_date or start > activity.end_date:
            errors["period"] = [
                _("%(ref)s does not run in %(period)s.")
                % {"ref": activity.reference, "period": period}
            ]
        elif ProgressReport.objects.filter(activity=activity, period=period).exists():
            errors["period"] = [_exists_already(period)]
    values = {"achievements": "", "budget_spent": Decimal("0"), **fields}
    if set(values) - set(REPORT_FIELDS):
        errors["__all__"] = [unknown_fields(set(values), REPORT_FIELDS)]
    _check_report(values, errors)
    if errors:
        raise DomainError(errors)
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                activity=activity, period=period, submitted_by=actor, **values
            )
    except IntegrityError as exc:  # the same period filed twice at once
        raise DomainError(_exists_already(period), field="period") from exc
    audit.record(report, audit.Kind.CREATED, actor)
    return report


@transaction.atomic
def progress_report_update(*, report: ProgressReport, actor: User, **fields: Any) -> ProgressReport:
    """Change a report's figures and text; no longer once accepted."""
    report = ProgressReport.objects.select_for_update().select_related("activity").get(pk=report.pk)
    require(permissions.can_edit_progress_report(actor, report), field="status")
    if set(fields) - set(REPORT_FIELDS):
        raise DomainError(unknown_fields(set(fields), REPORT_FIELDS))
    before = {f: getattr(report, f) for f in REPORT_FIELDS}
    values = before | fields
    errors: dict[str, list[str]] = {}
    _check_report(values, errors)
    if errors:
        raise DomainError(errors)
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    changes = audit.diff(before, {f: getattr(report, f) for f in REPORT_FIELDS})
    if changes:
        audit.record(report, audit.Kind.UPDATED, actor, changes=changes)
    return report


@transaction.atomic
def progress_report_review(*, report: ProgressReport, actor: User, comment: str) -> ProgressReport:
    """The supervising Bureau member's review of a report (amendable until accepted)."""
    report = ProgressReport.objects.select_related("activity").get(pk=report.pk)
    require(permissions.can_review_progress_report(actor, report))
    if not comment.strip():
        raise DomainError(_("Write the review."), field="comment")
    REPORT_REVIEW.move(
        report,
        ProgressReport.Review.REVIEWED,
        actor,
        comment=comment,
        check_permission=False,
        reviewer_comment=comment,
        reviewed_by=actor,
    )
    return report


@transaction.atomic
def progress_report_accept(*, report: ProgressReport, actor: User) -> ProgressReport:
    """The Secretariat accepts a report; from then on it no longer changes."""
    report = ProgressReport.objects.select_related("activity").get(pk=report.pk)
    require(permissions.can_accept_progress_report(actor, report))
    REPORT_REVIEW.move(
        report,
        ProgressReport.Review.ACCEPTED,
        actor,
        check_permission=False,
        accepted_by=actor,
        accepted_at=timezone.now(),
    )
    return report
