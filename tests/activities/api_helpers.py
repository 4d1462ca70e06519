"""Shared by the API tests of activities: the list's address, activities of the
2015–2018 programme, and request bodies."""

import datetime as dt

from activities.models import Activity, AnnualProgramme
from tests.activities.factories import ActivityFactory, AnnualProgrammeFactory, MilestoneFactory
from tests.conftest import client_as

LIST = "/api/v1/activities/"


def priority(programme, number):
    return programme.priorities.get(number=number)


def fmt(programme, number):
    return programme.formats.get(number=number)


def make(programme, states, **fields):
    """An activity of the 2015–2018 programme, led by France, under 3.2 unless told."""
    fields.setdefault("work_programme", programme)
    fields.setdefault("lead_member_state", states["FR"])
    fields.setdefault("thematic_priorities", [priority(programme, "3.2")])
    return ActivityFactory(**fields)


def adopted_programme(programme, year=2016, **fields):
    return AnnualProgrammeFactory(
        work_programme=programme,
        year=year,
        status=AnnualProgramme.Status.ADOPTED,
        adopted_on=dt.date(year - 1, 12, 1),
        **fields,
    )


def refs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


def payload(programme, **changes):
    body = {
        "title": "Drug-related crime in airports",
        "work_programme": programme.pk,
        "thematic_priorities": [priority(programme, "3.4").pk],
        "permanent_format": fmt(programme, "4.2").pk,
        "adoption_route": "ad_hoc",
        "lead_member_state": "FR",
        "participating_states": ["DE", "IT"],
        "start_date": "2016-03-01",
        "end_date": "2016-11-30",
        "planned_budget": "25000.00",
    }
    body.update(changes)
    return body


def post_status(user, activity, status, comment=""):
    return client_as(user).post(
        f"{LIST}{activity.reference}/status/", {"status": status, "comment": comment}, format="json"
    )


def grow_activities(programme, states, n):
    for i in range(n):
        activity = make(
            programme,
            states,
            adoption_route=Activity.Route.AD_HOC,
            thematic_priorities=[priority(programme, "3.2"), priority(programme, "3.4")],
        )
        activity.participating_states.set([states["DE"], states["IT"]])
        MilestoneFactory.create_batch(2, activity=activity, title=f"Step {i}")
