import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity
from pompidou.models import AuditEvent
from records.models import RecordImport
from tests.conftest import client_for
from tests.records.sheets import ACTIVITY_HEADERS, activity_row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

START = "/en/records/import/"


# Who reaches the import pages (and the status they get).
ACCESS = [
    ("secretariat", 200),
    ("pc_fr", 403),
    ("bureau_chair", 403),
    ("expert", 403),
    ("outsider", 403),
    ("anonymous", 302),
]


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_only_the_secretariat_reaches_the_import_pages(personas, who, status):
    client = client_for(personas[who], raise_request_exception=False)
    assert client.get(START).status_code == status
    template = reverse("records:template", args=["activities", "en"])
    assert client.get(template).status_code == status


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_template_has_headers_help_and_lists(secretariat, language):
    response = client_for(secretariat).get(
        reverse("records:template", args=["activities", language])
    )
    assert response["Content-Disposition"].endswith(f'import-activities-{language}.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    data, notes = book.worksheets
    headers = [c.value for c in data[1]]
    first = "Reference *" if language == "en" else "Référence *"
    assert headers[0] == first
    assert ("Début *" in headers) == (language == "fr")
    assert len(data.data_validations.dataValidation) >= 2  # route, status, carried over
    assert notes.max_row > len(headers)


def test_unknown_template_is_404(secretariat):
    client = client_for(secretariat, raise_request_exception=False)
    assert client.get("/en/records/import/template/nothing/en/").status_code == 404


def test_upload_dry_run_then_import_now(programme, secretariat, media):
    client = client_for(secretariat)
    content = xlsx_bytes(ACTIVITY_HEADERS, [activity_row(1), activity_row(2)])
    response = client.post(START, {"kind": "activities", "file": upload(content)})
    record = RecordImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("records:result", args=[record.token])
    page = client.get(response["Location"]).content.decode()
    assert "Import now" in page and not Activity.objects.filter(reference="PG-2016-001").exists()
    response = client.post(reverse("records:confirm", args=[record.token]))
    assert response.status_code == 302
    assert Activity.objects.filter(reference__in=["PG-2016-001", "PG-2016-002"]).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Imported" in page and "Import now" not in page
    # Importing the same checked file twice is refused, and says so.
    again = client.post(reverse("records:confirm", args=[record.token]))
    assert again.status_code == 400
    assert "already imported" in again.content.decode()


def test_refused_rows_are_listed_with_row_field_and_reason(programme, secretariat, media):
    client = client_for(secretariat)
    content = xlsx_bytes(ACTIVITY_HEADERS, [activity_row(1, **{"Lead member state": "ZZ"})])
    response = client.post(START, {"kind": "activities", "file": upload(content)}, follow=True)
    page = response.content.decode()
    assert "Unknown member state ZZ" in page and "<td>Lead member state</td>" in page
    assert "Import now" not in page
    record = RecordImport.objects.get()
    refused = client.post(reverse("records:confirm", args=[record.token]))
    assert refused.status_code == 400
    assert not Activity.objects.filter(reference="PG-2016-001").exists()


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"kind": "activities"}, "This field is required."),
        ({"kind": "bogus", "file": "x.xlsx"}, "Select a valid choice."),
        ({"kind": "activities", "file": "notes.txt"}, "neither"),
        ({"kind": "activities", "file": "bad.xlsx"}, "not an Excel workbook"),
    ],
)
def test_bad_uploads_get_a_form_error_and_change_nothing(secretariat, media, data, field_message):
    data = dict(data)
    if "file" in data:
        data["file"] = upload(b"not a workbook", data["file"])
    response = client_for(secretariat).post(START, data)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not RecordImport.objects.exists()
    assert not AuditEvent.objects.filter(content_type__model="recordimport").exists()


def test_a_pc_cannot_confirm_an_import(programme, secretariat, pc_fr, media):
    client = client_for(secretariat)
    content = xlsx_bytes(ACTIVITY_HEADERS, [activity_row(1)])
    client.post(START, {"kind": "activities", "file": upload(content)})
    record = RecordImport.objects.get()
    answer = client_for(pc_fr, raise_request_exception=False).post(
        reverse("records:confirm", args=[record.token])
    )
    assert answer.status_code == 403
    assert not Activity.objects.filter(reference="PG-2016-001").exists()


def test_the_back_office_lists_imports_and_links_to_the_page(programme, secretariat, media):
    client = client_for(secretariat)
    content = xlsx_bytes(ACTIVITY_HEADERS, [activity_row(1)])
    client.post(START, {"kind": "activities", "file": upload(content)})
    page = client.get("/en/admin/records/recordimport/").content.decode()
    assert "activities.xlsx" in page
    assert reverse("records:start") in page
