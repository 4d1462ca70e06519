"""The overview of the Bureau and the Secretariat: its figures agree with the data, it
narrows to a scope, its charts download as CSV, and its pages answer in a constant
number of queries."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation import services
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for

from .factories import RATINGS, file_report, open_request, url

D = Decimal


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- the overview's figures ------------------------------------------------------------------


@pytest.fixture
def year_2016(programme, states, secretariat, expert, pc_fr, bureau_chair):
    """Three activities running in 2016 (and one of 2015 only, left out):

    - A (FR, ongoing): 10,000 planned, 4,000 spent; 3.1 and format 4.2; both
      considerations stated; reports H1 on track, H2 at risk; an indicator on target;
      two feedback answers.
    - B (DE, completed): 20,000 / 20,000; 3.2, no format; human rights stated only;
      report H1 off track (H2 overdue); an indicator off target.
    - C (FR, planned): 5,000 / 0; 3.1, no format; nothing stated; no report (H1 and
      H2 overdue); an indicator not measured yet.
    """
    # Seen while the programme still runs: its late reports are overdue. Once its
    # period has ended they are history (Activity.objects.not_history).
    type(programme).objects.filter(pk=programme.pk).update(last_year=dt.date.today().year)
    p31 = programme.priorities.get(number="3.1")
    p32 = programme.priorities.get(number="3.2")
    f42 = programme.formats.get(number="4.2")
    base = {"work_programme": programme, "adoption_route": "ad_hoc"}
    year = {"start_date": dt.date(2016, 1, 1), "end_date": dt.date(2016, 12, 31)}
    a = ActivityFactory(
        **base,
        **year,
        lead_member_state=states["FR"],
        status="ongoing",
        planned_budget=D("10000"),
        spent=D("4000"),
        permanent_format=f42,
        human_rights_considerations="Rights.",
        gender_considerations="Gender.",
        thematic_priorities=[p31],
        supervisor=bureau_chair,
    )
    b = ActivityFactory(
        **base,
        **year,
        lead_member_state=states["DE"],
        status="completed",
        planned_budget=D("20000"),
        spent=D("20000"),
        human_rights_considerations="Rights.",
        thematic_priorities=[p32],
    )
    c = ActivityFactory(
        **base,
        **year,
        lead_member_state=states["FR"],
        status="planned",
        planned_budget=D("5000"),
        thematic_priorities=[p31],
    )
    ActivityFactory(
        **base,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2015, 12, 31),
        lead_member_state=states["FR"],
        status="completed",
        planned_budget=D("99999"),
        thematic_priorities=[p31],
    )
    file_report(a, secretariat, "2016-H1", status="on_track")
    file_report(a, secretariat, "2016-H2", status="at_risk")
    file_report(b, secretariat, "2016-H1", status="off_track")
    on = services.indicator_add(activity=a, actor=secretariat, name="On", baseline=0, target=100)
    services.measurement_add(indicator=on, actor=secretariat, date=dt.date(2016, 6, 1), value=120)
    off = services.indicator_add(
        activity=b, actor=secretariat, name="Off", baseline=80, target=50, direction="lower"
    )
    services.measurement_add(indicator=off, actor=secretariat, date=dt.date(2016, 6, 1), value=60)
    services.indicator_add(activity=c, actor=secretariat, name="None yet", baseline=0, target=1)
    request = open_request(a, secretariat, audience="named", recipients=[expert, pc_fr])
    services.feedback_respond(
        request=request, actor=expert, relevance=4, quality=5, usefulness=3, impact=2
    )
    services.feedback_respond(
        request=request, actor=pc_fr, relevance=5, quality=4, usefulness=4, impact=3
    )
    return {"a": a, "b": b, "c": c, "p31": p31, "p32": p32, "f42": f42}


def test_the_overviews_figures_agree_with_the_data(year_2016, bureau_chair):
    response = client_for(bureau_chair).get(url("overview"), {"year": 2016})
    assert response.status_code == 200
    ov = response.context["ov"]
    assert ov.total == 3
    assert ov.by_status == {"ongoing": 1, "completed": 1, "planned": 1}
    assert ov.by_rag == {"at_risk": 1, "off_track": 1, "none": 1}
    budget = {
        r["number"]: (r["activities"], r["planned"], r["spent"]) for r in ov.budget_by_priority
    }
    assert budget == {"3.1": (2, D("15000"), D("4000")), "3.2": (1, D("20000"), D("20000"))}
    formats = {r["number"]: (r["planned"], r["spent"]) for r in ov.budget_by_format}
    assert formats == {"4.2": (D("10000"), D("4000")), "—": (D("25000"), D("20000"))}
    assert ov.feedback["responses"] == 2
    assert float(ov.feedback["relevance"]) == 4.5 and float(ov.feedback["impact"]) == 2.5
    assert ov.indicators == {"total": 3, "measured": 2, "on_target": 1, "off_target": 1}
    assert ov.transversal == {"stated": 1, "human_rights": 2, "gender": 1}
    assert ov.transversal_share == D("33.3")
    overdue = {(o["period"], o["activity_id"]) for o in ov.overdue}
    a, b, c = year_2016["a"], year_2016["b"], year_2016["c"]
    assert overdue == {("2016-H2", b.pk), ("2016-H1", c.pk), ("2016-H2", c.pk)}
    page = response.content.decode()
    # The figures on the page, and each chart's table and data.
    assert 'data-testid="figure-total">3<' in page
    assert 'data-testid="figure-overdue">3<' in page
    assert "33.3 %" in page
    rag = response.context["charts"]["rag"]
    assert rag.rows == [["On track", 0], ["At risk", 1], ["Off track", 1], ["No report", 1]]
    assert rag.spec["datasets"][0]["data"] == [0, 1, 1, 1]
    assert 'role="img"' in page and 'id="chart-rag-data"' in page
    assert "At risk: activities 1" in rag.description
    assert 'data-testid="chart-rag-table"' in page
    for reference in (b.reference, c.reference):
        assert reference in page
    assert a.reference not in page.split('data-testid="overdue-table"')[1].split("</table>")[0]


def test_the_overview_narrows_to_a_priority_or_a_format(year_2016, secretariat):
    client = client_for(secretariat)
    p32, f42 = year_2016["p32"], year_2016["f42"]
    by_priority = client.get(
        url("overview"), {"year": 2016, "scope": "priority", "priority": p32.pk}
    )
    assert by_priority.context["ov"].total == 1
    assert by_priority.context["ov"].by_status == {"completed": 1}
    by_format = client.get(
        url("overview"), {"year": 2016, "scope": "format", "permanent_format": f42.pk}
    )
    assert by_format.context["ov"].total == 1
    assert by_format.context["ov"].by_rag == {"at_risk": 1}


def test_a_scope_without_its_priority_is_a_field_error(year_2016, secretariat):
    response = client_for(secretariat).get(url("overview"), {"year": 2016, "scope": "priority"})
    assert response.status_code == 400
    assert response.context["form"].errors["priority"] == ["Choose the thematic priority."]
    assert "ov" not in response.context


def test_a_year_outside_the_programme_is_a_field_error(year_2016, secretariat):
    response = client_for(secretariat).get(url("overview"), {"year": 2030})
    assert response.status_code == 400
    assert response.context["form"].errors["year"]


def test_the_overview_opens_on_the_latest_year_with_activities(year_2016, bureau_chair):
    # The programme runs from 2015 to this year (year_2016); the latest activity ends in 2016.
    response = client_for(bureau_chair).get(url("overview"))
    assert response.context["year"] == 2016
    years = list(dict(response.context["form"].fields["year"].choices))
    assert years == list(range(2015, dt.date.today().year + 1))


def test_the_secretariat_gets_the_compile_form(year_2016, secretariat, bureau_chair):
    page = client_for(secretariat).get(url("overview"), {"year": 2016}).content.decode()
    assert "Compile the evaluation report" in page
    for name in ("first_year", "last_year", "scope", "priority", "format"):
        assert f'name="{name}"' in page
    assert reverse("evaluation:compile_report") in page
    other = client_for(bureau_chair).get(url("overview"), {"year": 2016}).content.decode()
    assert "Compile the evaluation report" not in other


# --- CSV downloads ----------------------------------------------------------------------------


def test_each_overview_chart_downloads_as_csv(year_2016, bureau_chair):
    client = client_for(bureau_chair)

    def get(chart, **extra):
        return csv_rows(
            client.get(url("overview"), {"year": 2016, "format": "csv", "chart": chart, **extra})
        )

    assert get("rag") == [
        ["RAG status", "Activities"],
        ["On track", "0"],
        ["At risk", "1"],
        ["Off track", "1"],
        ["No report", "1"],
    ]
    budget = get("budget-priority")
    assert budget[0] == ["Priority", "Activities", "Planned (EUR)", "Spent (EUR)"]
    assert [row[0][:4] for row in budget[1:]] == ["3.1 ", "3.2 "]
    assert [row[1:] for row in budget[1:]] == [
        ["2", "15000.00", "4000.00"],
        ["1", "20000.00", "20000.00"],
    ]
    assert get("budget-format")[1:] == [
        [get("budget-format")[1][0], "1", "10000.00", "4000.00"],
        ["Time-limited activities", "2", "25000.00", "20000.00"],
    ]
    assert get("status")[1:4] == [["Planned", "1"], ["Ongoing", "1"], ["Completed", "1"]]
    assert get("feedback")[1] == ["Relevance", "4.50", "2"]
    assert get("indicators")[1:] == [
        ["On target", "1"],
        ["Off target", "1"],
        ["Not measured yet", "1"],
    ]
    assert get("transversal")[3] == ["Both", "1", "33.30"]
    overdue = get("overdue")
    assert overdue[0] == ["Period", "Activity", "Title", "Lead member state"]
    assert len(overdue) == 4
    # The scope travels with the download.
    p32 = year_2016["p32"]
    assert get("status", scope="priority", priority=p32.pk)[1:4] == [
        ["Planned", "0"],
        ["Ongoing", "0"],
        ["Completed", "1"],
    ]


def test_the_csv_links_carry_the_year_and_scope(year_2016, bureau_chair):
    p32 = year_2016["p32"]
    response = client_for(bureau_chair).get(
        url("overview"), {"scope": "priority", "priority": p32.pk}
    )
    link = response.context["charts"]["rag"].csv_url
    assert link == f"?year=2016&scope=priority&priority={p32.pk}&format=csv&chart=rag"


def test_an_unknown_chart_is_a_bad_request(year_2016, bureau_chair):
    response = client_for(bureau_chair).get(url("overview"), {"format": "csv", "chart": "nope"})
    assert response.status_code == 400


def test_a_csv_cell_never_starts_a_formula(activity, secretariat):
    indicator = services.indicator_add(
        activity=activity, actor=secretariat, name="X", baseline=0, target=1
    )
    services.measurement_add(
        indicator=indicator,
        actor=secretariat,
        date=dt.date(2016, 3, 1),
        value=1,
        note="=HYPERLINK()",
    )
    rows = csv_rows(
        client_for(secretariat).get(
            url("activity", activity.reference),
            {"format": "csv", "chart": f"indicator-{indicator.pk}"},
        )
    )
    assert rows == [
        ["Date", "Value", "Baseline", "Target", "Note"],
        ["2016-03-01", "1.00", "0.00", "1.00", "'=HYPERLINK()"],
    ]


def test_the_activitys_charts_download_as_csv(activity, secretariat, pc_de):
    file_report(activity, secretariat, "2016-H1", percent_complete=30)
    file_report(activity, secretariat, "2016-H2", percent_complete=55, status="at_risk")
    rows = csv_rows(
        client_for(pc_de).get(
            url("activity", activity.reference), {"format": "csv", "chart": "progress"}
        )
    )
    assert rows == [
        ["Period", "Status", "Percent complete"],
        ["2016-H1", "On track", "30"],
        ["2016-H2", "At risk", "55"],
    ]
    page = client_for(pc_de).get(url("activity", activity.reference))
    chart = page.context["progress_chart"]
    assert chart.spec["datasets"][0]["data"] == [30, 55]
    assert 'id="chart-progress-data"' in page.content.decode()


# --- query budgets ------------------------------------------------------------------------------


def _activities(programme, states, secretariat, expert, n: int):
    p31 = programme.priorities.get(number="3.1")
    f42 = programme.formats.get(number="4.2")
    for i in range(n):
        a = ActivityFactory(
            work_programme=programme,
            adoption_route="ad_hoc",
            lead_member_state=states["FR" if i % 2 else "DE"],
            permanent_format=f42 if i % 3 else None,
            start_date=dt.date(2016, 1, 1),
            end_date=dt.date(2016, 12, 31),
            status="ongoing",
            thematic_priorities=[p31],
        )
        file_report(a, secretariat, "2016-H1")
        indicator = services.indicator_add(
            activity=a, actor=secretariat, name="N", baseline=0, target=10
        )
        services.measurement_add(
            indicator=indicator, actor=secretariat, date=dt.date(2016, 5, 1), value=i
        )
        request = open_request(a, secretariat)
        services.feedback_respond(request=request, actor=expert, **RATINGS)


@pytest.mark.parametrize("n", [2, 12])
def test_the_overview_answers_in_a_constant_number_of_queries(
    n, programme, states, secretariat, expert, django_assert_num_queries
):
    _activities(programme, states, secretariat, expert, n)
    client = client_for(secretariat)
    # 1 session, 2 user; roles: 3 groups, 4 profile, 5 Bureau mandates;
    # 6 the work programme in force, 7 its priorities, 8 its formats;
    # 9 the latest year with activities (no year given);
    # the human-rights and gender coverage (evaluation/coverage.py): 10 the programmes
    # to choose from, 11 by format and lead state (its totals, by format and by state
    # added up from it), 12 by priority, 13 the first 20 activities lacking either;
    # the overview's aggregates: 14 by format and status (the count by status, the
    # budget by format and of the activities outside the formats, the transversal
    # considerations: evaluation/figures.py), 15 the formats' names, 16 by RAG,
    # 17 feedback means, 18 indicators on/off target, 19 budget by priority;
    # the overdue reports of 2016-H1 and 2016-H2: 20 how many, 21 the first 20 of them;
    # 22 the unread notices (the nav);
    # 23-25 the session saved again (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST).
    with django_assert_num_queries(25):
        response = client.get(url("overview"))
    assert response.context["ov"].total == n


@pytest.mark.parametrize("n", [1, 6])
def test_the_activity_tab_answers_in_a_constant_number_of_queries(
    n, activity, secretariat, expert, django_assert_num_queries
):
    for i in range(n):
        if i < 4:  # the activity runs four half-years
            file_report(activity, secretariat, ["2016-H1", "2016-H2", "2017-H1", "2017-H2"][i])
        indicator = services.indicator_add(
            activity=activity, actor=secretariat, name=f"I{i}", baseline=0, target=10
        )
        services.measurement_add(
            indicator=indicator, actor=secretariat, date=dt.date(2016, 5, 1), value=i
        )
        request = open_request(activity, secretariat, questions=f"Question {i}?")
        services.feedback_respond(request=request, actor=expert, **RATINGS)
    client = client_for(secretariat)
    # 1 session, 2 user; roles: 3 groups, 4 profile, 5 Bureau mandates;
    # the activity (get_activity_for_user): 6 the row, 7 priorities, 8 participating
    # states, 9 milestones, 10 history, 11 annual entries;
    # the tab (selectors.activity_evaluation): 12 reports, 13 indicators,
    # 14 their measurements, 15 feedback requests with means, 16 their answers,
    # 17 their named recipients, 18 their invitations (each one's state);
    # 19 impact assessments; 20 the people offered for a named request;
    # 21 the unread notices (the nav); 22-24 the session saved again (savepoint, update,
    # release).
    with django_assert_num_queries(24):
        response = client.get(url("activity", activity.reference))
    assert len(response.context["indicators"]) == n


@pytest.mark.parametrize("n", [1, 6])
def test_my_feedback_requests_answer_in_a_constant_number_of_queries(
    n, activity, secretariat, expert, django_assert_num_queries
):
    for number in range(n):
        open_request(activity, secretariat, questions=f"Question {number}?")
    client = client_for(expert)
    # 1 session, 2 user; roles: 3 groups, 4 profile, 5 Bureau mandates;
    # 6 the requests addressed to me, with their activity and whether I answered;
    # 7 the unread notices (the nav); 8-10 the session saved again (savepoint, update,
    # release).
    with django_assert_num_queries(10):
        response = client.get(url("my_feedback"))
    assert len(response.context["items"]) == n


def test_a_chart_tables_date_is_written_as_the_reader_writes_it_and_stays_iso_in_the_csv():
    from django.utils import translation

    from evaluation.charts import _csv_cell, shown

    day = dt.date(2016, 3, 1)
    with translation.override("fr"):
        assert shown(day) == "01/03/2016"
    with translation.override("en"):
        assert shown(day) == "01/03/2016"
    assert str(_csv_cell(day)) == "2016-03-01"
