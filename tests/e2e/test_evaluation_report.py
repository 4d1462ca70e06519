"""The evaluation report a Secretariat circulates in French: asked for a period from
the evaluation page, followed to its end, its French PDF downloaded through its link
and read. Tasks run in process in the tests, so the job is done when the page comes
back."""

import datetime as dt
import io

import pytest
from django.utils import formats, translation
from playwright.sync_api import expect

from tests.e2e.conftest import COMPILE_TIMEOUT, login

pytestmark = pytest.mark.e2e


def _flat(text: str) -> str:
    # pypdf breaks lines where the page does and reads a no-break space as a space.
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_the_secretariat_downloads_the_french_evaluation_report_of_a_year(
    page, live_server, demo, media, tmp_path
):
    from pypdf import PdfReader

    from activities.models import Activity

    base = live_server.url
    login(page, base, "secretariat")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Evaluation"
    ).click()
    form = page.get_by_test_id("compile-report")
    form.get_by_label("From (year)").select_option("2016")
    form.get_by_label("To (year)").select_option("2016")
    form.get_by_role("button", name="Compile the report").click(timeout=COMPILE_TIMEOUT)
    expect(page.get_by_role("heading", name="Evaluation report 2016")).to_be_visible()
    assert page.get_by_test_id("job-status").inner_text() == "Succeeded"

    with page.expect_download() as info:
        page.get_by_test_id("download-pdf-fr").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    text = _flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages))

    with translation.override("fr"):
        start = formats.date_format(dt.date(2016, 1, 1), "DATE_FORMAT")
        end = formats.date_format(dt.date(2016, 12, 31), "DATE_FORMAT")
    ran = Activity.objects.filter(start_date__year__lte=2016, end_date__year__gte=2016).count()
    assert ran > 1
    # The cover and the summary name the period; the summary counts its activities.
    assert f"Période couverte : du {start} au {end}" in text
    assert "Rapport d'évaluation 2016" in text
    assert (
        f"Le présent rapport porte sur l'ensemble du programme de travail du {start} au "
        f"{end}. {ran} activités se sont déroulées sur la période :"
    ) in text
    assert "D'après le dernier rapport d'avancement de chaque activité sur la période" in text
    assert "Les dépenses s'élèvent à ce jour à" in text
    assert "1. Synthèse" in text and "Summary" not in text
