"""Compiled evaluation reports: asked for by the Secretariat, built by a Celery worker.
(The job wrapper shared with the annual programme is ``pompidou.jobs``.)"""

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from pompidou.errors import DomainError
from pompidou.rules import require
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from .. import permissions
from ..models import EvaluationReport


def evaluation_report_compile(
    *,
    actor: User,
    work_programme: WorkProgramme,
    first_year: int,
    last_year: int,
    scope: str = "all",
    priority: ThematicPriority | None = None,
    format: PermanentFormat | None = None,
) -> tuple[EvaluationReport, bool]:
    """Ask for the evaluation report of a period and scope; returns (report, created).

    While the same report is queued or running, asking again returns it.
    """
    from ..jobs import EVALUATION_REPORT

    require(permissions.can_compile_evaluation_reports(actor))
    errors: dict[str, list[str]] = {}
    years = work_programme.years
    if first_year not in years or last_year not in years:
        errors["first_year"] = [
            _("Choose years within %(a)s–%(b)s.")
            % {"a": work_programme.first_year, "b": work_programme.last_year}
        ]
    elif last_year < first_year:
        errors["last_year"] = [_("The last year is before the first.")]
    if scope not in EvaluationReport.Scope.values:
        errors["scope"] = [_("Choose the whole programme, a priority or a format.")]
    if scope == "priority" and (
        priority is None or priority.work_programme_id != work_programme.pk
    ):
        errors["priority"] = [_("Choose a thematic priority of the work programme.")]
    if scope == "format" and (format is None or format.work_programme_id != work_programme.pk):
        errors["format"] = [_("Choose an activity format of the work programme.")]
    if errors:
        raise DomainError(errors)
    priority = priority if scope == "priority" else None
    format = format if scope == "format" else None
    key = (
        f"{work_programme.pk}:{first_year}-{last_year}:{scope}:"
        f"{getattr(priority, 'pk', '')}:{getattr(format, 'pk', '')}"
    )
    return EVALUATION_REPORT.request(
        actor=actor,
        key=key,
        work_programme=work_programme,
        first_year=first_year,
        last_year=last_year,
        scope=scope,
        priority=priority,
        format=format,
    )


def evaluation_report_retry(*, report: EvaluationReport, actor: User) -> EvaluationReport:
    from ..jobs import EVALUATION_REPORT

    require(permissions.can_compile_evaluation_reports(actor))
    return EVALUATION_REPORT.retry(report, actor=actor)


def evaluation_report_run(report_id: int) -> str:
    """Compile one evaluation report (called by the Celery task; idempotent)."""
    from ..jobs import EVALUATION_REPORT

    return EVALUATION_REPORT.run(report_id)
