"""The evaluation's rows of the permission matrix: ``evaluation:`` and the API's
progress-report, indicator, feedback, impact and evaluation-report routes.

Objects: France's progress report of 2016-H1 on the adopted French activity (the
Norwegian chair supervises it), an indicator, a feedback request to experts, a named
request with an invitee's signed link, an impact assessment with its evidence, and a
compiled evaluation report.
"""

from . import API_ANON, DENIED, Row, everyone, only, public

SEC = {"secretariat": 200}
LEAD = {"secretariat": 200, "pc_own": 200}
# The French Bureau member is also one of France's PCs (the Bureau is elected from the
# PCs): they file and keep France's reports and indicators as France's PCs do. Empty
# forms come back with their errors (400).
LEAD_FORM = {"secretariat": 400, "pc_own": 400, "bureau_own": 400}
BOARD = {"secretariat": 200, "bureau_own": 200, "bureau_other": 200}
SEC_FORM = {"secretariat": 400}

TABLE = {
    # --- pages ----------------------------------------------------------------------
    "evaluation:overview": Row("get", None, only(BOARD)),
    "evaluation:activity": Row("get", "evaluation", everyone()),
    "evaluation:report_file": Row("post", "evaluation", only(LEAD_FORM)),
    "evaluation:indicator_add": Row("post", "evaluation", only(LEAD_FORM)),
    "evaluation:measurement_add": Row("post", "evaluation", only(LEAD_FORM)),
    "evaluation:feedback_open": Row("post", "evaluation", only(SEC_FORM)),
    "evaluation:impact_record": Row("post", "evaluation", only(SEC_FORM)),
    # Experts file and review no reports: the list of reports is not theirs.
    "evaluation:progress_reports": Row("get", None, everyone(assessor=DENIED, expert=DENIED)),
    "evaluation:report_detail": Row("get", "report", everyone(), shows=True),
    "evaluation:report_edit": Row("post", "report", only(LEAD_FORM)),
    # The Norwegian chair supervises the activity: the only reviewer.
    "evaluation:report_review": Row("post", "report", only({"bureau_other": 400})),
    "evaluation:report_accept": Row("post", "report", only({"secretariat": 302})),
    "evaluation:impact_evidence": Row("get", "evidence", everyone()),
    "evaluation:feedback_close": Row("post", "feedback", only({"secretariat": 302})),
    "evaluation:my_feedback": Row("get", None, everyone()),
    # The request asks the experts: only they answer (an empty answer: 400).
    "evaluation:feedback_answer": Row("post", "feedback", only({"assessor": 400, "expert": 400})),
    "evaluation:answer_link": Row("get", "answer_link", public()),
    "evaluation:answer_thanks": Row("get", None, public()),
    # The Secretariat and the Bureau read the compiled evaluation reports; the
    # Secretariat alone compiles them.
    "evaluation:reports": Row("get", None, only(BOARD)),
    "evaluation:compile_report": Row("post", None, only(SEC_FORM)),
    "evaluation:report": Row("get", "evaluation_report", only(BOARD), shows=True),
    "evaluation:report_retry": Row("post", "evaluation_report", only({"secretariat": 302})),
    "evaluation:report_download": Row("get", "evaluation_report_file", only(BOARD)),
    # --- API --------------------------------------------------------------------------
    "progress-report-list": Row("get", None, everyone(anonymous=API_ANON)),
    # Its changes feed (pompidou/changes.py): who reads the list reads it.
    "progress-report-changes": Row("get", None, everyone(anonymous=API_ANON)),
    "progress-report-detail": Row("get", "report", everyone(anonymous=API_ANON), shows=True),
    "progress-report-accept": Row("post", "report", only({"secretariat": 200}, anonymous=API_ANON)),
    "progress-report-review": Row(
        "post", "report", only({"bureau_other": 400}, anonymous=API_ANON)
    ),
    "indicator-list": Row("get", None, everyone(anonymous=API_ANON)),
    "indicator-changes": Row("get", None, everyone(anonymous=API_ANON)),
    "indicator-detail": Row("get", "indicator", everyone(anonymous=API_ANON), shows=True),
    "indicator-measurements": Row("post", "indicator", only(LEAD_FORM, anonymous=API_ANON)),
    "feedback-request-list": Row("get", None, everyone(anonymous=API_ANON)),
    "feedback-request-changes": Row("get", None, everyone(anonymous=API_ANON)),
    # Addressed to the experts: the PCs do not read it.
    "feedback-request-detail": Row(
        "get",
        "feedback",
        everyone(pc_own=DENIED, pc_other=DENIED, anonymous=API_ANON),
        shows=True,
    ),
    "feedback-request-close": Row(
        "post", "feedback", only({"secretariat": 200}, anonymous=API_ANON)
    ),
    "feedback-request-responses": Row(
        "post", "feedback", only({"assessor": 400, "expert": 400}, anonymous=API_ANON)
    ),
    "impact-assessment-list": Row("get", None, everyone(anonymous=API_ANON)),
    "impact-assessment-changes": Row("get", None, everyone(anonymous=API_ANON)),
    "impact-assessment-detail": Row("get", "impact", everyone(anonymous=API_ANON), shows=True),
    "impact-assessment-evidence": Row("get", "evidence", everyone(anonymous=API_ANON)),
    "api-evaluation-reports": Row("post", None, only(SEC_FORM, anonymous=API_ANON)),
    "api-evaluation-report": Row(
        "get", "evaluation_report", only(BOARD, anonymous=API_ANON), shows=True
    ),
    "api-evaluation-report-pdf": Row("get", "evaluation_report", only(BOARD, anonymous=API_ANON)),
    "api-evaluation-report-docx": Row("get", "evaluation_report", only(BOARD, anonymous=API_ANON)),
}

IDOR: dict = {}
