import os
from typing import Any

from celery import Celery, bootsteps
from celery.schedules import crontab

from .logging import connect_task_request_ids

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pompidou.settings")

app = Celery("pompidou")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_task_request_ids()

# Periodic jobs, in one place (run by `make beat`).
app.conf.beat_schedule = {
    # Every morning at 06:30 Paris time: the daily digest of notices, to those who
    # chose it for some kind of notice (pompidou/notices.py).
    "notice-digests": {
        "task": "pompidou.tasks.send_notice_digests",
        "schedule": crontab(hour=6, minute=30),
    },
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
    # Every morning at 07:15 Paris time (after the expired votes are closed): a notice
    # to each person with a support, an assessment or a vote due within 3 days, at most
    # once a week per person and item (proposals.DeadlineReminder).
    "proposal-deadline-reminders": {
        "task": "proposals.tasks.send_deadline_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    # Every night at 03:30 Paris time: unused feedback links past
    # FEEDBACK_LINK_RETENTION_DAYS and login records past LOGIN_RECORD_RETENTION_DAYS
    # are deleted (accounts/retention.py; the privacy page states both).
    "personal-data-retention": {
        "task": "accounts.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every night at 03:45 Paris time: the changes feed forgets deletions older than
    # SYNC_TOMBSTONE_RETENTION_DAYS (a client whose token is older gets 410).
    "sync-tombstones-retention": {
        "task": "pompidou.tasks.purge_tombstones",
        "schedule": crontab(hour=3, minute=45),
    },
    # Every hour: the document frequencies of the words of activities and proposals,
    # which weigh the overlap detection's similarity scores (overlap/services.py).
    "overlap-term-statistics": {
        "task": "overlap.tasks.refresh_term_statistics",
        "schedule": crontab(minute=40),
    },
}


class Sweep(bootsteps.StartStopStep):
    """Every worker sweeps every JOB_SWEEP_SECONDS (pompidou.tasks.sweep): it takes
    over the compilations of workers that died and sends what the job queue did not
    take while it was down. In the worker itself rather than in beat, so that a
    job left by a dead worker is picked up as soon as any worker lives."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.tref: Any = None

    def start(self, worker: Any) -> None:
        from django.conf import settings

        from .tasks import sweep

        self.tref = worker.timer.call_repeatedly(settings.JOB_SWEEP_SECONDS, sweep, priority=10)

    def stop(self, worker: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()


app.steps["worker"].add(Sweep)
