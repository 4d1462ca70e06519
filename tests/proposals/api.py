"""What the API tests of proposals share: the addresses, a complete body, Bureau
members and the fixtures of a proposal under assessment and an urgent one."""

import datetime as dt

from programme.services import account_create
from tests.conftest import client_as

LIST = "/api/v1/proposals/"


def url(proposal, step: str = "") -> str:
    pk = proposal if isinstance(proposal, int) else proposal.pk
    return f"{LIST}{pk}/{step}"


def complete_body(programme, **fields) -> dict:
    """A complete proposal as a client sends it: the darknet training for 2017."""
    return {
        "member_state": "FR",
        "title": "Darknet drug markets: training for customs",
        "scope": "Customs and police officers of member States.",
        "purpose": "Build skills to detect drug sales on darknet markets.",
        "expected_outcome": "A training module and a network of trainers.",
        "start_date": "2017-03-01",
        "end_date": "2017-11-30",
        "thematic_priorities": [programme.priorities.get(number="3.4").pk],
        "permanent_format": None,
        "estimated_cost": "30000.00",
        "route": "annual",
        "year": 2017,
        "urgency_justification": "",
        "human_rights_statement": "Respects privacy and due process.",
        "gender_statement": "Balanced trainer pool.",
        **fields,
    }


def bureau_member(username: str, code: str):
    return account_create(
        username=username,
        role="bureau",
        office="field_coordinator",
        member_state_code=code,
        mandate_start=dt.date(2015, 1, 1),
        password="x" * 12,
        validate=False,
    )


def vote(user, proposal, choice="approve"):
    return client_as(user).post(
        url(proposal, "bureau-votes/"), {"vote": choice, "comment": ""}, format="json"
    )
