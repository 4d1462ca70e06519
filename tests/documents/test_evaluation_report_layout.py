"""The evaluation report page by page, as the annual programme is: its PDF in both
languages, and its Word file as LibreOffice lays it out (A4, the shared cover with
the emblem and the period, the running header on every other page)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from .helpers import pdf_page_sizes_mm, soffice_pdf
from .layout import check_pdf, read_pdf
from .test_layout import _soffice_or_skip

pytestmark = pytest.mark.django_db


def _table_headers(language: str) -> list[str]:
    """The header rows of the report's tables, in ``language``."""
    with translation.override(language):
        return [
            " ".join([_("Figure"), _("Value")]),
            " ".join([_("Thematic priority"), _("Planned (EUR)")]),
            " ".join([_("Activity format"), _("Planned (EUR)")]),
            " ".join([_("Activity"), _("Lowest rating"), _("Comment")]),
            " ".join([_("Indicator"), _("Baseline"), _("Target")]),
            " ".join([_("Period"), _("Activity"), _("Lead")]),
            # The coverage of human rights and gender (evaluation/report_coverage.py).
            *(
                " ".join([first, _("Activities"), _("Human rights"), _("Gender"), _("Both")])
                for first in (_("Thematic priority"), _("Activity format"), _("Lead member state"))
            ),
            " ".join([_("Activity"), _("Lead"), _("Human rights"), _("Gender")]),
        ]


def _texts(pdf: bytes) -> list[str]:
    return [" ".join(w.text for w in page.words) for page in read_pdf(pdf)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_evaluation_report_pdf_reads_well_page_by_page(evaluation_2016_2017, language):
    pdf = evaluation_2016_2017.pdf[language]
    problems = check_pdf(pdf, table_headers=_table_headers(language))
    assert not problems, "\n".join(problems)
    assert pdf_page_sizes_mm(pdf) == {(210, 297)}
    texts = _texts(pdf)
    # The cover: the reference once (no running header there) and the period chosen.
    with translation.override(language):
        period = _("Period covered: %(period)s") % {"period": ""}
    assert texts[0].count(evaluation_2016_2017.reference) == 1
    assert period.strip().rstrip(":").strip() in texts[0]
    assert all(evaluation_2016_2017.reference in text for text in texts[1:])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_evaluation_reports_word_file_opened_in_libreoffice_is_a4_and_reads_well(
    evaluation_2016_2017, language, tmp_path
):
    _soffice_or_skip()
    pdf = soffice_pdf(evaluation_2016_2017.docx[language], tmp_path)
    assert pdf_page_sizes_mm(pdf) == {(210, 297)}
    problems = check_pdf(pdf, table_headers=_table_headers(language))
    assert not problems, "\n".join(problems)
    texts = _texts(pdf)
    assert texts[0].count(evaluation_2016_2017.reference) == 1
    assert all(evaluation_2016_2017.reference in text for text in texts[1:])
