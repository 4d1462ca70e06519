"""The portal's own rows of the permission matrix: the dashboard, the programme's
pages, the accounts, the API's root, schema, documentation, token and programme
structure, and the health answers of the middleware (asked by path: no URL pattern).
"""

from . import API_ANON, Row, everyone, only, public

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
    "work-programme-detail": Row("get", "programme", public(), shows=True),
    "thematic-priority-list": Row("get", None, public()),
    "thematic-priority-detail": Row("get", "priority", public()),
    "permanent-format-list": Row("get", None, public()),
    "permanent-format-detail": Row("get", "format", public()),
    "criterion-list": Row("get", None, public()),
    "criterion-detail": Row("get", "criterion", public()),
    "member-state-list": Row("get", None, public()),
    "member-state-detail": Row("get", "member_state", public()),
    # An empty body: the 400 naming the fields (adopt) or the status (put in force).
    "work-programme-adopt": Row(
        "post", "programme", only({"secretariat": 400}, anonymous=API_ANON)
    ),
    "work-programme-put-in-force": Row(
        "post", "programme", only({"secretariat": 400}, anonymous=API_ANON)
    ),
    # The inbox: one's own notices; another's is not found.
    "notice-list": Row("get", None, everyone(anonymous=API_ANON)),
    "notice-read": Row("post", "notice", only({"pc_own": 200}, anonymous=API_ANON)),
    "notice-read-all": Row("post", None, everyone(anonymous=API_ANON)),
    "api-personal-data": Row("get", None, everyone(anonymous=API_ANON)),
    # Without a reason: the 400 naming ``reason``, to the Secretariat only.
    "api-account-erase": Row("post", "account", only({"secretariat": 400}, anonymous=API_ANON)),
    # --- health (the middleware answers before any URL pattern) ---------------------------
    "/healthz": Row("get", None, public()),
    "/readyz": Row("get", None, public()),
}

IDOR: dict = {}
