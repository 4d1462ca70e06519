"""The portal's own rows of the permission matrix: the dashboard, the programme's
pages, the accounts, the API's root, schema, documentation, token and programme
structure, and the health answers of the middleware (asked by path: no URL pattern).
"""

from . import API_ANON, Row, everyone, only, public

SEC = {"secretariat": 200}
# Who reads a draft in consultation: the Secretariat, the PCs and the Bureau.
READERS = dict.fromkeys(("secretariat", "pc_own", "pc_other", "bureau_own", "bureau_other"), 200)

TABLE = {
    # --- pages ----------------------------------------------------------------------
    "dashboard": Row("get", None, everyone()),
    # Who sits in the Bureau and what they supervise: every member reads it.
    "bureau": Row("get", None, everyone()),
    # The inbox: each member's own notices; another's notice is not found.
    "inbox": Row("get", None, everyone()),
    "notice_preferences": Row("get", None, everyone()),
    "notices_read_all": Row("post", None, everyone(ok=302)),
    "notice_open": Row("get", "notice", only({"pc_own": 302})),
    "notice_read": Row("post", "notice", only({"pc_own": 302})),
    "programme:current": Row("get", None, public()),
    "programme:detail": Row("get", "programme", public(), shows=True),
    "programme:priority": Row("get", "priority", public()),
    "programme:format": Row("get", "format", public()),
    # The Secretariat's steps of the cycle; on the programme in force the pages say why
    # neither step applies (tests/programme/test_handover_views.py).
    "programme:adopt": Row("get", "programme", only({"secretariat": 200})),
    "programme:hand_over": Row("get", "programme", only({"secretariat": 200})),
    # Authoring the next programme ("consulting": in consultation, so still editable):
    # the Secretariat's. The PCs and the Bureau see the programme (it is in
    # consultation) but are refused by role (403); the experts do not see it (404).
    "programme:authoring": Row("get", None, only(SEC)),
    "programme:new": Row("get", None, only(SEC)),
    "programme:edit": Row("get", "consulting", only(SEC), shows=True),
    "programme:edit_texts": Row("get", "consulting", only(SEC)),
    "programme:edit_thresholds": Row("get", "consulting", only(SEC)),
    "programme:entry_add": Row("get", "consulting_entry", only(SEC)),
    "programme:entry_edit": Row("get", "consulting_entry", only(SEC)),
    # Without an action: the message ("up, down or out"), back to the list.
    "programme:entry_change": Row("post", "consulting_entry", only({"secretariat": 302})),
    # Without a move: the message, back to the edit page.
    "programme:move": Row("post", "consulting", only({"secretariat": 302})),
    "programme:versions": Row("get", "consulting", only(SEC), shows=True),
    # The draft in consultation: the Secretariat, the PCs and the Bureau read it.
    "programme:consultation": Row("get", "consulting", only(READERS), shows=True),
    # The programme in force compiled as the Conference document: the members read it,
    # the Secretariat compiles it (queued: back to the programme's page) and retries
    # (a compilation that succeeded: refused with a message).
    "programme:documents": Row("get", "programme", everyone()),
    "programme:compile": Row("post", "programme", only({"secretariat": 302})),
    "programme:document": Row("get", "wp_document", everyone(), shows=True),
    "programme:retry": Row("post", "wp_document", only({"secretariat": 302})),
    "programme:download": Row("get", "wp_document_file", everyone()),
    # --- accounts ---------------------------------------------------------------------
    "login": Row("get", None, public()),
    "logout": Row("post", None, everyone()),
    "accounts:two_factor_setup": Row("get", None, everyone()),
    # Without a device to verify, the page sends the member on (to set one up).
    "accounts:two_factor_verify": Row("get", None, everyone(ok=302)),
    "password_change": Row("get", None, everyone()),
    "password_change_done": Row("get", None, everyone()),
    "password_reset": Row("get", None, public()),
    "password_reset_done": Row("get", None, public()),
    # The link's token is stale once the account logs in (its last login is part of
    # the token): the page says the link is invalid, to everyone.
    "password_reset_confirm": Row("get", "reset", public()),
    "password_reset_complete": Row("get", None, public()),
    # Personal data: the privacy notice is public; My data is each member's own; the
    # Secretariat erases (the confirmation page of an account).
    "privacy": Row("get", None, public()),
    "accounts:my_data": Row("get", None, everyone()),
    "accounts:my_data_json": Row("get", None, everyone()),
    "accounts:erase_list": Row("get", None, only({"secretariat": 200})),
    "accounts:erase_account": Row("get", "account", only({"secretariat": 200})),
    # --- search: anyone; each finds what they may see (tests/search) --------------------
    "search:results": Row("get", None, public()),
    # --- API ----------------------------------------------------------------------------
    "api-root": Row("get", None, everyone(anonymous=API_ANON)),
    "schema": Row("get", None, public()),
    "api-docs": Row("get", None, public()),
    "api-token": Row("post", None, public(400)),
    # Without words: the 400 naming ``q``, to everyone.
    "api-search": Row("get", None, public(400)),
    "work-programme-list": Row("get", None, public()),
    # Its changes feed (pompidou/changes.py): who reads the list reads it.
    "work-programme-changes": Row("get", None, public()),
    "work-programme-detail": Row("get", "programme", public(), shows=True),
    "thematic-priority-list": Row("get", None, public()),
    "thematic-priority-changes": Row("get", None, public()),
    "thematic-priority-detail": Row("get", "priority", public()),
    "permanent-format-list": Row("get", None, public()),
    "permanent-format-changes": Row("get", None, public()),
    "permanent-format-detail": Row("get", "format", public()),
    "criterion-list": Row("get", None, public()),
    "criterion-changes": Row("get", None, public()),
    "criterion-detail": Row("get", "criterion", public()),
    "member-state-list": Row("get", None, public()),
    "member-state-changes": Row("get", None, public()),
    "member-state-detail": Row("get", "member_state", public()),
    # An empty body: the 400 naming the fields (adopt) or the status (put in force).
    "work-programme-adopt": Row(
        "post", "programme", only({"secretariat": 400}, anonymous=API_ANON)
    ),
    "work-programme-put-in-force": Row(
        "post", "programme", only({"secretariat": 400}, anonymous=API_ANON)
    ),
    # The versions of the draft: the Secretariat's; its comments: whoever reads the
    # consultation.
    "work-programme-versions": Row("get", "consulting", only(SEC, anonymous=API_ANON)),
    "work-programme-version": Row("get", "consulting_version", only(SEC, anonymous=API_ANON)),
    "work-programme-comments": Row("get", "consulting", only(READERS, anonymous=API_ANON)),
    # The inbox: one's own notices; another's is not found.
    "notice-list": Row("get", None, everyone(anonymous=API_ANON)),
    "notice-changes": Row("get", None, everyone(anonymous=API_ANON)),
    "notice-read": Row("post", "notice", only({"pc_own": 200}, anonymous=API_ANON)),
    "notice-read-all": Row("post", None, everyone(anonymous=API_ANON)),
    "api-personal-data": Row("get", None, everyone(anonymous=API_ANON)),
    # Without a reason: the 400 naming ``reason``, to the Secretariat only.
    "api-account-erase": Row("post", "account", only({"secretariat": 400}, anonymous=API_ANON)),
    # --- health (the middleware answers before any URL pattern) ---------------------------
    "/healthz": Row("get", None, public()),
    "/readyz": Row("get", None, public()),
}

# Not IDOR cells but the same URLs asked on the programme in force, which is frozen:
# the rules refuse the Secretariat by the programme's state, not by role, so the pages
# tell why (``pompidou.rules.gate`` leaves a state's refusal to the page) and the other
# members are still refused by role.
FROZEN = {"secretariat": 302}  # back to the edit page, with the "frozen" message
IDOR = {
    # The edit page shows the programme read-only, with the reason it is frozen.
    ("programme:edit", "programme"): Row("get", "programme", only(SEC), shows=True),
    ("programme:edit_texts", "programme"): Row("get", "programme", only(FROZEN)),
    ("programme:edit_thresholds", "programme"): Row("get", "programme", only(FROZEN)),
    ("programme:entry_edit", "frozen_entry"): Row("get", "frozen_entry", only(FROZEN)),
    # The adopted programme's consultation page: read (its comments stay), the comment
    # boxes closed; the API's comment on it is the 400 saying why.
    ("programme:consultation", "programme"): Row("get", "programme", only(READERS)),
    ("work-programme-comments", "programme"): Row(
        "post",
        "programme",
        only(dict.fromkeys(READERS, 400), anonymous=API_ANON),
        data={"section": "priority:3.4", "text": "Matrix comment on a frozen programme"},
    ),
}
