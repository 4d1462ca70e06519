"""The API answers its lists in an exact number of queries, the same at two sizes."""

import datetime as dt

from activities.models import Activity
from tests.activities.api_helpers import (
    LIST,
    adopted_programme,
    grow_activities,
    make,
)
from tests.activities.factories import (
    AnnualProgrammeEntryFactory,
)
from tests.conftest import client_as

# --- query counts --------------------------------------------------------------------


def test_activity_list_answers_in_a_constant_number_of_queries(
    api, programme, states, django_assert_num_queries
):
    for total in (3, 30):
        grow_activities(programme, states, total - Activity.objects.count())
        # the sync watermark with the last deletion, the newest change and count
        # (ETag), count, the page's keys, its rows not cached (with lead state and
        # supervisor), milestones, participating states, priorities
        with django_assert_num_queries(8):
            response = api.get(LIST, {"page_size": 500})
        assert response.json()["count"] == total


def test_activity_list_for_a_member_answers_in_a_constant_number_of_queries(
    pc_fr, programme, states, django_assert_num_queries
):
    client = client_as(pc_fr)
    for total in (3, 30):
        grow_activities(programme, states, total - Activity.objects.count())
        # session, user, the user's groups, profile and Bureau mandates (roles),
        # the sync watermark with the last deletion, the newest change and count
        # (ETag), count, the page's keys, its rows not cached, milestones,
        # participating states, priorities, then the session saved again (idle
        # timeout: savepoint, update, release)
        with django_assert_num_queries(16):
            response = client.get(LIST, {"page_size": 500})
        assert response.json()["count"] == total


def test_annual_programme_list_answers_in_a_constant_number_of_queries(
    api, programme, states, django_assert_num_queries
):
    for year, size in ((2015, 3), (2016, 30)):
        ap = adopted_programme(programme, year=year)
        for _ in range(size):
            AnnualProgrammeEntryFactory(
                annual_programme=ap,
                activity=make(
                    programme, states, start_date=dt.date(year, 1, 1), end_date=dt.date(year, 9, 1)
                ),
            )
        # the sync watermark with the last deletion, the newest change and count
        # (ETag), count, programmes with totals (work programme, meeting joined),
        # entries with their activity
        with django_assert_num_queries(5):
            response = api.get("/api/v1/annual-programmes/")
        assert (
            sum(ap["entry_count"] for ap in response.json()["results"]) == Activity.objects.count()
        )
