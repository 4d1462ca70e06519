"""The dashboard's and the overview's figures are kept in the cache until the next
write (pompidou.listing): read twice they cost fewer queries, and a write shows on the
very next request."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation import selectors
from portal.dashboard import sections_for
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for

from .factories import file_report


def _count(user, label: str) -> int | None:
    items = {item.label: item for section in sections_for(user) for item in section.items}
    return items[label].count


def test_a_report_filed_shows_in_the_dashboards_count_at_the_next_request(activity, secretariat):
    file_report(activity, secretariat)
    assert _count(secretariat, "Progress reports awaiting acceptance") == 1
    with CaptureQueriesContext(connection) as again:
        assert _count(secretariat, "Progress reports awaiting acceptance") == 1
    file_report(activity, secretariat, "2016-H2")
    with CaptureQueriesContext(connection) as after:
        assert _count(secretariat, "Progress reports awaiting acceptance") == 2
    assert len(after.captured_queries) > len(again.captured_queries)


def test_the_overview_page_shows_a_changed_budget_at_the_next_request(
    activity, programme, secretariat
):
    client = client_for(secretariat)
    client.get("/en/evaluation/?year=2016")
    before = selectors.overview(2016, selectors.Scope())
    planned = sum(row["planned"] for row in before.budget_by_priority)
    activity.planned_budget += Decimal("1234")
    activity.save()
    response = client.get("/en/evaluation/?year=2016")
    assert response.status_code == 200
    rows = response.context["ov"].budget_by_priority
    assert sum(row["planned"] for row in rows) == planned + Decimal("1234")


def test_a_new_activity_counts_in_the_overview_at_the_next_request(programme, secretariat):
    client = client_for(secretariat)
    first = client.get("/en/evaluation/?year=2016").context["ov"].total
    ActivityFactory(
        work_programme=programme, start_date=dt.date(2016, 2, 1), end_date=dt.date(2016, 11, 30)
    )
    assert client.get("/en/evaluation/?year=2016").context["ov"].total == first + 1
