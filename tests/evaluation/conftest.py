"""The evaluation's shared fixtures: a French-led activity supervised by the Bureau's
Chair, a German-led one, and a report filed by France."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.activities.factories import ActivityFactory

from .factories import file_report


@pytest.fixture
def activity(programme, states, bureau_chair):
    """A French-led activity of 2016–2017, supervised by the Bureau's Chair; adopted ad
    hoc, so the public sees it too (an outsider is refused for want of a role, not of
    sight)."""
    a = ActivityFactory(
        work_programme=programme,
        lead_member_state=states["FR"],
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2017, 12, 31),
        supervisor=bureau_chair,
        status="ongoing",
        adoption_route="ad_hoc",
        planned_budget=Decimal("50000"),
    )
    a.thematic_priorities.add(programme.priorities.get(number="3.1"))
    return a


@pytest.fixture
def german_activity(programme, states):
    a = ActivityFactory(
        work_programme=programme,
        lead_member_state=states["DE"],
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2016, 12, 31),
        status="ongoing",
    )
    a.thematic_priorities.add(programme.priorities.get(number="3.2"))
    return a


@pytest.fixture
def report(activity, pc_fr):
    """France's report of 2016-H1, 40 % complete, on track."""
    return file_report(activity, pc_fr)
