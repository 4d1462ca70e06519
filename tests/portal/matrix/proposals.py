"""The proposals' rows of the permission matrix: every URL of ``proposals:`` and of
the API's ``proposal-`` routes.

Objects: "assessing" (French, under assessment, the expert has submitted), "draft"
(French), "urgent" (French, in the Bureau's vote), plus the support and the attachment
they carry. A role refused by role gets 403 or 404 (an object it may not see: never
the data), the anonymous visitor the login page (pages) or 401/403 (API). The pages'
POSTs are sent empty: whoever may act gets past the permission check to the service or
the form (a redirect with its message, or the form again with its errors), never a 500.
"""

from . import API_ANON, Row, everyone, only

TABLE = {
    # --- pages ----------------------------------------------------------------------
    "proposals:list": Row("get", None, everyone()),
    "proposals:create": Row(
        "get",
        None,
        only({"pc_own": 200, "pc_other": 200, "bureau_own": 200, "bureau_other": 200}),
    ),
    "proposals:ranking": Row(
        "get",
        "ranking",
        only({"secretariat": 200, "bureau_own": 200, "bureau_other": 200}),
    ),
    "proposals:suggest": Row(
        "get",
        None,
        only({"secretariat": 200, "bureau_own": 200, "bureau_other": 200}),
    ),
    "proposals:urgent": Row(
        "get",
        None,
        only({"secretariat": 200, "bureau_own": 200, "bureau_other": 200}),
    ),
    "proposals:detail": Row("get", "assessing", everyone(), shows=True),
    "proposals:edit": Row("get", "draft", only({"pc_own": 200, "bureau_own": 200})),
    "proposals:submit": Row("post", "draft", only({"pc_own": 302, "bureau_own": 302})),
    "proposals:withdraw": Row("post", "assessing", only({"pc_own": 302, "bureau_own": 302})),
    "proposals:support": Row(
        "post",
        "assessing",
        # The Secretariat's form names the delegation (400 empty); the proposing
        # state's own PCs are told why not (a message on the page).
        only(
            {
                "secretariat": 400,
                "pc_other": 302,
                "bureau_other": 302,
                "pc_own": 302,
                "bureau_own": 302,
            }
        ),
    ),
    "proposals:support_withdraw": Row(
        "post",
        "support",
        only({"secretariat": 302, "pc_other": 302}),
    ),
    "proposals:attachment_add": Row("post", "draft", only({"pc_own": 400, "bureau_own": 400})),
    # The draft's document: its delegation and the Secretariat, as the draft.
    "proposals:attachment": Row(
        "get",
        "attachment",
        only({"secretariat": 200, "pc_own": 200, "bureau_own": 200}),
    ),
    "proposals:attachment_remove": Row(
        "post",
        "attachment",
        only({"pc_own": 302, "bureau_own": 302}),
    ),
    # The assessors' channel: its assessor and the Secretariat post (and are sent back to
    # the comment); every other member is refused by role.
    "proposals:comment_add": Row(
        "post",
        "assessing",
        only({"secretariat": 302, "assessor": 302}),
        data={"channel": "assessors", "body": "Matrix comment"},
    ),
    # A comment is changed by its author only (Germany's PC wrote it).
    "proposals:comment_edit": Row("get", "remark", only({"pc_other": 200})),
    "proposals:comment_withdraw": Row("post", "remark", only({"pc_other": 302})),
    "proposals:assign": Row("post", "assessing", only({"secretariat": 400})),
    "proposals:assessment": Row("get", "assessing", only({"assessor": 200})),
    "proposals:decide": Row("post", "assessing", only({"secretariat": 400})),
    "proposals:deadline": Row("post", "assessing", only({"secretariat": 400})),
    # The French Bureau member is recused from France's urgent proposal.
    "proposals:vote": Row("post", "urgent", only({"bureau_other": 302})),
    # The items similar to a proposal are marked by its delegation (an empty form: its
    # errors as messages, back to the proposal's similar items).
    "overlap:mark": Row("post", "assessing", only({"pc_own": 302, "bureau_own": 302})),
    # --- API --------------------------------------------------------------------------
    "proposal-list": Row("get", None, everyone(anonymous=API_ANON)),
    # Its changes feed (pompidou/changes.py): who reads the list reads it.
    "proposal-changes": Row("get", None, everyone(anonymous=API_ANON)),
    "proposal-detail": Row("get", "assessing", everyone(anonymous=API_ANON)),
    "proposal-submit": Row(
        "post",
        "draft",
        only({"pc_own": 200, "bureau_own": 200}, anonymous=API_ANON),
    ),
    "proposal-withdraw": Row(
        "post",
        "assessing",
        only({"pc_own": 200, "bureau_own": 200}, anonymous=API_ANON),
    ),
    "proposal-supports": Row(
        "post",
        "assessing",
        only(
            {
                # Germany supports it already (400); Norway's chair adds Norway's.
                "secretariat": 400,
                "pc_other": 400,
                "bureau_other": 201,
                "pc_own": 400,
                "bureau_own": 400,
            },
            anonymous=API_ANON,
        ),
    ),
    "proposal-support": Row(
        "delete",
        "support",
        only({"secretariat": 204, "pc_other": 204}, anonymous=API_ANON),
    ),
    "proposal-attachments": Row("get", "assessing", everyone(anonymous=API_ANON)),
    "proposal-attachment": Row(
        "get",
        "attachment",
        only({"secretariat": 200, "pc_own": 200, "bureau_own": 200}, anonymous=API_ANON),
    ),
    # Whoever sees the proposal reads its discussion (the channels they may read).
    "proposal-comments": Row("get", "assessing", everyone(anonymous=API_ANON)),
    "proposal-assessors": Row("post", "assessing", only({"secretariat": 400}, anonymous=API_ANON)),
    # Conflict of interest: not the proposing state's Bureau member.
    "proposal-assessments": Row(
        "get",
        "assessing",
        only({"secretariat": 200, "bureau_other": 200, "assessor": 200}, anonymous=API_ANON),
    ),
    "proposal-score": Row(
        "get",
        "assessing",
        only({"secretariat": 200, "bureau_other": 200, "assessor": 200}, anonymous=API_ANON),
    ),
    "proposal-decision": Row("post", "assessing", only({"secretariat": 400}, anonymous=API_ANON)),
    "proposal-bureau-votes": Row(
        "post",
        "urgent",
        only({"bureau_other": 400}, anonymous=API_ANON),
    ),
    # Whoever reads the proposal reads its similar items (those they may see).
    "proposal-similar": Row("get", "assessing", everyone(anonymous=API_ANON)),
    # Whoever reads the ranking asks for a suggestion (2016 has a ceiling in the world).
    "proposal-prioritise": Row(
        "post",
        None,
        only({"secretariat": 200, "bureau_own": 200, "bureau_other": 200}, anonymous=API_ANON),
        data={"year": 2016},
    ),
}
IDOR = {
    # The assessors' channel through the API: its readers only, and its writers.
    ("proposal-comments", "assessing"): Row(
        "post",
        "assessing",
        only({"secretariat": 201, "assessor": 201}, anonymous=API_ANON),
        data={"channel": "assessors", "body": "Matrix API note"},
    ),
    # The assessors' note: whoever does not read the channel does not find it by its id
    # (404), the Secretariat, who reads it but did not write it, is refused (403);
    # neither answer carries its text.
    ("proposals:comment_edit", "note"): Row(
        "get",
        "note",
        only({"assessor": 200}),
        shows=True,
    ),
    # France's draft is discussed by its delegation and the Secretariat only.
    ("proposals:comment_add", "draft"): Row(
        "post",
        "draft",
        only({"secretariat": 302, "pc_own": 302, "bureau_own": 302}),
        data={"body": "Matrix comment on the draft"},
    ),
    # A PC of another state, the other Bureau member and the experts never see
    # France's draft, on the page or the API.
    ("proposals:detail", "draft"): Row(
        "get",
        "draft",
        only({"secretariat": 200, "pc_own": 200, "bureau_own": 200}),
        shows=True,
    ),
    ("proposal-detail", "draft"): Row(
        "get",
        "draft",
        only({"secretariat": 200, "pc_own": 200, "bureau_own": 200}, anonymous=API_ANON),
        shows=True,
    ),
    # …nor its similar items.
    ("proposal-similar", "draft"): Row(
        "get",
        "draft",
        only({"secretariat": 200, "pc_own": 200, "bureau_own": 200}, anonymous=API_ANON),
    ),
}
