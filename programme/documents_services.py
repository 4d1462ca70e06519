"""The work programme compiled as the Conference document (a job, pompidou/jobs.py):
ask for a compilation, retry a failed one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pompidou.jobs import WORK_PROGRAMME
from pompidou.models import WorkProgrammeDocument
from pompidou.rules import require

from . import permissions
from .models import WorkProgramme

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def work_programme_compile(
    *, work_programme: WorkProgramme, actor: User
) -> tuple[WorkProgrammeDocument, bool]:
    """Ask for the work programme as PDF and DOCX in English and French; returns
    (document, created). While a compilation is queued or running, asking again
    returns that one instead of starting a second."""
    require(permissions.can_compile_work_programme(actor, work_programme))
    return WORK_PROGRAMME.request(actor=actor, work_programme=work_programme)


def work_programme_compile_retry(
    *, document: WorkProgrammeDocument, actor: User
) -> WorkProgrammeDocument:
    """Compile a failed document again, under its reference."""
    require(permissions.can_compile_work_programme(actor, document.work_programme))
    return WORK_PROGRAMME.retry(document, actor=actor)
