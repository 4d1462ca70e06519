"""Pages of the evaluation (section 2.3 of the work programme), one module per concern:

- ``activity``: an activity's evaluation tab and the forms it posts;
- ``reports``: one progress report (edit, review, accept) and the lists that wait;
- ``overview``: the figures of the Bureau and the Secretariat;
- ``feedback``: "my feedback requests" and the public answer page of a signed link.

Thin views over the services, selectors and permissions of this app; the charts are
built in ``evaluation/charts.py``.
"""

from .activity import (
    activity_evaluation,
    feedback_close,
    feedback_open,
    impact_record,
    indicator_add,
    measurement_add,
    report_file,
)
from .feedback import answer_link, answer_thanks, feedback_answer, my_feedback
from .overview import overview
from .reports import progress_reports, report_accept, report_detail, report_edit, report_review

__all__ = [
    "activity_evaluation",
    "answer_link",
    "answer_thanks",
    "feedback_answer",
    "feedback_close",
    "feedback_open",
    "impact_record",
    "indicator_add",
    "measurement_add",
    "my_feedback",
    "overview",
    "progress_reports",
    "report_accept",
    "report_detail",
    "report_edit",
    "report_file",
    "report_review",
]
