import os

from celery import Celery
from celery.schedules import crontab

from .logging import connect_task_request_ids

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pompidou.settings")

app = Celery("pompidou")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_task_request_ids()

# Periodic jobs, in one place (run by `make beat`).
app.conf.beat_schedule = {
    # Every morning at 07:30 Paris time: progress reports due (half-year ended 30
    # days ago without a report) and feedback requests whose deadline is in 3 days.
    # Each person hears of an item at most once a week (evaluation.ReminderLog).
    "evaluation-reminders": {
        "task": "evaluation.tasks.send_evaluation_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Every morning at 07:00 Paris time: urgent proposals whose Bureau voting deadline
    # passed without a majority are referred to the next PC plenary (deferred).
    "bureau-votes-deadline": {
        "task": "proposals.tasks.close_expired_bureau_votes",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every five minutes: a compilation "running" on a worker that stopped beating
    # for REPORT_JOB_STALE_SECONDS is marked failed, so its page offers "Retry".
    "fail-stale-document-jobs": {
        "task": "pompidou.tasks.fail_stale_jobs",
        "schedule": crontab(minute="*/5"),
    },
}
