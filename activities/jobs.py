"""The annual programme as a compiled document (PDF and DOCX), declared once: the
services, the Celery task, the pages and the API all use this kind."""

from pompidou.jobs import DocumentKind

from .models import AnnualProgrammeDocument

ANNUAL_PROGRAMME = DocumentKind(
    AnnualProgrammeDocument,
    build="activities.documents.build",
    task="activities.tasks.compile_annual_programme",
)
