"""Human-rights and gender coverage (evaluation/coverage.py): the counts of a programme's
activities running in a year, by priority (an activity under two priorities counted under
each), by format and by lead state; the list of those lacking either; the overview's
section; the activity list's and the API's ``considerations`` filter; the report's
chapter 5 sections in both languages; query budgets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from activities.models import Activity
from evaluation import documents, services
from evaluation.coverage import coverage, coverage_of
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for, token_client

from .factories import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(programme, states):
    """Five activities of 2016 and one of 2014–2015 (not running in 2016):
    A (3.1 and 3.3, format 4.2, FR) both stated; B (3.1, FR) gender missing;
    C (3.3, DE) human rights missing; D (3.4, no format, DE) both missing (blanks only);
    E (3.4, no lead) both stated; and Z, of 2015, both missing."""
    p = {n: programme.priorities.get(number=n) for n in ("3.1", "3.3", "3.4")}
    f42 = programme.formats.get(number="4.2")

    def make(title, priorities, state, hr, gender, fmt=None, year=2016):
        return ActivityFactory(
            work_programme=programme,
            title=title,
            adoption_route="ad_hoc",
            permanent_format=fmt,
            lead_member_state=states[state] if state else None,
            start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31),
            human_rights_considerations=hr,
            gender_considerations=gender,
            thematic_priorities=[p[n] for n in priorities],
        )

    return {
        "A": make("Alpha", ["3.1", "3.3"], "FR", "Rights.", "Gender.", f42),
        "B": make("Bravo", ["3.1"], "FR", "Rights.", ""),
        "C": make("Charlie", ["3.3"], "DE", "", "Gender."),
        "D": make("Delta", ["3.4"], "DE", "  ", "\n"),
        "E": make("Echo", ["3.4"], None, "Rights.", "Gender."),
        "Z": make("Zulu", ["3.4"], "FR", "", "", year=2015),
    }


def _by_key(rows):
    return {r.key: (r.total, r.human_rights, r.gender, r.both) for r in rows}


def test_the_counts_by_priority_format_and_lead_state(programme, record):
    cov = coverage(programme, 2016)
    o = cov.overall
    assert (o.total, o.human_rights, o.gender, o.both, o.missing) == (5, 3, 3, 2, 3)
    # A is under 3.1 and 3.3: counted under each (the rows add up to 6, not 5).
    assert _by_key(cov.by_priority) == {
        "3.1": (2, 2, 1, 1),
        "3.3": (2, 1, 2, 1),
        "3.4": (2, 1, 1, 1),
    }
    assert sum(r.total for r in cov.by_priority) == 6
    assert _by_key(cov.by_format) == {"4.2": (1, 1, 1, 1), "": (4, 2, 2, 1)}
    assert cov.by_format[-1].label == "Time-limited activities"
    assert _by_key(cov.by_state) == {"FR": (2, 2, 1, 1), "DE": (2, 0, 1, 0), "": (1, 1, 1, 1)}
    assert cov.by_state[-1].key == ""  # the activities without a lead state come last


def test_the_running_activities_lacking_either_are_listed_with_what_they_lack(programme, record):
    cov = coverage(programme, 2016)
    lacking = {m.activity.title: (m.human_rights, m.gender) for m in cov.missing}
    # Blanks are no statement; Zulu does not run in 2016.
    assert lacking == {"Bravo": (True, False), "Charlie": (False, True), "Delta": (False, False)}


def test_another_year_counts_its_own_activities(programme, record):
    cov = coverage(programme, 2015)
    assert cov.overall.total == 1 and [m.activity.title for m in cov.missing] == ["Zulu"]


@pytest.mark.parametrize("extra", [0, 8])
def test_the_coverage_costs_three_queries_whatever_the_number_of_activities(
    programme, record, states, extra, django_assert_num_queries
):
    for i in range(extra):
        ActivityFactory(work_programme=programme, lead_member_state=states["ES"], title=f"X{i}")
    # 1 by format and lead state (the totals, by format and by lead state are added up
    # from it), 2 by priority, 3 the activities lacking either, with their lead state.
    with django_assert_num_queries(3):
        cov = coverage_of(Activity.objects.filter(work_programme=programme).running_in(2016))
        [m.activity.lead_member_state for m in cov.missing]
    assert cov.overall.total == 5 + extra


def test_the_overview_budget_by_priority_is_read_from_the_rows_the_coverage_read(
    programme, record, states
):
    """One read of the year's activities under their priorities for both figures: the
    coverage keeps its programme's, the budget every programme's (a priority of
    another programme running in 2016 has its row, a budget of 0 where its activity
    has none)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluation import selectors
    from tests.programme.factories import ThematicPriorityFactory, WorkProgrammeFactory

    other = WorkProgrammeFactory(first_year=2016, last_year=2019)
    elsewhere = ThematicPriorityFactory(work_programme=other, number="9.9", title="Elsewhere")
    ActivityFactory(
        work_programme=other,
        lead_member_state=states["NO"],
        planned_budget=Decimal("0"),
        spent=Decimal("5"),
        human_rights_considerations="Rights.",
        gender_considerations="Gender.",
        thematic_priorities=[elsewhere],
    )
    with CaptureQueriesContext(connection) as ctx:
        cov = coverage(programme, 2016)
        ov = selectors.overview(2016, selectors.Scope())
    assert sum("activities_activity_thematic_priorities" in q["sql"] for q in ctx) == 1
    # The other programme's activity is not in the coverage, but in the budget.
    assert _by_key(cov.by_priority) == {
        "3.1": (2, 2, 1, 1),
        "3.3": (2, 1, 2, 1),
        "3.4": (2, 1, 1, 1),
    }
    budget = {
        r["number"]: (r["planned"], r["spent"], r["activities"]) for r in ov.budget_by_priority
    }
    assert budget == {
        "3.1": (Decimal("20000"), Decimal("0"), 2),
        "3.3": (Decimal("20000"), Decimal("0"), 2),
        "3.4": (Decimal("20000"), Decimal("0"), 2),
        "9.9": (Decimal("0"), Decimal("5"), 1),
    }
    assert [r["number"] for r in ov.budget_by_priority] == ["3.1", "3.3", "3.4", "9.9"]


# --- the filter, one for the page, the export and the API --------------------------


@pytest.mark.parametrize(
    ("value", "titles"),
    [
        ("stated", {"Alpha", "Echo"}),
        ("missing", {"Bravo", "Charlie", "Delta"}),
        ("human_rights_missing", {"Charlie", "Delta"}),
        ("gender_missing", {"Bravo", "Delta"}),
    ],
)
def test_the_api_and_the_list_page_filter_by_considerations(value, titles, record, secretariat):
    api = token_client(secretariat)
    body = api.get(f"/api/v1/activities/?considerations={value}&year=2016&page_size=100").json()
    assert {a["title"] for a in body["results"]} == titles
    page = client_for(secretariat).get(f"/en/activities/?considerations={value}&year=2016")
    assert page.status_code == 200
    assert {a.title for a in page.context["page"]} == titles


def test_an_unknown_considerations_value_is_refused_naming_the_field(record, secretariat):
    response = token_client(secretariat).get("/api/v1/activities/?considerations=maybe")
    assert response.status_code == 400
    assert "considerations" in response.json() or "considerations" in str(response.json())
    page = client_for(secretariat).get("/en/activities/?considerations=maybe")
    assert "Some filters are not valid" in page.content.decode()


def test_the_filter_is_in_the_api_schema(secretariat):
    schema = client_for(secretariat).get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "considerations" in schema.content.decode()


# --- the overview ---------------------------------------------------------------------


def test_the_overview_shows_the_coverage_chart_tables_and_list(programme, record, secretariat):
    response = client_for(secretariat).get(
        url("overview") + f"?year=2016&coverage_programme={programme.pk}&coverage_year=2016"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="coverage"' in html and 'id="chart-coverage"' in html
    assert "In 2016, 2 of 5 activities" in html
    assert 'data-testid="coverage-by-format"' in html and 'data-testid="coverage-by-state"' in html
    missing = html[html.index('data-testid="coverage-missing"') :]
    for title in ("Bravo", "Charlie", "Delta"):
        assert title in missing
    assert "Alpha" not in missing.split("</table>")[0]
    assert "considerations=missing&amp;year=2016" in html


def test_the_coverage_chart_downloads_as_csv(programme, record, secretariat):
    response = client_for(secretariat).get(
        url("overview")
        + f"?year=2016&coverage_programme={programme.pk}&coverage_year=2016"
        + "&format=csv&chart=coverage"
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Thematic priority,Activities")
    assert lines[1].startswith("3.1 Bringing human rights") and lines[1].endswith(",2,2,1,1")


@pytest.mark.parametrize(
    ("query", "field"),
    [("coverage_year=1999", "coverage_year"), ("coverage_programme=abc", "coverage_programme")],
)
def test_a_bad_programme_or_year_is_a_form_error_and_a_400(query, field, record, secretariat):
    response = client_for(secretariat).get(url("overview") + "?year=2016&" + query)
    assert response.status_code == 400
    assert response.context["coverage_form"].errors[field]
    assert response.context["coverage"] is None


@pytest.mark.parametrize("persona", ["pc_fr", "expert", "outsider"])
def test_only_the_bureau_and_the_secretariat_see_the_overview(persona, personas, record):
    client = client_for(personas[persona], raise_request_exception=False)
    assert client.get(url("overview") + "?year=2016").status_code == 403


def test_the_bureau_sees_the_coverage(record, bureau_chair):
    response = client_for(bureau_chair).get(url("overview") + "?year=2016&coverage_year=2016")
    assert response.status_code == 200
    assert response.context["coverage"].overall.total == 5


# --- the evaluation report --------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_report_prints_the_coverage_in_chapter_5(programme, record, secretariat, language):
    report, _created = services.evaluation_report_compile(
        actor=secretariat, work_programme=programme, first_year=2016, last_year=2016
    )
    with translation.override(language):
        data = documents.gather(report)
    assert {"coverage_priority", "coverage_format", "coverage_state", "coverage_missing"} <= set(
        data.tables
    )
    by_priority = {row[0][:3]: row[1:5] for row in data.tables["coverage_priority"].rows}
    assert by_priority["3.1"] == ["2", "2", "1", "1"]
    lacking = [row[0] for row in data.tables["coverage_missing"].rows]
    assert [t.split(" ", 1)[1] for t in lacking] == ["Bravo", "Charlie", "Delta"]
    assert data.headings["coverage_priority"].startswith("5.1")
