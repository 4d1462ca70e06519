"""The meetings' rows of the permission matrix: ``meetings:`` and the API's meeting
and decision-list routes.

Objects: the 83rd plenary, convened (so its agenda still changes and its decisions
are recorded), with the proposal under assessment on its agenda, and a compiled
list of decisions.
"""

from . import API_ANON, Row, everyone, only, public

SEC_FORM = {"secretariat": 400}

TABLE = {
    # --- pages ----------------------------------------------------------------------
    # The calendar is public.
    "meetings:list": Row("get", None, public()),
    "meetings:detail": Row("get", "meeting", public(), shows=True),
    # Without a status to move to: the refusal as a message, back to the meeting.
    "meetings:move": Row("post", "meeting", only({"secretariat": 302})),
    # The PCs register their delegation's attendance (an empty list: 400); the Bureau
    # members are PCs of their delegations too.
    "meetings:attendance": Row(
        "post",
        "meeting",
        only({"pc_own": 400, "pc_other": 400, "bureau_own": 400, "bureau_other": 400}),
    ),
    "meetings:calendar": Row("get", None, public()),
    # The same feed at the address to subscribe to (no language prefix).
    "calendar-meetings": Row("get", None, public()),
    # The meeting's documents: the members read them, the Secretariat adds (an empty
    # form: 400) and removes them.
    "meetings:document": Row("get", "meeting_document", everyone(), shows=True),
    "meetings:document_add": Row("post", "meeting", only(SEC_FORM)),
    "meetings:document_remove": Row("post", "meeting_document", only({"secretariat": 302})),
    "meetings:agenda": Row("get", "meeting", only({"secretariat": 200})),
    # Nothing ticked, an empty item, no action: the form's answers.
    "meetings:agenda_proposals": Row("post", "meeting", only(SEC_FORM)),
    "meetings:agenda_item_add": Row("post", "meeting", only(SEC_FORM)),
    "meetings:agenda_item": Row("post", "agenda_item", only({"secretariat": 302})),
    "meetings:decisions": Row("post", "meeting", only(SEC_FORM)),
    "meetings:decision_list_compile": Row("post", "meeting", only({"secretariat": 302})),
    # The compiled lists are the members'; the Secretariat alone compiles them (the
    # retry of a compilation that succeeded is refused with a message).
    "meetings:decision_list": Row("get", "decision_list", everyone(), shows=True),
    "meetings:decision_list_retry": Row("post", "decision_list", only({"secretariat": 302})),
    "meetings:decision_list_file": Row("get", "decision_list_file", everyone(), shows=True),
    # --- API --------------------------------------------------------------------------
    "meeting-list": Row("get", None, public()),
    # Its changes feed (pompidou/changes.py): who reads the list reads it.
    "meeting-changes": Row("get", None, public()),
    "meeting-detail": Row("get", "meeting", public(), shows=True),
    "api-decision-list": Row("get", "decision_list_api", everyone(anonymous=API_ANON), shows=True),
    "api-decision-list-pdf": Row("get", "decision_list_api_file", everyone(anonymous=API_ANON)),
    "api-decision-list-docx": Row("get", "decision_list_api", everyone(anonymous=API_ANON)),
}

# The lists of decisions are read by every member: no object a member may not see.
IDOR: dict = {}
