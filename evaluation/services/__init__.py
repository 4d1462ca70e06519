"""Every change in the evaluation: checked, in a transaction, recorded in the one
history; e-mails after commit. One module per step:

- ``progress``: progress reports filed, changed, reviewed, accepted;
- ``indicators``: indicators and their measurements;
- ``feedback``: feedback requests opened, answered, closed;
- ``impact``: impact assessments;
- ``reports``: compiled evaluation reports (a Celery job).
"""

from .feedback import (
    LINK_SALT,
    RATINGS,
    feedback_link,
    feedback_request_close,
    feedback_request_emails_send,
    feedback_request_open,
    feedback_requests_close_expired,
    feedback_respond,
    invitation_from_token,
)
from .impact import impact_assessment_record
from .indicators import indicator_add, measurement_add
from .progress import (
    REPORT_FIELDS,
    progress_report_accept,
    progress_report_file,
    progress_report_review,
    progress_report_update,
)
from .reports import evaluation_report_compile, evaluation_report_retry, evaluation_report_run

__all__ = [
    "LINK_SALT",
    "RATINGS",
    "REPORT_FIELDS",
    "evaluation_report_compile",
    "evaluation_report_retry",
    "evaluation_report_run",
    "feedback_link",
    "feedback_request_close",
    "feedback_request_emails_send",
    "feedback_request_open",
    "feedback_requests_close_expired",
    "feedback_respond",
    "impact_assessment_record",
    "indicator_add",
    "invitation_from_token",
    "measurement_add",
    "progress_report_accept",
    "progress_report_file",
    "progress_report_review",
    "progress_report_update",
]
