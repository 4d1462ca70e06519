"""The evaluation report as a compiled document (PDF and DOCX), declared once: the
services, the Celery task, the pages and the API all use this kind."""

from pompidou.jobs import DocumentKind

from .models import EvaluationReport

EVALUATION_REPORT = DocumentKind(
    EvaluationReport,
    build="evaluation.documents.build",
    task="evaluation.tasks.compile_evaluation_report",
)
