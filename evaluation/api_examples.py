"""Examples of the evaluation API's requests and answers for /api/docs/: real answers
of the demo data (``load_demo``), dates aside."""

from pompidou.schema import examples

PROGRESS_REPORT_CREATE = examples(
    "File a half-year report",
    request={
        "activity": "PG-2018-001",
        "period": "2018-H2",
        "status": "on_track",
        "percent_complete": 60,
        "narrative": "Both meetings held; the guidance note is drafted.",
        "achievements": "Guidance note drafted.",
        "budget_spent": "21000.00",
    },
    response={
        "id": 102,
        "activity": "PG-2018-001",
        "period": "2018-H2",
        "status": "on_track",
        "percent_complete": 60,
        "narrative": "Both meetings held; the guidance note is drafted.",
        "achievements": "Guidance note drafted.",
        "budget_spent": "21000.00",
        "submitted_by": "secretariat",
        "submitted_at": "2017-02-14T10:30:00+01:00",
        "review": "submitted",
        "reviewer_comment": "",
        "reviewed_by": None,
        "accepted_by": None,
        "accepted_at": None,
        "updated_at": "2017-02-14T10:30:00+01:00",
    },
    status=201,
)

PROGRESS_REPORT_PATCH = examples(
    "Change the percentage",
    request={"percent_complete": 70},
    response={
        "id": 102,
        "activity": "PG-2018-001",
        "period": "2018-H2",
        "status": "on_track",
        "percent_complete": 70,
        "narrative": "Both meetings held; the guidance note is drafted.",
        "achievements": "Guidance note drafted.",
        "budget_spent": "21000.00",
        "submitted_by": "secretariat",
        "submitted_at": "2017-02-14T10:30:00+01:00",
        "review": "submitted",
        "reviewer_comment": "",
        "reviewed_by": None,
        "accepted_by": None,
        "accepted_at": None,
        "updated_at": "2017-02-14T10:30:00+01:00",
    },
)

PROGRESS_REPORT_REVIEW = examples(
    "Review the report",
    request={"comment": "On track; the budget is as planned."},
    response={
        "id": 102,
        "activity": "PG-2018-001",
        "period": "2018-H2",
        "status": "on_track",
        "percent_complete": 70,
        "narrative": "Both meetings held; the guidance note is drafted.",
        "achievements": "Guidance note drafted.",
        "budget_spent": "21000.00",
        "submitted_by": "secretariat",
        "submitted_at": "2017-02-14T10:30:00+01:00",
        "review": "reviewed",
        "reviewer_comment": "On track; the budget is as planned.",
        "reviewed_by": "bureau_vice",
        "accepted_by": None,
        "accepted_at": None,
        "updated_at": "2017-02-14T10:30:00+01:00",
    },
)

PROGRESS_REPORT_ACCEPT = examples(
    "Accept the report",
    response={
        "id": 102,
        "activity": "PG-2018-001",
        "period": "2018-H2",
        "status": "on_track",
        "percent_complete": 70,
        "narrative": "Both meetings held; the guidance note is drafted.",
        "achievements": "Guidance note drafted.",
        "budget_spent": "21000.00",
        "submitted_by": "secretariat",
        "submitted_at": "2017-02-14T10:30:00+01:00",
        "review": "accepted",
        "reviewer_comment": "On track; the budget is as planned.",
        "reviewed_by": "bureau_vice",
        "accepted_by": "secretariat",
        "accepted_at": "2017-02-14T10:30:00+01:00",
        "updated_at": "2017-02-14T10:30:00+01:00",
    },
)

INDICATOR_CREATE = examples(
    "Add an indicator",
    request={
        "activity": "PG-2018-001",
        "name": "Practitioners trained",
        "unit": "people",
        "baseline": "0",
        "target": "120",
        "direction": "higher",
    },
    response={
        "id": 14,
        "activity": "PG-2018-001",
        "name": "Practitioners trained",
        "unit": "people",
        "baseline": "0.00",
        "target": "120.00",
        "direction": "higher",
        "measurements": [],
        "reached": None,
    },
    status=201,
)

MEASUREMENT = examples(
    "Record a measurement",
    request={"date": "2018-06-30", "value": "45", "note": "After the first training."},
    response={
        "id": 14,
        "activity": "PG-2018-001",
        "name": "Practitioners trained",
        "unit": "people",
        "baseline": "0.00",
        "target": "120.00",
        "direction": "higher",
        "measurements": [
            {"id": 40, "date": "2018-06-30", "value": "45.00", "note": "After the first training."}
        ],
        "reached": False,
    },
    status=201,
)

FEEDBACK_REQUEST_CREATE = examples(
    "Ask named people and an invitee",
    request={
        "activity": "PG-2018-001",
        "audience": "named",
        "questions": "How useful was the guidance note for your service?",
        "deadline": "2030-06-30",
        "recipients": ["expert_health"],
        "invitees": [{"name": "Dr A. Martin", "email": "a.martin@example.org"}],
    },
    response={
        "kind": "results",
        "id": 11,
        "activity": "PG-2018-001",
        "activity_title": "Facility to support development, implementation and review of "
        "national drug policies 2018",
        "audience": "named",
        "questions": "How useful was the guidance note for your service?",
        "deadline": "2030-06-30",
        "status": "open",
        "answered": False,
        "recipients": ["expert_health"],
        "created_by": "secretariat",
        "created_at": "2017-02-14T10:30:00+01:00",
        "responses_count": 0,
        "relevance": None,
        "quality": None,
        "usefulness": None,
        "impact": None,
    },
    status=201,
)

FEEDBACK_RESPOND = examples(
    "Answer a request",
    request={
        "relevance": 5,
        "quality": 4,
        "usefulness": 4,
        "impact": 3,
        "comments": "Very practical.",
    },
    response={
        "id": 37,
        "respondent": "expert_health",
        "invitee": None,
        "relevance": 5,
        "quality": 4,
        "usefulness": 4,
        "impact": 3,
        "comments": "Very practical.",
        "created_at": "2017-02-14T10:30:00+01:00",
    },
    status=201,
)

FEEDBACK_REQUEST_CLOSE = examples(
    "Close a request",
    response={
        "kind": "results",
        "id": 11,
        "activity": "PG-2018-001",
        "activity_title": "Facility to support development, implementation and review of "
        "national drug policies 2018",
        "audience": "named",
        "questions": "How useful was the guidance note for your service?",
        "deadline": "2030-06-30",
        "status": "closed",
        "answered": False,
        "recipients": ["expert_health"],
        "created_by": "secretariat",
        "created_at": "2017-02-14T10:30:00+01:00",
        "responses_count": 1,
        "relevance": "5.00",
        "quality": "4.00",
        "usefulness": "4.00",
        "impact": "3.00",
    },
)

IMPACT_ASSESSMENT_CREATE = examples(
    "Record an impact assessment",
    request={
        "activity": "PG-2018-001",
        "date": "2018-12-01",
        "method": "Survey of participants six months after the activity",
        "findings": "Most participants used the guidance in their national plans.",
        "rating": 4,
    },
    response={
        "id": 10,
        "activity": "PG-2018-001",
        "date": "2018-12-01",
        "method": "Survey of participants six months after the activity",
        "findings": "Most participants used the guidance in their national plans.",
        "rating": 4,
        "evidence": None,
        "recorded_by": "secretariat",
        "created_at": "2017-02-14T10:30:00+01:00",
    },
    status=201,
)

EVALUATION_REPORT_COMPILE = examples(
    "Compile the report on 2015–2017",
    request={"first_year": 2015, "last_year": 2017, "scope": "all"},
    response={
        "id": 1,
        "reference": "P-PG (2017) 1",
        "status": "queued",
        "progress": 0,
        "error": "",
        "document_date": "2017-02-14",
        "first_year": 2015,
        "last_year": 2017,
        "scope": "all",
        "priority": None,
        "format": None,
        "url": "https://portal.example.org/api/v1/evaluation-reports/1/",
        "pdf": None,
        "docx": None,
    },
    status=202,
)
