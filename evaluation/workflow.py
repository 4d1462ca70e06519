"""Every state rule of the evaluation, as data (``pompidou.workflow``).

A progress report is *submitted* by the lead member state, *reviewed* by the
activity's supervising Bureau member (who may amend the review until the report is
accepted) and *accepted* by the Secretariat, with or without a review; once
accepted it no longer changes. A feedback request is *open* until the Secretariat
closes it or its deadline passes (the daily beat job closes it then, as the portal).

Services change these states only through ``.move()``; pages and the API ask
``.available(user, obj)`` for the buttons and ``.group(name)`` for the state sets.
"""

from django.utils.translation import gettext_lazy as _

from pompidou.workflow import Workflow, move

from . import permissions
from .models import FeedbackRequest, ProgressReport

R = ProgressReport.Review
F = FeedbackRequest.Status

REPORT_REVIEW = Workflow(
    model=ProgressReport,
    field="review",
    noun=_("progress report"),
    moves=(
        move(
            "review",
            [R.SUBMITTED, R.REVIEWED],
            R.REVIEWED,
            _("Review"),
            permissions.can_review_progress_report,
        ),
        move(
            "accept",
            [R.SUBMITTED, R.REVIEWED],
            R.ACCEPTED,
            _("Accept"),
            permissions.can_accept_progress_report,
        ),
    ),
    groups={
        # Not accepted yet: the Secretariat's list, and still editable by its authors.
        "awaiting_acceptance": {R.SUBMITTED, R.REVIEWED},
        # Waiting for the supervising Bureau member's first review.
        "to_review": {R.SUBMITTED},
    },
)

FEEDBACK_REQUEST = Workflow(
    model=FeedbackRequest,
    noun=_("feedback request"),
    moves=(move("close", [F.OPEN], F.CLOSED, _("Close"), permissions.can_close_feedback_request),),
    groups={"open": {F.OPEN}},
)
