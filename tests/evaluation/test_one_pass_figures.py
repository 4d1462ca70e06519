"""Figures read in one pass (issue 17: the first request after a write at 100,000
activities): the overdue reports counted in one query over the activities, the
overview's figures of the activities grouped once by format and status, and the indexes
the first requests read (PostgreSQL's planner takes them)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from activities.models import Activity
from evaluation import selectors
from evaluation.figures import activity_figures
from evaluation.overdue import (
    overdue_count,
    overdue_count_due,
    overdue_reports,
    overdue_reports_due,
)
from tests.activities.factories import ActivityFactory

from .factories import file_report


@pytest.fixture
def running(programme, states, secretariat):
    """The programme runs this year (so nothing is history); 2016–2017: one activity
    of both years with no report, one of 2016 with its H1 report, one cancelled, one
    from 2017-H2 only, one German-led of 2016."""
    type(programme).objects.filter(pk=programme.pk).update(last_year=timezone.localdate().year)
    fr = states["FR"]
    both = ActivityFactory(
        work_programme=programme,
        lead_member_state=fr,
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2017, 12, 31),
    )
    reported = ActivityFactory(work_programme=programme, lead_member_state=fr)
    file_report(reported, secretariat, "2016-H1")
    ActivityFactory(work_programme=programme, lead_member_state=fr, status="cancelled")
    ActivityFactory(
        work_programme=programme,
        lead_member_state=fr,
        start_date=dt.date(2017, 7, 1),
        end_date=dt.date(2017, 12, 31),
    )
    ActivityFactory(work_programme=programme, lead_member_state=states["DE"])
    return {"both": both, "fr": fr, "de": states["DE"]}


def test_the_overdue_count_is_the_number_of_overdue_rows(running):
    acts = Activity.objects.all()
    # 2016: both (H1, H2), reported (H2), the German one (H1, H2); the cancelled owes none.
    assert overdue_count(acts, 2016) == len(overdue_reports(acts, 2016)) == 5
    # 2017: both (H1, H2), the one of 2017-H2.
    assert overdue_count(acts, 2017) == len(overdue_reports(acts, 2017)) == 3
    assert overdue_count(acts, None, years=(2016, 2017)) == 8
    assert len(overdue_reports(acts, None, years=(2016, 2017))) == 8
    assert overdue_count(acts, 2016, today=dt.date(2016, 7, 29)) == 0  # H1 not due yet
    assert overdue_count(acts, 2016, today=dt.date(2016, 7, 30)) == 2  # H1 due: both, DE
    # Every half-year due, all delegations' or one delegation's.
    assert overdue_count_due() == len(overdue_reports_due()) == 8
    fr, de = running["fr"].pk, running["de"].pk
    assert overdue_count_due(fr) == len(overdue_reports_due(fr)) == 6
    assert overdue_count_due(de) == len(overdue_reports_due(de)) == 2


def test_the_overdue_count_follows_a_report_filed(running, secretariat):
    acts = Activity.objects.all()
    file_report(running["both"], secretariat, "2017-H1")
    assert overdue_count(acts, 2017) == len(overdue_reports(acts, 2017)) == 2


def test_a_programme_that_ended_owes_no_report(running, programme):
    type(programme).objects.filter(pk=programme.pk).update(last_year=2018)
    assert overdue_count(Activity.objects.all(), 2016) == 0
    assert overdue_count_due() == 0


def test_the_activity_figures_group_by_format_and_status(programme, states):
    first, second = programme.formats.order_by("number")[:2]

    def make(fmt, status, planned, spent, stated=False):
        ActivityFactory(
            work_programme=programme,
            permanent_format=fmt,
            status=status,
            planned_budget=Decimal(planned),
            spent=Decimal(spent),
            human_rights_considerations="Rights." if stated else "",
            gender_considerations="Gender." if stated else "",
        )

    make(first, "ongoing", "100.50", "10", stated=True)
    make(first, "completed", "200", "20.25")
    make(second, "ongoing", "300", "30")
    make(None, "planned", "400", "0", stated=True)
    make(None, "ongoing", "500", "50")
    ActivityFactory(work_programme=programme, human_rights_considerations="Only rights.")
    ActivityFactory(
        work_programme=programme, start_date=dt.date(2018, 1, 1), end_date=dt.date(2018, 12, 31)
    )
    figures = activity_figures(selectors.activities_in(2016, selectors.Scope()))
    assert figures.by_status == {"ongoing": 3, "completed": 1, "planned": 2}
    assert figures.transversal == {"stated": 2, "human_rights": 3, "gender": 2}
    assert [dict(r) for r in figures.budget_by_format] == [
        {
            "number": first.number,
            "name": first.name,
            "planned": Decimal("300.50"),
            "spent": Decimal("30.25"),
            "activities": 2,
        },
        {
            "number": second.number,
            "name": second.name,
            "planned": Decimal("300"),
            "spent": Decimal("30"),
            "activities": 1,
        },
        {
            "number": "—",
            "name": "Time-limited activities",
            "planned": Decimal("10900"),
            "spent": Decimal("50"),
            "activities": 3,
        },
    ]


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_years_activities_are_found_in_the_end_and_start_date_index(running):
    # On a few rows the planner may take any index holding the dates: the others are
    # dropped for this test (in its transaction, rolled back with it), so the plan says
    # whether this index serves the year's condition.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname <> %s"
            " AND (indexdef LIKE %s OR indexdef LIKE %s)",
            [Activity._meta.db_table, "activity_end_start", "%start_date%", "%end_date%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
    sql, params = Activity.objects.running_in(2016).values("pk").query.sql_with_params()
    plan = _plan(sql, params)
    assert "activity_end_start" in plan, plan


def test_the_reports_to_review_are_found_in_their_index(running, bureau_chair):
    sql, params = selectors.reports_to_review(bureau_chair).values("pk").query.sql_with_params()
    plan = _plan(sql, params)
    assert "progressreport_to_review" in plan, plan
