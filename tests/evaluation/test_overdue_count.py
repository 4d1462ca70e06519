"""``overdue_count`` (one filtered count per half-year over the activities that can be
overdue) gives the number of rows of ``overdue_reports`` (a UNION of one scan per
half-year), whatever the activities, year, span or delegation."""

import datetime as dt

import pytest

from activities.models import Activity
from evaluation import overdue, selectors
from tests.activities.factories import ActivityFactory

from .factories import file_report
from .test_views_long_lists import many_late  # noqa: F401 (a fixture)


@pytest.fixture
def mixed(many_late, programme, states, secretariat):  # noqa: F811
    """Besides ``many_late``: an activity of the second half of 2016 only, one spanning
    2016 and 2017 with its 2016-H2 report, a cancelled one and one led by nobody."""
    ActivityFactory(
        work_programme=programme,
        lead_member_state=states["FR"],
        status="ongoing",
        start_date=dt.date(2016, 9, 1),
        end_date=dt.date(2016, 11, 30),
    )
    spanning = ActivityFactory(
        work_programme=programme,
        lead_member_state=states["DE"],
        status="completed",
        start_date=dt.date(2016, 3, 1),
        end_date=dt.date(2017, 8, 31),
    )
    file_report(spanning, secretariat, "2016-H2")
    ActivityFactory(work_programme=programme, status="cancelled")
    ActivityFactory(work_programme=programme, status="ongoing", lead_member_state=None)
    return many_late


def _cases(mixed, states):
    everything = Activity.objects.all()
    of_p31 = selectors.activities_in(2016, selectors.Scope(priority=mixed["p31"]))
    french = everything.filter(lead_member_state=states["FR"])
    return [
        (everything, 2016, None),
        (everything, 2017, None),
        (everything, None, None),
        (everything, None, (2015, 2017)),
        (of_p31, 2016, None),
        (french, None, None),
        (everything.none(), 2016, None),
    ]


def test_the_count_is_the_number_of_overdue_rows(mixed, states):
    for qs, year, years in _cases(mixed, states):
        rows = overdue.overdue_reports(qs, year, years=years)
        assert overdue.overdue_count(qs, year, years=years) == len(list(rows)), (year, years)
    assert overdue.overdue_count(Activity.objects.all(), 2016) > 0


def test_the_dashboards_count_is_the_number_of_its_list(mixed, states):
    assert overdue.overdue_count_due() == len(list(overdue.overdue_reports_due()))
    fr = states["FR"].pk
    assert overdue.overdue_count_due(fr) == len(list(overdue.overdue_reports_due(fr)))


def test_nothing_due_counts_zero(mixed):
    later = dt.date.today().year + 1
    assert overdue.overdue_count(Activity.objects.all(), later) == 0
