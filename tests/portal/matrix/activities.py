"""The activities' rows of the permission matrix: ``activities:``,
``annual_programmes:`` and the API's activity and annual-programme routes.

Objects: "adopted" (French-led, ad hoc, so public; the Norwegian chair supervises),
"planned" (German-led, on the annual route, in the draft annual programme of 2016:
members only), the draft annual programme of 2016 with its entry and a compiled
document.
"""

from . import API_ANON, DENIED, Row, everyone, only, public

SEC = {"secretariat": 200}

TABLE = {
    # --- pages ----------------------------------------------------------------------
    "activities:list": Row("get", None, public()),
    "activities:create": Row("get", None, only(SEC)),
    "activities:detail": Row("get", "adopted", public(), shows=True),
    "activities:edit": Row("get", "adopted", only(SEC)),
    "activities:status": Row("post", "adopted", only({"secretariat": 302})),
    "activities:milestone_add": Row("post", "adopted", only({"secretariat": 302})),
    "activities:milestone_done": Row("post", "milestone", only({"secretariat": 302})),
    "activities:terms_of_reference": Row("get", "adopted_terms", public()),
    # A member's export of the list is theirs alone (it may hold activities not yet
    # adopted); a visitor's is anyone's who holds its link (IDOR below).
    # Starting the export of a long list: anyone who may read the list (an empty
    # confirmation is a 400).
    "activities:export_start": Row("post", None, public(400)),
    "activities:export": Row("get", "export", only({"pc_own": 200}, anonymous=DENIED), shows=True),
    "activities:export_file": Row(
        "get", "export_file", only({"pc_own": 200}, anonymous=DENIED), shows=True
    ),
    "annual_programmes:list": Row("get", None, public()),
    # A draft annual programme is the members': the visitor gets a 404, not a login.
    "annual_programmes:detail": Row("get", "ap", everyone(anonymous=DENIED), shows=True),
    "annual_programmes:add": Row("post", "ap", only({"secretariat": 302})),
    "annual_programmes:remove": Row("post", "entry", only({"secretariat": 302})),
    "annual_programmes:ceiling": Row("post", "ap", only({"secretariat": 302})),
    "annual_programmes:adopt": Row("post", "ap", only({"secretariat": 302})),
    "annual_programmes:roll_over": Row("post", "ap", only({"secretariat": 302})),
    "annual_programmes:compile": Row("post", "ap", only({"secretariat": 302})),
    "annual_programmes:document": Row("get", "ap_document", everyone(), shows=True),
    "annual_programmes:retry": Row("post", "ap_document", only({"secretariat": 302})),
    "annual_programmes:download": Row("get", "ap_document_file", everyone()),
    # --- API --------------------------------------------------------------------------
    "activity-list": Row("get", None, public()),
    # Its changes feed (pompidou/changes.py): who reads the list reads it.
    "activity-changes": Row("get", None, public()),
    "activity-detail": Row("get", "adopted", public(), shows=True),
    "activity-export": Row("get", None, public()),
    "api-activity-export": Row(
        "get", "export", only({"pc_own": 200}, anonymous=API_ANON), shows=True
    ),
    "api-activity-export-file": Row(
        "get", "export_file", only({"pc_own": 200}, anonymous=API_ANON), shows=True
    ),
    # The IATI file and the calendar feed: what each may see (the visitor the public
    # activities), so an answer for everyone.
    "activity-iati": Row("get", None, public()),
    "calendar:activities": Row("get", None, public()),
    "activity-change-status": Row(
        "post", "adopted", only({"secretariat": 400}, anonymous=API_ANON)
    ),
    "activity-terms-of-reference": Row("get", "adopted_terms", public()),
    "annual-programme-list": Row("get", None, public()),
    "annual-programme-changes": Row("get", None, public()),
    "annual-programme-detail": Row("get", "ap", everyone(anonymous=API_ANON)),
    "api-annual-programme-compile": Row(
        "post", "ap", only({"secretariat": 202}, anonymous=API_ANON)
    ),
    "api-annual-programme-document": Row("get", "ap_document", everyone(anonymous=API_ANON)),
    "api-annual-programme-document-pdf": Row("get", "ap_document", everyone(anonymous=API_ANON)),
    "api-annual-programme-document-docx": Row("get", "ap_document", everyone(anonymous=API_ANON)),
}

# The planned activity is the members': the anonymous visitor does not read it.
IDOR = {
    ("activities:export", "visitor_export"): Row("get", "visitor_export", public(), shows=True),
    ("activities:export_file", "visitor_export_file"): Row(
        "get", "visitor_export_file", public(), shows=True
    ),
    ("api-activity-export", "visitor_export"): Row("get", "visitor_export", public(), shows=True),
    ("api-activity-export-file", "visitor_export_file"): Row(
        "get", "visitor_export_file", public(), shows=True
    ),
    ("activities:detail", "planned"): Row("get", "planned", everyone(anonymous=DENIED), shows=True),
    ("activity-detail", "planned"): Row("get", "planned", everyone(anonymous=API_ANON), shows=True),
    ("activities:terms_of_reference", "planned_terms"): Row(
        "get", "planned_terms", everyone(anonymous=DENIED)
    ),
    ("activity-terms-of-reference", "planned_terms"): Row(
        "get", "planned_terms", everyone(anonymous=API_ANON)
    ),
}
