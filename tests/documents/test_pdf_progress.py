"""WeasyPrint's own progress log as the percentages of a compile's bar
(``pompidou.lib.pdf_progress``): within the span asked, only rising, only the
records of the thread that prints, and nothing left listening afterwards."""

import copy
import logging
import threading

import pytest

from pompidou.lib import pdf_progress
from pompidou.lib.documents import html_to_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_table(settings, tmp_path):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates  # a new setting: Django builds its engines again
    body = "".join(f"<tr><td>R-{i}</td><td>Row number {i}</td></tr>" for i in range(300))
    (tmp_path / "long.html").write_text(
        "<html lang='en'><head><title>T</title></head><body><table><tbody>"
        + body
        + "</tbody></table></body></html>"
    )
    return "long.html"


def test_the_percentages_rise_within_the_span_through_the_steps_and_pages(long_table):
    heard: list[int] = []
    html_to_pdf(long_table, {}, progress=heard.append, span=(20, 70))
    assert heard == sorted(set(heard))
    assert all(20 < p < 70 for p in heard)
    # The steps after the layout, and pages of the layout in between.
    assert heard[-1] >= 20 + int(50 * pdf_progress.STEP_STARTS["Step 7"])
    assert len([p for p in heard if 32 <= p < 54]) >= 3
    handlers = logging.getLogger(pdf_progress.LOGGER).handlers
    assert not any(isinstance(h, pdf_progress._Listener) for h in handlers)


def test_two_documents_printed_at_once_each_hear_only_their_own(long_table):
    heard: dict[str, list[int]] = {"low": [], "high": []}
    spans = {"low": (0, 40), "high": (60, 100)}
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            html_to_pdf(long_table, {}, progress=heard[name].append, span=spans[name])
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in heard]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    for name, (low, high) in spans.items():
        assert heard[name] and heard[name] == sorted(set(heard[name]))
        assert all(low < p < high for p in heard[name]), (name, heard[name])


def test_without_a_listener_nothing_is_reported_and_nothing_printed(long_table, capsys):
    pdf = html_to_pdf(long_table, {})
    assert pdf.startswith(b"%PDF")
    out = capsys.readouterr()
    assert "Step 5" not in out.out + out.err
