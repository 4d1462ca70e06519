"""The proposals kind on the import pages: its template, its rows, who reaches it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from proposals.models import Proposal
from tests.conftest import client_for
from tests.records.sheets import PROPOSAL_HEADERS, proposal_row, upload, xlsx_bytes
from tests.records.test_views import ACCESS

pytestmark = pytest.mark.django_db

TEMPLATE = reverse("records:template", args=["proposals", "en"])


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_only_the_secretariat_downloads_the_proposals_template(personas, who, status):
    client = client_for(personas[who], raise_request_exception=False)
    assert client.get(TEMPLATE).status_code == status


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_proposals_template_has_both_languages_and_lists(secretariat, language):
    response = client_for(secretariat).get(
        reverse("records:template", args=["proposals", language])
    )
    assert response["Content-Disposition"].endswith(f'import-proposals-{language}.xlsx"')
    data, notes = load_workbook(io.BytesIO(response.content)).worksheets
    headers = [c.value for c in data[1]]
    assert headers[0] == ("Reference *" if language == "en" else "Référence *")
    assert ("Décision *" in headers) == (language == "fr")
    assert ("Decision *" in headers) == (language == "en")
    formulas = [v.formula1 for v in data.data_validations.dataValidation]
    assert '"adopted,rejected,deferred,withdrawn"' in formulas
    assert notes.max_row > len(headers)


def test_the_start_page_offers_the_proposals_kind(secretariat):
    page = client_for(secretariat).get("/en/records/import/").content.decode()
    assert 'value="proposals"' in page
    assert "Proposals with their decisions template (French)" in page


def test_a_pc_cannot_post_a_proposals_file(pc_fr, programme, media):
    content = xlsx_bytes(PROPOSAL_HEADERS, [proposal_row(2)])
    client = client_for(pc_fr, raise_request_exception=False)
    response = client.post(
        "/en/records/import/", {"kind": "proposals", "file": upload(content, "p.xlsx")}
    )
    assert response.status_code == 403
    assert not Proposal.objects.filter(reference="PR-2016-0002").exists()


def test_the_dry_run_page_names_the_refused_cell(secretariat, programme, media):
    content = xlsx_bytes(PROPOSAL_HEADERS, [proposal_row(2, Decision="approved")])
    client = client_for(secretariat)
    response = client.post(
        "/en/records/import/",
        {"kind": "proposals", "file": upload(content, "p.xlsx")},
        follow=True,
    )
    page = response.content.decode()
    assert "approved is not one of: adopted, rejected, deferred, withdrawn." in page
    assert "Import now" not in page
