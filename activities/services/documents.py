"""The annual programme compiled as PDF and DOCX (a Celery job)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pompidou.rules import require

from .. import permissions
from ..models import AnnualProgramme, AnnualProgrammeDocument

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def annual_programme_compile(
    *, annual_programme: AnnualProgramme, actor: User
) -> tuple[AnnualProgrammeDocument, bool]:
    """Ask for the annual programme as PDF and DOCX; returns (document, created).

    While a compilation of this programme is queued or running, asking again
    returns that one instead of starting a second.
    """
    from ..jobs import ANNUAL_PROGRAMME

    require(permissions.can_compile_annual_programme(actor, annual_programme))
    return ANNUAL_PROGRAMME.request(actor=actor, annual_programme=annual_programme)


def annual_programme_compile_retry(
    *, document: AnnualProgrammeDocument, actor: User
) -> AnnualProgrammeDocument:
    from ..jobs import ANNUAL_PROGRAMME

    require(permissions.can_compile_annual_programme(actor, document.annual_programme))
    return ANNUAL_PROGRAMME.retry(document, actor=actor)


def annual_programme_document_run(document_id: int) -> str:
    """Compile one document (called by the Celery task; idempotent)."""
    from ..jobs import ANNUAL_PROGRAMME

    return ANNUAL_PROGRAMME.run(document_id)
