"""Every change to a proposal: checked, in a transaction, recorded, notified on commit.

One module per step of the workflow (``drafting``, ``attachments``, ``supports``,
``comments``, ``assessment``, ``decisions``, ``votes``, ``deadlines``); the status is written only through
``proposals.workflow.PROPOSAL_WORKFLOW.move``. The public services are re-exported
here, so callers write ``services.proposal_submit(...)``.
"""

from .assessment import (
    ASSESSMENT_WEEKS,
    assessment_save,
    assessor_assign,
    default_due_date,
    scored_criteria,
)
from .attachments import attachment_add, attachment_remove
from .comments import comment_edit, comment_post, comment_withdraw
from .deadlines import DEADLINE_FIELDS, deadline_set, default_support_deadline
from .decisions import adopted_description, decision_record
from .drafting import (
    BUREAU_VOTE_DAYS,
    EDITABLE_FIELDS,
    missing_for_submission,
    proposal_create,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from .prioritise import Suggestion, prioritise
from .supports import support_add, support_withdraw, supports_open
from .votes import (
    Tally,
    bureau_size,
    bureau_vote_cast,
    bureau_vote_refer,
    bureau_votes_close_expired,
    tally_votes,
)

__all__ = [
    "ASSESSMENT_WEEKS",
    "BUREAU_VOTE_DAYS",
    "DEADLINE_FIELDS",
    "EDITABLE_FIELDS",
    "Suggestion",
    "Tally",
    "adopted_description",
    "assessment_save",
    "assessor_assign",
    "attachment_add",
    "attachment_remove",
    "bureau_size",
    "bureau_vote_cast",
    "bureau_vote_refer",
    "bureau_votes_close_expired",
    "deadline_set",
    "comment_edit",
    "comment_post",
    "comment_withdraw",
    "decision_record",
    "default_support_deadline",
    "default_due_date",
    "missing_for_submission",
    "prioritise",
    "proposal_create",
    "proposal_submit",
    "proposal_update",
    "proposal_withdraw",
    "scored_criteria",
    "support_add",
    "support_withdraw",
    "supports_open",
    "tally_votes",
]
