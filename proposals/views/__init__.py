"""Pages of the proposal workflow (section 2.2): thin views over the services,
selectors and permissions of this app, one module per concern."""

from .assessment import assessment, ranking
from .comments import comment_add, comment_edit, comment_withdraw
from .detail import (
    assessor_assign,
    attachment_add,
    attachment_download,
    attachment_remove,
    deadline_set,
    decision_record,
    proposal_detail,
    support_add,
    support_withdraw,
)
from .drafting import (
    proposal_create,
    proposal_edit,
    proposal_list,
    proposal_submit,
    proposal_withdraw,
)
from .prioritise import prioritise
from .votes import urgent_queue, vote

__all__ = [
    "assessment",
    "assessor_assign",
    "attachment_add",
    "attachment_download",
    "attachment_remove",
    "deadline_set",
    "comment_add",
    "comment_edit",
    "comment_withdraw",
    "decision_record",
    "proposal_create",
    "proposal_detail",
    "proposal_edit",
    "proposal_list",
    "proposal_submit",
    "prioritise",
    "proposal_withdraw",
    "ranking",
    "support_add",
    "support_withdraw",
    "urgent_queue",
    "vote",
]
