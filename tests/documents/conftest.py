"""The demo's 2016 annual programme (the reference case), compiled once per test
process in English and French through the job that compiles it for the Secretariat,
with the totals the programme's web page shows in each language. The demo is loaded
in a transaction rolled back at once: the tests read bytes and numbers only."""

import io
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from django.test.utils import override_settings


@dataclass
class Compiled:
    reference: str
    pdf: dict[str, bytes]
    docx: dict[str, bytes]
    page_totals: dict[str, dict[str, Decimal]]  # language -> priority number -> EUR
    page_total: Decimal


def amount(text: str) -> Decimal:
    """A whole-euro amount as either language writes it (1,234 / 1 234 / 1 234)."""
    return Decimal(re.sub(r"[,\s\u00a0\u202f.]", "", text))


def _page_totals(html: str) -> dict[str, Decimal]:
    pane = html[html.index('id="by-priority"') : html.index('id="by-format"')]
    return {
        number: amount(total)
        for number, total in re.findall(
            r'<tr data-group="(3\.\d)">.*?data-testid="group-total">([\d,.\s\u00a0\u202f]+)</td>',
            pane,
            re.S,
        )
    }


@pytest.fixture(scope="session")
def compiled_2016(django_db_setup, django_db_blocker, tmp_path_factory) -> Compiled:
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from activities import services
    from activities.models import AnnualProgramme
    from tests.conftest import client_for

    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media, EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
        ),
        transaction.atomic(),
    ):
        with override_settings(DEBUG=True):
            call_command("load_demo", stdout=io.StringIO())
        secretariat = User.objects.get(username="secretariat")
        ap = AnnualProgramme.objects.get(year=2016)
        document, _ = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
        # The worker's side of the job, here in process (the queue is not involved).
        assert services.annual_programme_document_run(document.pk) == "succeeded"
        document.refresh_from_db()
        files = {
            kind: {
                language: document.file(kind, language).open("rb").read()
                for language in ("en", "fr")
            }
            for kind in ("pdf", "docx")
        }
        client = client_for(secretariat)
        pages = {
            language: client.get(f"/{language}/annual-programmes/2016/").content.decode()
            for language in ("en", "fr")
        }
        page_total = amount(
            re.search(r'fs-3 fw-semibold">([\d,.\s\u00a0\u202f]+) EUR', pages["en"]).group(1)
        )
        compiled = Compiled(
            document.reference,
            files["pdf"],
            files["docx"],
            {language: _page_totals(html) for language, html in pages.items()},
            page_total,
        )
        transaction.set_rollback(True)
    shutil.rmtree(media, ignore_errors=True)
    from django.utils import translation

    translation.activate("en")
    return compiled


@dataclass
class CompiledReport:
    reference: str
    pdf: dict[str, bytes]
    docx: dict[str, bytes]


@pytest.fixture(scope="session")
def evaluation_2016_2017(django_db_setup, django_db_blocker, tmp_path_factory) -> CompiledReport:
    """The demo's evaluation report over 2016–2017, whole programme, in both languages,
    compiled through its job like the annual programme above."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from evaluation import services
    from programme.models import WorkProgramme

    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media, EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
        ),
        transaction.atomic(),
    ):
        with override_settings(DEBUG=True):
            call_command("load_demo", stdout=io.StringIO())
        report, _ = services.evaluation_report_compile(
            actor=User.objects.get(username="secretariat"),
            work_programme=WorkProgramme.objects.in_force().get(),
            first_year=2016,
            last_year=2017,
        )
        assert services.evaluation_report_run(report.pk) == "succeeded"
        report.refresh_from_db()
        compiled = CompiledReport(
            report.reference,
            *(
                {
                    language: report.file(kind, language).open("rb").read()
                    for language in ("en", "fr")
                }
                for kind in ("pdf", "docx")
            ),
        )
        transaction.set_rollback(True)
    shutil.rmtree(media, ignore_errors=True)
    from django.utils import translation

    translation.activate("en")
    return compiled
