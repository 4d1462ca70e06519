import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import client_as


@pytest.fixture
def api():
    """An anonymous REST client."""
    return client_as(None)


@pytest.fixture
def base(programme, states):
    """The fields of an activity of the 2015–2018 programme, for the services."""
    return {
        "work_programme": programme,
        "title": "Darknet drug markets",
        "thematic_priorities": [programme.priorities.get(number="3.4")],
        "start_date": dt.date(2016, 2, 1),
        "end_date": dt.date(2016, 11, 30),
        "lead_member_state": states["DE"],
        "planned_budget": Decimal("25000"),
    }
