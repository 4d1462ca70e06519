from celery import shared_task

from pompidou import jobs

from .models import AnnualProgrammeDocument
from .services import annual_programme_document_run


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def compile_annual_programme(self, document_id: int) -> str:
    """Build the annual programme's PDF and DOCX (the service does the work)."""
    return jobs.run_in_task(
        self, AnnualProgrammeDocument, document_id, annual_programme_document_run
    )
