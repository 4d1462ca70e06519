"""The annual programme compiled as PDF and DOCX (a Celery job)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pompidou.rules import require

from .. import permissions
from ..models import AnnualProgramme

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _enqueue_compile(document_id: int) -> None:
    from pompidou import jobs

    from ..tasks import compile_annual_programme

    jobs.enqueue(compile_annual_programme, document_id)


def annual_programme_compile(*, annual_programme: AnnualProgramme, actor: User) -> Any:
    """Ask for the annual programme as PDF and DOCX; returns (document, created).

    While a compilation of this programme is queued or running, asking again
    returns that one instead of starting a second.
    """
    from pompidou import jobs

    from ..models import AnnualProgrammeDocument

    require(permissions.can_compile_annual_programme(actor, annual_programme))
    return jobs.request_job(
        AnnualProgrammeDocument,
        actor=actor,
        enqueue=_enqueue_compile,
        annual_programme=annual_programme,
    )


def annual_programme_compile_retry(*, document: Any, actor: User) -> Any:
    from pompidou import jobs

    require(permissions.can_compile_annual_programme(actor, document.annual_programme))
    return jobs.retry_job(document, enqueue=_enqueue_compile)


def annual_programme_document_run(document_id: int) -> str:
    """Compile one document (called by the Celery task; idempotent)."""
    from pompidou import jobs

    from ..documents import build
    from ..models import AnnualProgrammeDocument

    return jobs.run_job(AnnualProgrammeDocument, document_id, build)
