"""The annual programme page: each entry once, in one table, with the totals of every
priority and format (summed in SQL), filtered by either, a page of rows at a time."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from activities import selectors, services
from activities.models import Activity
from activities.selectors import ENTRIES_PER_PAGE
from tests.activities.factories import (
    ActivityFactory,
    AnnualProgrammeEntryFactory,
    AnnualProgrammeFactory,
)
from tests.conftest import client_for

D = Decimal
PAGE = "/en/annual-programmes/2016/"


def _fill(ap, programme, states, n: int) -> list[Activity]:
    """``n`` activities: every other one under 3.1 and 3.2 (the others under 3.4), every
    third one of format 4.2 (the others time-limited); 1,000 EUR each."""
    p31, p32, p34 = (programme.priorities.get(number=n) for n in ("3.1", "3.2", "3.4"))
    f42 = programme.formats.get(number="4.2")
    made = []
    for i in range(n):
        a = ActivityFactory(
            work_programme=programme,
            lead_member_state=states["FR"],
            permanent_format=f42 if i % 3 == 0 else None,
            adoption_route="annual",
            thematic_priorities=[p31, p32] if i % 2 == 0 else [p34],
        )
        AnnualProgrammeEntryFactory(annual_programme=ap, activity=a, budget=D("1000"))
        made.append(a)
    return made


@pytest.fixture
def adopted(programme, states):
    ap = AnnualProgrammeFactory(
        work_programme=programme,
        year=2016,
        status="adopted",
        adopted_on=dt.date(2015, 11, 24),
        budget_ceiling=D("100000"),
    )
    return ap, _fill(ap, programme, states, 6)


def _references(html: str) -> list[str]:
    table = html[html.index('data-testid="entries"') :].split("</table>")[0]
    return re.findall(r'<a href="/en/activities/([^/]+)/">', table)


def _totals(html: str, testid: str) -> dict[str, tuple[str, str]]:
    table = html[html.index(f'data-testid="{testid}"') :].split("</table>")[0]
    rows = re.findall(
        r'<tr data-group="([^"]+)">.*?<td class="text-end">(\d+)</td>'
        r'<td class="text-end" data-testid="group-total">([\d,]+)</td>',
        table,
        re.S,
    )
    return {key: (count, total) for key, count, total in rows}


def test_each_entry_is_shown_once_with_the_totals_of_every_priority_and_format(adopted, outsider):
    ap, acts = adopted
    html = client_for(outsider).get(PAGE).content.decode()
    # Six entries, six rows: an activity under 3.1 and 3.2 is not repeated.
    assert sorted(_references(html)) == sorted(a.reference for a in acts)
    assert "6 activities of 6, 6,000 EUR." in html
    # Every priority of the programme; 3.1 and 3.2 overlap (three activities each).
    assert _totals(html, "totals-by-priority") == {
        "3.1": ("3", "3,000"),
        "3.2": ("3", "3,000"),
        "3.3": ("0", "0"),
        "3.4": ("3", "3,000"),
    }
    assert _totals(html, "totals-by-format") == {"4.2": ("2", "2,000"), "~": ("4", "4,000")}
    # The priorities and the format of each row are columns of that row.
    first = html[html.index(f">{acts[0].reference}</a>") :].split("</tr>")[0]
    assert ">3.1</abbr>, <abbr" in first and ">3.2</abbr>" in first and ">4.2</abbr>" in first


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ({"priority": "3.1"}, [0, 2, 4]),
        ({"format": "4.2"}, [0, 3]),
        ({"format": "~"}, [1, 2, 4, 5]),
        ({"priority": "3.4", "format": "~"}, [1, 5]),
        ({"priority": "3.3"}, []),
    ],
)
def test_the_table_narrows_to_a_priority_or_a_format_on_the_server(query, kept, adopted, outsider):
    ap, acts = adopted
    response = client_for(outsider).get(PAGE, query)
    assert response.status_code == 200
    html = response.content.decode()
    if kept:
        assert _references(html) == sorted(acts[i].reference for i in kept)
    else:
        assert 'data-testid="entries"' not in html and "No activities." in html
    assert f"{len(kept)} activit" in html and "of 6," in html
    assert 'data-testid="entries-all"' in html  # back to every activity
    # The totals stay those of the whole programme.
    assert _totals(html, "totals-by-priority")["3.1"] == ("3", "3,000")


def test_an_unknown_priority_is_a_400_showing_every_entry_and_the_error(adopted, outsider):
    response = client_for(outsider).get(PAGE, {"priority": "9.9"})
    assert response.status_code == 400
    html = response.content.decode()
    assert len(_references(html)) == 6
    assert "Select a valid choice" in html


@pytest.mark.parametrize("size", [2, 8])
def test_the_page_answers_in_a_constant_number_of_queries_whatever_the_length(
    size, programme, states, outsider, django_assert_num_queries
):
    ap = AnnualProgrammeFactory(
        work_programme=programme, year=2016, status="adopted", adopted_on=dt.date(2015, 11, 24)
    )
    _fill(ap, programme, states, size)
    client = client_for(outsider)
    with CaptureQueriesContext(connection) as first:
        client.get(PAGE)
    # 1 session, 2 user, 3-5 roles (groups, profile, mandates); 6 the programme (with
    # its work programme and meeting); 7 the unread notices (the nav); 8-9 the page's
    # rows and their priorities; 10-12 the session saved again (savepoint, update,
    # release). No history: the public does not read it. The totals per priority and
    # per format (each with the priorities' or formats' rows) and the order of the
    # entries (5 queries) are read once, then kept until the next write.
    with django_assert_num_queries(12):
        response = client.get(PAGE)
    assert len(first) == 12 + 5
    assert len(_references(response.content.decode())) == size


def test_the_entries_come_a_page_at_a_time_with_the_totals_of_the_whole_programme(
    adopted, programme, states, outsider
):
    ap, acts = adopted
    acts += _fill(ap, programme, states, ENTRIES_PER_PAGE + 4 - len(acts))
    every = sorted(a.reference for a in acts)
    client = client_for(outsider)
    first = client.get(PAGE).content.decode()
    assert _references(first) == every[:ENTRIES_PER_PAGE]
    total = ENTRIES_PER_PAGE + 4
    assert f"{total} activities of {total}, {total * 1000:,} EUR." in first
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = client.get(PAGE, {"page": 2}).content.decode()
    assert _references(second) == every[ENTRIES_PER_PAGE:]
    # Totals, ceiling and groups are the whole programme's on every page.
    assert _totals(second, "totals-by-format") == _totals(first, "totals-by-format")
    assert f"{total * 1000:,} EUR" in second
    # A page out of range or not a number shows a page, never an error.
    assert _references(client.get(PAGE, {"page": 99}).content.decode()) == every[ENTRIES_PER_PAGE:]
    assert _references(client.get(PAGE, {"page": "x"}).content.decode()) == every[:ENTRIES_PER_PAGE]


def test_the_pages_keep_the_filter_and_its_figures(adopted, programme, states, outsider):
    ap, acts = adopted
    acts += _fill(ap, programme, states, 2 * ENTRIES_PER_PAGE + 10 - len(acts))
    kept = sorted(a.reference for i, a in enumerate(acts) if i % 3 != 0)  # time-limited
    client = client_for(outsider)
    html = client.get(PAGE, {"format": "~"}).content.decode()
    assert _references(html) == kept[:ENTRIES_PER_PAGE]
    assert f"{len(kept)} activities of {len(acts)}, {len(kept) * 1000:,} EUR." in html
    assert 'href="?format=~&amp;page=2"' in html
    second = client.get(PAGE, {"format": "~", "page": 2}).content.decode()
    assert _references(second) == kept[ENTRIES_PER_PAGE : 2 * ENTRIES_PER_PAGE]
    # Both filters: the figures of the rows shown, summed in SQL.
    both = [
        a.reference for i, a in enumerate(acts) if i % 3 != 0 and i % 2 == 0
    ]  # 3.1 and time-limited
    html = client.get(PAGE, {"format": "~", "priority": "3.1"}).content.decode()
    assert f"{len(both)} activities of {len(acts)}, {len(both) * 1000:,} EUR." in html


def test_the_sql_totals_are_those_the_compiled_document_groups(adopted, programme, states):
    ap, acts = adopted
    view = selectors.annual_programme_totals(ap)
    by_priority, by_format = selectors.group_entries(ap, list(selectors.entries_for(ap)))
    figures = lambda groups: [(g.key, len(g.entries), g.total) for g in groups]  # noqa: E731
    assert [(t.key, t.count, t.total) for t in view.by_priority] == figures(by_priority)
    assert [(t.key, t.count, t.total) for t in view.by_format] == figures(by_format)
    assert view.total == sum(e.budget for e in ap.entries.all())


def test_the_section_follows_a_change_of_an_activity_and_the_language(
    adopted, programme, outsider, secretariat
):
    ap, acts = adopted
    client = client_for(outsider)
    english = client.get(PAGE).content.decode()
    assert f">{acts[0].title}<" in english
    services.activity_update(activity=acts[0], actor=secretariat, title="Renamed after adoption")
    html = client.get(PAGE).content.decode()
    assert ">Renamed after adoption<" in html and f">{acts[0].title}<" not in html
    # Each language has its own copy: the priorities' titles in French.
    p31 = programme.priorities.get(number="3.1")
    assert p31.title_fr and p31.title_fr != p31.title_en
    french = client.get(PAGE.replace("/en/", "/fr/")).content.decode()
    assert escape(p31.title_fr) in french and escape(p31.title_fr) not in english


def test_a_drafts_entries_show_at_once(programme, states, secretariat):
    ap = AnnualProgrammeFactory(work_programme=programme, year=2016)
    _fill(ap, programme, states, 2)
    client = client_for(secretariat)
    assert len(_references(client.get(PAGE).content.decode())) == 2
    _fill(ap, programme, states, 1)
    assert len(_references(client.get(PAGE).content.decode())) == 3


def test_past_the_select_limit_the_activity_is_typed_by_its_reference(
    programme, states, secretariat, monkeypatch
):
    """A draft year with more candidates than ENTRY_SELECT_MAX asks for the reference;
    a reference of no candidate is refused with the field's message and adds nothing."""
    from activities import forms

    monkeypatch.setattr(forms, "ENTRY_SELECT_MAX", 0)
    ap = AnnualProgrammeFactory(work_programme=programme, year=2016)
    candidate = ActivityFactory(
        work_programme=programme, lead_member_state=states["FR"], adoption_route="annual"
    )
    client = client_for(secretariat)
    page = client.get(PAGE).content.decode()
    assert 'name="activity" autocomplete="off"' in page and '<select name="activity"' not in page
    add = "/en/annual-programmes/2016/entries/"

    refused = client.post(add, {"activity": "PG-2099-999", "budget": "1000"}, follow=True)
    assert "Select a valid choice" in refused.content.decode()
    assert not ap.entries.exists()

    client.post(add, {"activity": candidate.reference.lower(), "budget": "1000"}, follow=True)
    assert list(ap.entries.values_list("activity__reference", flat=True)) == [candidate.reference]
