"""The dashboard's evaluation items and the lists behind them, and the rule on pasted
text in the evaluation's forms."""

import datetime as dt
from decimal import Decimal

import pytest

from evaluation import services
from evaluation.models import (
    FeedbackResponse,
)
from portal.dashboard import sections_for
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for

from .factories import answer_data, file_report, open_request, today, url

D = Decimal


# --- the dashboard ---------------------------------------------------------------------------


def _items(user) -> dict[str, object]:
    return {item.label: item for section in sections_for(user) for item in section.items}


def test_the_dashboard_counts_the_evaluation_tasks(
    activity, secretariat, bureau_chair, pc_fr, expert
):
    report = file_report(activity, secretariat)
    file_report(activity, secretariat, "2016-H2")
    services.progress_report_review(report=report, actor=bureau_chair, comment="Fine.")
    open_request(activity, secretariat, audience="experts")
    open_request(activity, secretariat, audience="correspondents")
    secretariat_items = _items(secretariat)
    assert secretariat_items["Progress reports awaiting acceptance"].count == 2
    assert "Progress reports overdue" in secretariat_items
    bureau = _items(bureau_chair)
    assert bureau["Progress reports to review"].count == 1  # H1 is reviewed already
    assert bureau["Feedback requests awaiting my answer"].count == 1  # a PC too
    assert _items(expert)["Feedback requests awaiting my answer"].count == 1
    pc = _items(pc_fr)
    assert pc["Feedback requests awaiting my answer"].url == url("my_feedback")
    assert "Progress reports due for activities my delegation leads" in pc


def test_the_lead_pc_sees_the_reports_due(programme, states, pc_fr, secretariat):
    # Seen while the programme still runs: its late reports are overdue. Once its
    # period has ended they are history (Activity.objects.not_history).
    type(programme).objects.filter(pk=programme.pk).update(last_year=dt.date.today().year)
    from evaluation import periods

    due = periods.last_due(today())
    start, end = periods.bounds(due)
    late = ActivityFactory(
        work_programme=programme,
        lead_member_state=states["FR"],
        start_date=start,
        end_date=end,
        status="ongoing",
    )
    ActivityFactory(  # another delegation's: not counted for pc_fr
        work_programme=programme,
        lead_member_state=states["DE"],
        start_date=start,
        end_date=end,
        status="ongoing",
    )
    item = _items(pc_fr)["Progress reports due for activities my delegation leads"]
    assert item.count == 1
    assert item.url == "/en/evaluation/progress-reports/?show=overdue&mine=1"
    rows = client_for(pc_fr).get(item.url).content.decode().count('data-testid="todo-row"')
    assert rows == 1
    assert late.reference in client_for(pc_fr).get(item.url).content.decode()
    assert _items(secretariat)["Progress reports overdue"].count == 2


def test_the_answer_form_keeps_a_pasted_line_break_and_refuses_a_control_character(
    activity, secretariat, expert
):
    request = open_request(activity, secretariat)
    client = client_for(expert)
    prefix = f"r{request.pk}-"
    response = client.post(
        url("feedback_answer", request.pk), answer_data(prefix, comments="Use\x1bful")
    )
    assert response.status_code == 400
    assert "U+001B" in response.context["items"][0]["form"].errors["comments"][0]
    assert not FeedbackResponse.objects.exists()
    client.post(url("feedback_answer", request.pk), answer_data(prefix, comments="Use\x0cful"))
    assert FeedbackResponse.objects.get().comments == "Use\nful"


@pytest.mark.parametrize("show", ["awaiting_acceptance", "overdue"])
def test_the_progress_report_lists_behind_the_dashboard_read_a_fixed_number_of_queries(
    show, programme, states, secretariat, expert
):
    """The same number of queries for 2 activities and for 8: nothing per row (the
    overdue list asks one query per half-year due, whatever the number of rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The activities run this year, in a programme still running (not history).
    type(programme).objects.filter(pk=programme.pk).update(last_year=today().year + 1)
    start = dt.date(today().year - 1, 1, 1)
    client = client_for(secretariat)
    counts, rows = [], []
    for n in (2, 8):
        while ActivityFactory._meta.model.objects.count() < n:
            a = ActivityFactory(
                work_programme=programme,
                lead_member_state=states["FR"],
                start_date=start,
                end_date=start + dt.timedelta(days=500),
                status="ongoing",
                adoption_route="ad_hoc",
            )
            file_report(a, secretariat, f"{start.year}-H1")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("progress_reports"), {"show": show})
        assert response.status_code == 200
        counts.append(len(queries))
        rows.append(response.content.decode().count('data-testid="todo-row"'))
    # One row per activity awaiting acceptance; per activity and half-year overdue.
    assert rows[0] >= 2 and rows[1] == 4 * rows[0]
    assert counts[0] == counts[1], counts
