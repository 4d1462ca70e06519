"""The overview's long lists at a size: the overdue reports and the activities lacking a
human-rights or gender consideration show their first 20 with how many there are, and
link to the whole list a page at a time; the CSV carries every row."""

import csv
import datetime as dt
import io

import pytest

from evaluation.overdue import SHOWN
from evaluation.views.reports import PER_PAGE
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for

from .factories import file_report, url

# 36 activities of 2016 without a report: 72 overdue reports (H1 and H2), over two
# pages of the full list.
LATE = 36


@pytest.fixture
def many_late(programme, states, secretariat):
    """``LATE`` activities of 2016 under 3.1 led by France with no report, and one under
    3.2 led by Germany with its H1 report (overdue for H2 only)."""
    type(programme).objects.filter(pk=programme.pk).update(last_year=dt.date.today().year)
    p31 = programme.priorities.get(number="3.1")
    p32 = programme.priorities.get(number="3.2")
    late = ActivityFactory.create_batch(
        LATE,
        work_programme=programme,
        lead_member_state=states["FR"],
        status="ongoing",
        adoption_route="ad_hoc",
        thematic_priorities=[p31],
    )
    german = ActivityFactory(
        work_programme=programme,
        lead_member_state=states["DE"],
        status="ongoing",
        adoption_route="ad_hoc",
        human_rights_considerations="Rights.",
        gender_considerations="Gender.",
        thematic_priorities=[p32],
    )
    file_report(german, secretariat, "2016-H1")
    return {"late": late, "german": german, "p31": p31, "p32": p32}


def test_the_overview_shows_the_first_overdue_reports_and_links_to_them_all(many_late, secretariat):
    response = client_for(secretariat).get(url("overview"), {"year": 2016})
    page = response.content.decode()
    total = 2 * LATE + 1
    assert response.context["overdue_count"] == total
    assert f'data-testid="figure-overdue">{total}<' in page
    table = page.split('data-testid="overdue-table"')[1].split("</table>")[0]
    assert table.count("<tr>") == SHOWN + 1  # the heading row and the first 20
    assert f"The first {SHOWN} of {total} half-years" in table
    # By period, then reference: the first twenty are of 2016-H1.
    first = sorted(a.reference for a in many_late["late"])[0]
    assert f">{first}</a>" in table and "2016-H2" not in table
    see_all = response.context["overdue_all"]
    assert see_all == url("progress_reports") + "?show=overdue&year=2016&scope=all"
    assert f'href="{see_all.replace("&", "&amp;")}"' in page
    assert f"See all {total} overdue reports" in page


def test_the_see_all_list_narrows_to_the_year_and_scope_a_page_at_a_time(many_late, secretariat):
    client = client_for(secretariat)
    first = client.get(url("progress_reports"), {"show": "overdue", "year": 2016})
    assert first.status_code == 200
    total = 2 * LATE + 1
    assert first.context["page"].paginator.count == total
    html = first.content.decode()
    assert html.count('data-testid="todo-row"') == PER_PAGE
    assert f"{total} reports in all." in html
    assert "page=2" in html
    second = client.get(url("progress_reports"), {"show": "overdue", "year": 2016, "page": 2})
    assert second.content.decode().count('data-testid="todo-row"') == total - PER_PAGE
    shown = [
        (o["period"], o["reference"])
        for p in (first, second)
        for o in p.context["page"].object_list
    ]
    assert shown == sorted(shown) and len(set(shown)) == total
    # Narrowed to 3.2: the German activity's H2 alone, named with its lead state.
    p32 = client.get(
        url("progress_reports"),
        {"show": "overdue", "year": 2016, "scope": "priority", "priority": many_late["p32"].pk},
    )
    rows = list(p32.context["page"].object_list)
    german = many_late["german"]
    assert [(r["period"], r["activity_id"]) for r in rows] == [("2016-H2", german.pk)]
    assert rows[0]["lead"] == "DE" and rows[0]["lead_name"] == "Germany"
    assert "3.2 " in p32.context["narrowed"]


def test_a_pc_sees_its_own_delegations_overdue_reports_of_the_year(many_late, pc_fr, pc_de):
    fr = client_for(pc_fr).get(url("progress_reports"), {"show": "overdue", "year": 2016})
    assert fr.context["page"].paginator.count == 2 * LATE
    de = client_for(pc_de).get(url("progress_reports"), {"show": "overdue", "year": 2016})
    assert de.context["page"].paginator.count == 1


@pytest.mark.parametrize("query", [{"year": "soon"}, {"priority": "x"}])
def test_a_bad_year_or_scope_is_a_400(query, many_late, secretariat):
    response = client_for(secretariat).get(url("progress_reports"), {"show": "overdue", **query})
    assert response.status_code == 400


def test_an_unknown_priority_is_a_404(many_late, secretariat):
    response = client_for(secretariat).get(
        url("progress_reports"), {"show": "overdue", "priority": 999999}
    )
    assert response.status_code == 404


def test_the_overdue_csv_carries_every_row(many_late, secretariat):
    response = client_for(secretariat).get(
        url("overview"), {"year": 2016, "format": "csv", "chart": "overdue"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Period", "Activity", "Title", "Lead member state"]
    assert len(rows) == 1 + 2 * LATE + 1
    assert rows[-1][0] == "2016-H2" and {r[3] for r in rows[1:]} == {"FR", "DE"}


def test_the_coverage_lists_the_first_activities_lacking_either_and_counts_them(
    many_late, programme, secretariat
):
    response = client_for(secretariat).get(
        url("overview"),
        {"year": 2016, "coverage_programme": programme.pk, "coverage_year": 2016},
    )
    cov = response.context["coverage"]
    assert cov.overall.missing == LATE
    assert len(cov.missing) == SHOWN
    assert [m.activity.reference for m in cov.missing] == sorted(
        a.reference for a in many_late["late"]
    )[:SHOWN]
    page = response.content.decode()
    assert f"The first {SHOWN} of {LATE}, by reference." in page
    assert f"See all {LATE} in the activity list" in page


def test_one_half_year_due_lists_its_rows_by_reference(many_late):
    from activities.models import Activity
    from evaluation.overdue import overdue_reports

    # Mid-August 2016: only 2016-H1 is due (one SELECT, no UNION, sorted by an
    # expression of the reference so that PostgreSQL sorts rather than walks its index).
    rows = overdue_reports(Activity.objects.all(), 2016, today=dt.date(2016, 8, 15))
    listed = list(rows)
    assert len(listed) == LATE
    assert {row["period"] for row in listed} == {"2016-H1"}
    assert [row["reference"] for row in listed] == sorted(row["reference"] for row in listed)
    assert listed == list(rows.order_by("period", "reference"))
    assert list(rows[:5]) == listed[:5]


def test_the_whole_overdue_list_pages_by_its_one_pass_count(many_late, secretariat):
    from evaluation.overdue import overdue_reports_due

    client = client_for(secretariat)
    every = [(r["period"], r["reference"]) for r in overdue_reports_due()]
    first = client.get(url("progress_reports"), {"show": "overdue"})
    paginator = first.context["page"].paginator
    assert paginator.count == len(every) > PER_PAGE
    shown = []
    for number in paginator.page_range:
        page = client.get(url("progress_reports"), {"show": "overdue", "page": number})
        shown += [(r["period"], r["reference"]) for r in page.context["page"].object_list]
    assert shown == every
    # A write renews the count: one more activity of 2016 without its reports.
    ActivityFactory(
        work_programme=many_late["german"].work_programme,
        status="ongoing",
        adoption_route="ad_hoc",
        start_date=dt.date(2016, 3, 1),
        end_date=dt.date(2016, 10, 1),
    )
    again = client.get(url("progress_reports"), {"show": "overdue"})
    assert again.context["page"].paginator.count == len(overdue_reports_due()) == len(every) + 2
