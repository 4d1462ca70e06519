import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import BadRequest
from rest_framework.test import APIClient

from activities import selectors
from activities.exports import HEADER, export_response
from activities.models import Activity
from tests.activities.factories import ActivityFactory

EXPORT = "/api/v1/activities/export/"


@pytest.fixture
def api():
    return APIClient()


def priority(programme, number):
    return programme.priorities.get(number=number)


@pytest.fixture
def activities(programme, states):
    """Two public activities under 3.4, one under 3.2, and one not adopted yet."""
    airports = ActivityFactory(
        title="Drug trafficking at airports",
        work_programme=programme,
        permanent_format=programme.formats.get(number="4.2"),
        adoption_route=Activity.Route.AD_HOC,
        thematic_priorities=[priority(programme, "3.4"), priority(programme, "3.1")],
        lead_member_state=states["FR"],
        start_date=dt.date(2016, 3, 1),
        end_date=dt.date(2016, 11, 30),
        planned_budget=Decimal("25000"),
        spent=Decimal("1234.5"),
        human_rights_considerations="Fair trial.",
        gender_considerations="  ",
    )
    airports.participating_states.set([states["IT"], states["DE"]])
    darknet = ActivityFactory(
        title="Café darknet markets",
        work_programme=programme,
        adoption_route=Activity.Route.URGENT,
        thematic_priorities=[priority(programme, "3.4")],
        lead_member_state=None,
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 12, 31),
        status=Activity.Status.ONGOING,
        human_rights_considerations="Privacy.",
        gender_considerations="Both.",
    )
    prisons = ActivityFactory(
        title="Treatment in prisons",
        work_programme=programme,
        adoption_route=Activity.Route.AD_HOC,
        thematic_priorities=[priority(programme, "3.2")],
        lead_member_state=states["DE"],
    )
    unadopted = ActivityFactory(
        title="Not adopted yet",
        work_programme=programme,
        thematic_priorities=[priority(programme, "3.4")],
        lead_member_state=states["NO"],
    )
    return {"airports": airports, "darknet": darknet, "prisons": prisons, "unadopted": unadopted}


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def test_csv_has_the_header_and_one_row_per_filtered_activity(api, programme, activities):
    response = api.get(EXPORT, {"fmt": "csv", "thematic_priority": "3.4"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="activities-3.4.csv"'
    rows = read_csv(response)
    assert rows[0] == [str(h) for h in HEADER]
    darknet, airports = activities["darknet"], activities["airports"]
    # Latest start first; the activity not yet adopted is not exported to the public.
    assert rows[1:] == [
        [
            darknet.reference,
            "Café darknet markets",
            "P-PG/MinConf (2014) 4",
            "",
            "Urgent (Bureau)",
            "3.4",
            "",
            "",
            "2017-01-01",
            "2017-12-31",
            "Ongoing",
            "10000.00",
            "0.00",
            "yes",
            "yes",
        ],
        [
            airports.reference,
            "Drug trafficking at airports",
            "P-PG/MinConf (2014) 4",
            "4.2",
            "Ad hoc (Permanent Correspondents)",
            "3.1; 3.4",
            "FR",
            "DE; IT",
            "2016-03-01",
            "2016-11-30",
            "Planned",
            "25000.00",
            "1234.50",
            "yes",
            "no",
        ],
    ]


def test_csv_export_follows_the_ordering_and_the_other_filters(api, activities):
    response = api.get(EXPORT, {"fmt": "csv", "year": 2016, "ordering": "title"})
    titles = [row[1] for row in read_csv(response)[1:]]
    assert titles == ["Drug trafficking at airports", "Treatment in prisons"]


def test_members_export_activities_not_yet_adopted(pc_fr, activities):
    client = APIClient()
    client.force_login(pc_fr)
    titles = {row[1] for row in read_csv(client.get(EXPORT, {"fmt": "csv"}))[1:]}
    assert "Not adopted yet" in titles and len(titles) == 4


def test_xlsx_reads_back_with_the_same_rows(api, programme, activities):
    response = api.get(EXPORT, {"fmt": "xlsx", "thematic_priority": priority(programme, "3.4").pk})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    # An old-style id filter still names the file by the priority's number.
    assert response["Content-Disposition"] == 'attachment; filename="activities-3.4.xlsx"'
    rows = read_xlsx(response)
    assert rows[0] == tuple(str(h) for h in HEADER)
    assert len(rows) == 3
    airports = rows[2]
    assert airports[:8] == (
        activities["airports"].reference,
        "Drug trafficking at airports",
        "P-PG/MinConf (2014) 4",
        "4.2",
        "Ad hoc (Permanent Correspondents)",
        "3.1; 3.4",
        "FR",
        "DE; IT",
    )
    # Dates and amounts are real dates and numbers in the workbook.
    assert airports[8:10] == (dt.datetime(2016, 3, 1), dt.datetime(2016, 11, 30))
    assert airports[10:] == ("Planned", 25000, 1234.5, "yes", "no")


def test_xlsx_has_a_frozen_bold_header_an_autofilter_over_the_rows_and_column_widths(
    api, activities
):
    response = api.get(EXPORT, {"fmt": "xlsx", "year": 2016})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O3"  # the header and the two 2016 activities
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["B"].width == 60  # the title
    assert sheet.column_dimensions["D"].width == 8  # the format's number


@pytest.mark.parametrize(
    ("params", "filename"),
    [
        ({}, "activities-all.csv"),
        ({"year": 2016, "thematic_priority": "3.3"}, "activities-2016-3.3.csv"),
        ({"status": "completed", "member_state": "fr"}, "activities-completed-fr.csv"),
        ({"search": "Drug / airports"}, "activities-drug-airports.csv"),
    ],
)
def test_the_export_file_is_named_after_its_filters(api, activities, params, filename):
    response = api.get(EXPORT, {"fmt": "csv", **params})
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_the_list_page_export_is_named_after_its_filters_and_writes_labels(client, activities):
    response = client.get(
        "/en/activities/", {"fmt": "csv", "adoption_route": "ad_hoc", "year": 2016}
    )
    assert response["Content-Disposition"] == 'attachment; filename="activities-2016-ad_hoc.csv"'
    routes = {row[4] for row in read_csv(response)[1:]}
    assert routes == {"Ad hoc (Permanent Correspondents)"}


def test_the_french_export_writes_french_labels(client, activities):
    response = client.get("/fr/activities/", {"fmt": "csv", "year": 2017})
    header, *rows = read_csv(response)
    assert header[10] == "Statut"
    assert [row[10] for row in rows] == ["En cours"]  # the darknet activity, streamed


def test_an_unknown_format_is_a_400_naming_fmt(api, activities):
    response = api.get(EXPORT, {"fmt": "pdf"})
    assert response.status_code == 400
    assert list(response.json()) == ["fmt"]


def test_a_bad_filter_in_the_export_is_a_400_naming_the_filter(api, activities):
    response = api.get(EXPORT, {"fmt": "csv", "status": "emperor"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_export_answers_a_client_that_accepts_only_csv(api, activities):
    response = api.get(EXPORT, {"fmt": "csv"}, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert len(read_csv(response)) == 4


def test_a_title_that_looks_like_a_formula_stays_text(api, programme, activities):
    ActivityFactory(
        title='=HYPERLINK("http://evil.example","x")',
        work_programme=programme,
        adoption_route=Activity.Route.AD_HOC,
        start_date=dt.date(2018, 1, 1),
        end_date=dt.date(2018, 2, 1),
        thematic_priorities=[priority(programme, "3.2")],
    )
    csv_title = read_csv(api.get(EXPORT, {"fmt": "csv", "year": 2018}))[1][1]
    assert csv_title == '\'=HYPERLINK("http://evil.example","x")'
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(api.get(EXPORT, {"fmt": "xlsx", "year": 2018}).streaming_content))
    )
    cell = workbook.active["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil.example","x")', "s")


def test_export_response_refuses_an_unknown_format(activities):
    with pytest.raises(BadRequest):
        export_response(Activity.objects.all(), "pdf")


@pytest.mark.parametrize("shape", ["plain", "list page"])
def test_export_reads_in_a_constant_number_of_queries(
    programme, states, activities, shape, django_assert_num_queries
):
    """Whatever the caller's queryset carries (the list page defers the texts and
    prefetches priorities its own way), the export asks the same few queries."""
    for size in (4, 40):
        for _ in range(size - Activity.objects.count()):
            activity = ActivityFactory(
                work_programme=programme,
                lead_member_state=states["FR"],
                thematic_priorities=[priority(programme, "3.2"), priority(programme, "3.3")],
            )
            activity.participating_states.set([states["DE"]])
        qs = Activity.objects.order_by("reference")
        if shape == "list page":
            qs = selectors.activities_for_list(qs)
        # one: the rows, with work programme, format and lead state joined, and the
        # priorities and participating states aggregated in subqueries
        with django_assert_num_queries(1):
            rows = read_csv(export_response(qs, "csv"))
        assert len(rows) == size + 1
