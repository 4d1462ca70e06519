from celery import shared_task

from pompidou.jobs import compile_task

from .jobs import ANNUAL_PROGRAMME

# Build the annual programme's PDF and DOCX (the one compile task of pompidou.jobs).
compile_annual_programme = compile_task(
    ANNUAL_PROGRAMME, name="activities.tasks.compile_annual_programme"
)


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, name="activities.tasks.export_activities"
)
def export_activities(self, job_id: int, token: str | None = None) -> str:
    """Write a long export of the activity list (activities/export_jobs.py). A message
    the broker hands out again runs nothing unless the worker that took it died."""
    from .export_jobs import run_export

    return run_export(job_id, token)
