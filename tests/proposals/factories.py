"""Helpers that build proposals through the services, as users would."""

import datetime as dt
from decimal import Decimal

from proposals import services


def draft(actor, programme, **fields):
    values = {
        "title": "Darknet drug markets: training for customs",
        "scope": "Customs and police officers of member States.",
        "purpose": "Build skills to detect drug sales on darknet markets.",
        "expected_outcome": "A training module and a network of trainers.",
        "start_date": dt.date(2017, 3, 1),
        "end_date": dt.date(2017, 11, 30),
        "thematic_priorities": [programme.priorities.get(number="3.4")],
        "estimated_cost": Decimal("30000"),
        "route": "annual",
        "year": 2017,
        "human_rights_statement": "Respects privacy and due process.",
        "gender_statement": "Balanced trainer pool.",
        **fields,
    }
    return services.proposal_create(actor=actor, **values)


def submitted(actor, programme, **fields):
    proposal = draft(actor, programme, **fields)
    return services.proposal_submit(proposal=proposal, actor=actor)


def full_scores(proposal, score=Decimal("4"), comment=""):
    return [
        {"criterion": c.pk, "score": score, "comment": comment}
        for c in services.scored_criteria(proposal)
    ]
