"""The meeting's list of decisions as a compiled document (PDF and DOCX), declared
once: the service, the Celery task, the pages and the API use this kind."""

from pompidou.jobs import DocumentKind

from .models import DecisionList

DECISION_LIST = DocumentKind(
    DecisionList,
    build="meetings.documents.build",
    task="meetings.tasks.compile_decision_list",
    reference="meetings.documents.next_reference",
)
