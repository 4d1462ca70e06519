"""Examples of the proposals API's requests and answers for /api/docs/: real answers
of the demo data (``load_demo``), dates aside."""

from pompidou.schema import examples

PROPOSAL_CREATE = examples(
    "Draft a proposal",
    request={
        "member_state": "FR",
        "title": "Prison health: opioid substitution on release",
        "scope": "Prison health services of member states.",
        "purpose": "Compare continuity of care between prison and community.",
        "expected_outcome": "Guidance for prison health services.",
        "start_date": "2017-01-01",
        "end_date": "2017-12-31",
        "thematic_priorities": [1],
        "permanent_format": None,
        "estimated_cost": "30000.00",
        "route": "ad_hoc",
        "human_rights_statement": "Equivalence of care in prison.",
        "gender_statement": "Women in prison are addressed separately.",
    },
    response={
        "id": 12,
        "reference": "PR-2017-0001",
        "status": "draft",
        "route": "ad_hoc",
        "year": None,
        "member_state": "FR",
        "proposer": "pc_fr",
        "title": "Prison health: opioid substitution on release",
        "scope": "Prison health services of member states.",
        "purpose": "Compare continuity of care between prison and community.",
        "expected_outcome": "Guidance for prison health services.",
        "start_date": "2017-01-01",
        "end_date": "2017-12-31",
        "thematic_priorities": [1],
        "permanent_format": None,
        "estimated_cost": "30000.00",
        "urgency_justification": "",
        "human_rights_statement": "Equivalence of care in prison.",
        "gender_statement": "Women in prison are addressed separately.",
        "submitted_at": None,
        "supports": [],
        "activity": None,
        "created_at": "2017-02-14T10:30:00+01:00",
    },
    status=201,
)

PROPOSAL_PATCH = examples(
    "Change the estimated cost",
    request={"estimated_cost": "35000.00"},
    response={
        "id": 12,
        "reference": "PR-2017-0001",
        "status": "draft",
        "route": "ad_hoc",
        "year": None,
        "member_state": "FR",
        "proposer": "pc_fr",
        "title": "Prison health: opioid substitution on release",
        "scope": "Prison health services of member states.",
        "purpose": "Compare continuity of care between prison and community.",
        "expected_outcome": "Guidance for prison health services.",
        "start_date": "2017-01-01",
        "end_date": "2017-12-31",
        "thematic_priorities": [1],
        "permanent_format": None,
        "estimated_cost": "35000.00",
        "urgency_justification": "",
        "human_rights_statement": "Equivalence of care in prison.",
        "gender_statement": "Women in prison are addressed separately.",
        "submitted_at": None,
        "supports": [],
        "activity": None,
        "created_at": "2017-02-14T10:30:00+01:00",
    },
)

PROPOSAL_SUBMIT = examples(
    "Submit the draft",
    response={
        "id": 12,
        "reference": "PR-2017-0001",
        "status": "submitted",
        "route": "ad_hoc",
        "year": None,
        "member_state": "FR",
        "proposer": "pc_fr",
        "title": "Prison health: opioid substitution on release",
        "scope": "Prison health services of member states.",
        "purpose": "Compare continuity of care between prison and community.",
        "expected_outcome": "Guidance for prison health services.",
        "start_date": "2017-01-01",
        "end_date": "2017-12-31",
        "thematic_priorities": [1],
        "permanent_format": None,
        "estimated_cost": "35000.00",
        "urgency_justification": "",
        "human_rights_statement": "Equivalence of care in prison.",
        "gender_statement": "Women in prison are addressed separately.",
        "submitted_at": "2017-02-14T10:30:00+01:00",
        "supports": [],
        "activity": None,
        "created_at": "2017-02-14T10:30:00+01:00",
    },
)

PROPOSAL_WITHDRAW = examples(
    "Withdraw the proposal",
    request={"comment": "Merged into PR-2017-0003."},
    response={
        "id": 12,
        "reference": "PR-2017-0001",
        "status": "withdrawn",
        "route": "ad_hoc",
        "year": None,
        "member_state": "FR",
        "proposer": "pc_fr",
        "title": "Prison health: opioid substitution on release",
        "scope": "Prison health services of member states.",
        "purpose": "Compare continuity of care between prison and community.",
        "expected_outcome": "Guidance for prison health services.",
        "start_date": "2017-01-01",
        "end_date": "2017-12-31",
        "thematic_priorities": [1],
        "permanent_format": None,
        "estimated_cost": "35000.00",
        "urgency_justification": "",
        "human_rights_statement": "Equivalence of care in prison.",
        "gender_statement": "Women in prison are addressed separately.",
        "submitted_at": "2017-02-14T10:30:00+01:00",
        "supports": [],
        "activity": None,
        "created_at": "2017-02-14T10:30:00+01:00",
    },
)

SUPPORT_ADD = examples(
    "Support as a PC of another delegation",
    request={},
    response={
        "member_state": "DE",
        "supporter": "pc_de",
        "note": "",
        "created_at": "2017-02-14T10:30:00+01:00",
    },
    status=201,
)

ASSESSOR_ASSIGN = examples(
    "Invite an assessor",
    request={"username": "expert_health", "due_date": "2030-12-01"},
    response={
        "id": 9,
        "assessor": "expert_health",
        "status": "draft",
        "due_date": "2030-12-01",
        "submitted_at": None,
        "scores": [],
    },
    status=201,
)

ASSESSMENT_SAVE = examples(
    "Score every criterion and submit",
    request={
        "scores": [
            {"criterion": 2, "score": 4.0, "comment": "Clear and feasible."},
            {"criterion": 3, "score": 4.0, "comment": ""},
            {"criterion": 4, "score": 4.0, "comment": ""},
            {"criterion": 5, "score": 4.0, "comment": ""},
            {"criterion": 6, "score": 4.0, "comment": ""},
            {"criterion": 7, "score": 4.0, "comment": ""},
            {"criterion": 8, "score": 4.0, "comment": ""},
        ],
        "submit": True,
    },
    response={
        "id": 9,
        "assessor": "expert_health",
        "status": "submitted",
        "due_date": "2030-12-01",
        "submitted_at": "2017-02-14T10:30:00+01:00",
        "scores": [
            {"criterion": 2, "score": "4.0", "comment": "Clear and feasible."},
            {"criterion": 3, "score": "4.0", "comment": ""},
            {"criterion": 4, "score": "4.0", "comment": ""},
            {"criterion": 5, "score": "4.0", "comment": ""},
            {"criterion": 6, "score": "4.0", "comment": ""},
            {"criterion": 7, "score": "4.0", "comment": ""},
            {"criterion": 8, "score": "4.0", "comment": ""},
        ],
    },
)

DECISION = examples(
    "Record the adoption",
    request={
        "outcome": "adopted",
        "meeting": 8,
        "rationale": "Supported by Germany; well above the threshold.",
        "confirm_over_ceiling": True,
    },
    response={
        "id": 4,
        "outcome": "adopted",
        "body": "pc",
        "meeting": 8,
        "decided_on": "2018-11-27",
        "rationale": "Supported by Germany; well above the threshold.",
        "over_ceiling_confirmed": False,
        "proposal_status": "adopted",
        "activity": "PG-2017-015",
    },
    status=201,
)

BUREAU_VOTE = examples(
    "Approve an urgent proposal",
    request={"vote": "approve", "comment": "Urgent: the new substance is spreading."},
    response={
        "vote": "approve",
        "comment": "Urgent: the new substance is spreading.",
        "voter": "bureau_chair",
        "updated_at": "2017-02-14T10:30:00+01:00",
        "proposal_status": "bureau_vote",
        "activity": None,
    },
)

ATTACHMENT_ADD = examples(
    "Attach the terms of reference (multipart)",
    request={"file": "terms-of-reference.pdf", "title": "Terms of reference"},
    response={
        "id": 3,
        "title": "Terms of reference",
        "filename": "terms-of-reference.pdf",
        "created_at": "2017-02-14T10:30:00+01:00",
        "url": "https://portal.example.org/api/v1/proposals/12/attachments/3/",
    },
    status=201,
    media_type="multipart/form-data",
)

COMMENT_ADD = examples(
    "Reply in the discussion, mentioning a Permanent Correspondent",
    request={"body": "Four prisons in the first year, @pc_de.", "channel": "public", "parent": 7},
    response={
        "id": 8,
        "channel": "public",
        "parent": 7,
        "author": "pc_pl",
        "author_name": "Piotr Nowak",
        "body": "Four prisons in the first year, @pc_de.",
        "mentions": ["pc_de"],
        "created_at": "2018-05-02T09:15:00+02:00",
        "edited_at": None,
        "withdrawn": False,
    },
    status=201,
)
