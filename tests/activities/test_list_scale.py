"""The activity list at scale: full-text search (stemmed in English and in French, a
reference found whole, the most relevant first, the plain fallback of SQLite), the
API's keyset pages (every row once while rows are written between pages), the cached
count, the page list's last page, and deep numbered pages that choose their keys
first."""

import base64
import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity
from pompidou import textsearch
from pompidou.listing import ListPaginator
from tests.activities.api_helpers import LIST, make
from tests.conftest import client_as, client_for

AD_HOC = Activity.Route.AD_HOC


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_search_finds_english_words_in_any_form(programme, states, api):
    make(programme, states, adoption_route=AD_HOC, title="Training prison staff")
    make(programme, states, adoption_route=AD_HOC, title="Drug markets online")
    assert titles(api.get(LIST, {"search": "trained"})) == ["Training prison staff"]
    assert titles(api.get(LIST, {"search": "market"})) == ["Drug markets online"]


def test_search_finds_french_words_in_any_form_and_without_accents(programme, states, api):
    make(programme, states, adoption_route=AD_HOC, title="Réseau méditerranéen des drogues")
    make(programme, states, adoption_route=AD_HOC, title="Prison staff")
    assert titles(api.get(LIST, {"search": "drogue"})) == ["Réseau méditerranéen des drogues"]
    assert titles(api.get(LIST, {"search": "reseau"})) == ["Réseau méditerranéen des drogues"]


def test_a_reference_asked_whole_finds_its_activity_first(programme, states, api):
    wanted = make(programme, states, adoption_route=AD_HOC, title="Cannabis")
    make(programme, states, adoption_route=AD_HOC, title=f"About {wanted.reference} again")
    found = api.get(LIST, {"search": wanted.reference.lower()}).json()["results"]
    assert found[0]["reference"] == wanted.reference


def _ketamine(programme, states) -> tuple[Activity, Activity]:
    """Two activities that "ketamine" finds: in the text of the newer, in the title of
    the older (the more relevant)."""
    in_text = make(
        programme,
        states,
        adoption_route=AD_HOC,
        title="Expert meeting",
        description="On ketamine and its users.",
        start_date=dt.date(2016, 12, 1),
        end_date=dt.date(2016, 12, 31),
    )
    in_title = make(
        programme,
        states,
        adoption_route=AD_HOC,
        title="Ketamine in nightlife",
        start_date=dt.date(2016, 3, 1),
        end_date=dt.date(2016, 12, 31),
    )
    return in_text, in_title


def test_search_orders_by_relevance_unless_an_ordering_is_given(programme, states, api):
    in_text, in_title = _ketamine(programme, states)
    assert [r["reference"] for r in api.get(LIST, {"search": "ketamine"}).json()["results"]] == [
        in_title.reference,
        in_text.reference,
    ]
    by_title = api.get(LIST, {"search": "ketamine", "ordering": "title"})
    assert titles(by_title) == ["Expert meeting", "Ketamine in nightlife"]


def test_a_search_that_finds_more_rows_than_are_ranked_lists_the_newest_first(
    programme, states, api, settings
):
    """Past SEARCH_RANK_MAX_ROWS matches the list's own order (its index), not relevance."""
    in_text, in_title = _ketamine(programme, states)
    settings.SEARCH_RANK_MAX_ROWS = 1
    found = api.get(LIST, {"search": "ketamine"}).json()
    assert [r["reference"] for r in found["results"]] == [in_text.reference, in_title.reference]
    page = client_for(None).get("/en/activities/", {"search": "ketamine"})
    assert [a.reference for a in page.context["page"].object_list] == [
        in_text.reference,
        in_title.reference,
    ]
    assert b"More than 1 activities match: the newest come first" in page.content
    settings.SEARCH_RANK_MAX_ROWS = 2
    ranked = client_for(None).get("/en/activities/", {"search": "ketamine"})
    assert b'data-testid="search-unranked"' not in ranked.content
    found = api.get(LIST, {"search": "ketamine"}).json()
    assert [r["reference"] for r in found["results"]] == [in_title.reference, in_text.reference]


def test_search_keeps_to_what_the_visitor_may_see(programme, states, api, secretariat):
    make(programme, states, title="Ketamine study")  # annual route, not adopted yet
    assert titles(api.get(LIST, {"search": "ketamine"})) == []
    assert titles(client_as(secretariat).get(LIST, {"search": "ketamine"})) == ["Ketamine study"]


def test_without_full_text_the_search_is_the_text_as_typed(programme, states, monkeypatch):
    """SQLite's path (``make run``), asked here of PostgreSQL: any case, no stemming."""
    make(programme, states, adoption_route=AD_HOC, title="Training prison staff")
    monkeypatch.setattr(textsearch, "is_full_text", lambda: False)
    found = textsearch.search_rows(Activity.objects.all(), "PRISON", fields=("title",))
    assert [a.title for a in found] == ["Training prison staff"]
    assert not textsearch.search_rows(Activity.objects.all(), "trained", fields=("title",))


def test_the_activity_list_page_searches_too(programme, states):
    make(programme, states, adoption_route=AD_HOC, title="Drogues de synthèse")
    make(programme, states, adoption_route=AD_HOC, title="Prison staff")
    page = client_for(None).get("/en/activities/", {"search": "drogue"})
    assert page.status_code == 200
    assert [a.title for a in page.context["page"].object_list] == ["Drogues de synthèse"]


# --- keyset pages -------------------------------------------------------------------------


def public_order() -> list[str]:
    return list(
        Activity.objects.public()
        .order_by("-start_date", "reference")
        .values_list("reference", flat=True)
    )


def _grow(programme, states, dates):
    return [
        make(
            programme,
            states,
            adoption_route=AD_HOC,
            start_date=day,
            end_date=dt.date(2016, 12, 31),
        )
        for day in dates
    ]


def _walk(api, url, params=None):
    seen, answer = [], api.get(url, params).json()
    while True:
        seen += [row["reference"] for row in answer["results"]]
        if not answer["next"]:
            return seen, answer
        answer = api.get(answer["next"]).json()


def test_following_next_gives_every_row_once_in_the_list_order(programme, states, api):
    # Several activities start the same day: the reference breaks the tie.
    days = [dt.date(2016, 1 + n % 5, 1) for n in range(23)]
    _grow(programme, states, days)
    expected = public_order()
    first = api.get(LIST, {"page_size": 5}).json()
    assert first["count"] == 23 and first["previous"] is None and "cursor=" in first["next"]
    seen, last = _walk(api, LIST, {"page_size": 5})
    assert seen == expected
    assert len(last["results"]) == 3 and last["next"] is None


def test_previous_links_walk_back_page_by_page(programme, states, api):
    _grow(programme, states, [dt.date(2016, 1 + n % 6, 2) for n in range(12)])
    pages = []
    answer = api.get(LIST, {"page_size": 4}).json()
    while True:
        pages.append([row["reference"] for row in answer["results"]])
        if not answer["next"]:
            break
        answer = api.get(answer["next"]).json()
    back = []
    while answer["previous"]:
        answer = api.get(answer["previous"]).json()
        back.append([row["reference"] for row in answer["results"]])
    assert back == pages[-2::-1]


def test_rows_written_between_pages_neither_repeat_nor_skip_a_row(programme, states, api):
    _grow(programme, states, [dt.date(2016, 3, 1 + n) for n in range(12)])
    before = public_order()
    first = api.get(LIST, {"page_size": 5}).json()
    # Written after the first page: one above it (a later start), one further down.
    [above] = _grow(programme, states, [dt.date(2016, 6, 1)])
    [below] = _grow(programme, states, [dt.date(2016, 2, 1)])
    rest, _ = _walk(api, first["next"])
    seen = [row["reference"] for row in first["results"]] + rest
    assert len(seen) == len(set(seen))
    assert [r for r in seen if r != below.reference] == before
    assert below.reference in seen and above.reference not in seen


def test_a_page_number_is_still_read_and_a_bad_cursor_is_a_400(programme, states, api):
    _grow(programme, states, [dt.date(2016, 4, 1 + n) for n in range(7)])
    expected = public_order()
    second = api.get(LIST, {"page_size": 3, "page": 2}).json()
    assert [r["reference"] for r in second["results"]] == expected[3:6]
    following = api.get(second["next"]).json()
    assert [r["reference"] for r in following["results"]] == expected[6:]
    assert api.get(LIST, {"page": 9}).status_code == 404
    bad = api.get(LIST, {"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and "cursor" in bad.json()
    # Forged: values the database would refuse are refused first.
    for values in (["2016-01-01", "PG\u0000"], ["2016-01-01", 2**70], ["x", "PG-2016-001"]):
        raw = json.dumps({"v": values, "d": "n"}).encode()
        forged = base64.urlsafe_b64encode(raw).decode()
        assert api.get(LIST, {"cursor": forged}).status_code == 400


def test_pages_of_another_ordering_and_of_a_search_follow_it(programme, states, api):
    for n in range(7):
        make(programme, states, adoption_route=AD_HOC, title=f"Seminar {n % 3} on ketamine")
    by_title = list(
        Activity.objects.public()
        .order_by("-title", "reference")
        .values_list("reference", flat=True)
    )
    seen, _ = _walk(api, LIST, {"page_size": 2, "ordering": "-title"})
    assert seen == by_title
    searched, _ = _walk(api, LIST, {"page_size": 2, "search": "ketamine"})
    assert sorted(searched) == sorted(by_title) and len(set(searched)) == 7


def test_the_count_is_fresh_after_a_write(programme, states, api):
    _grow(programme, states, [dt.date(2016, 5, 1)] * 2)
    assert api.get(LIST).json()["count"] == 2
    _grow(programme, states, [dt.date(2016, 5, 2)])
    assert api.get(LIST).json()["count"] == 3


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_the_page_list_reads_the_far_pages_from_the_end(programme, states, number):
    _grow(programme, states, [dt.date(2016, 1 + n % 7, 1) for n in range(17)])
    qs = Activity.objects.order_by("-start_date", "reference")
    page = ListPaginator(qs, 5).page(number)
    assert list(page.object_list) == list(qs)[(number - 1) * 5 : number * 5]
    assert page.paginator.num_pages == 4


def _offset_over_keys_alone(queries) -> bool:
    """One query of ``queries`` pages with an ``OFFSET``, and it stands in the subquery
    that picks the keys, not over the rows read whole."""
    paged = [q["sql"] for q in queries.captured_queries if "OFFSET" in q["sql"]]
    if len(paged) != 1:
        return False
    outer, _, inner = paged[0].partition("IN (SELECT")
    return "OFFSET" in inner and "OFFSET" not in outer


@pytest.mark.parametrize("number", [2, 3])
def test_a_page_further_in_chooses_its_rows_keys_first_in_one_query(programme, states, number):
    _grow(programme, states, [dt.date(2016, 1 + n % 7, 1) for n in range(17)])
    qs = Activity.objects.order_by("-title", "reference")
    expected = list(qs)[(number - 1) * 5 : number * 5]
    paginator = ListPaginator(qs, 5)
    paginator.count  # noqa: B018 (counted apart: the page is what is measured)
    with CaptureQueriesContext(connection) as queries:
        rows = list(paginator.page(number).object_list)
    assert rows == expected
    assert len(queries.captured_queries) == 1 and _offset_over_keys_alone(queries)


def test_the_pages_of_a_distinct_list_are_right_too(programme, states):
    _grow(programme, states, [dt.date(2016, 1 + n % 7, 1) for n in range(12)])
    qs = Activity.objects.distinct().order_by("-start_date", "reference")
    expected = list(qs)[5:10]
    assert list(ListPaginator(qs, 5).page(2).object_list) == expected


def test_a_numbered_api_page_chooses_its_keys_first_in_any_order(programme, states, api):
    for n in range(8):
        make(programme, states, adoption_route=AD_HOC, title=f"Seminar {n % 3} on ketamine")
    by_title = list(
        Activity.objects.public()
        .order_by("-title", "reference")
        .values_list("reference", flat=True)
    )
    with CaptureQueriesContext(connection) as queries:
        third = api.get(LIST, {"page_size": 3, "page": 3, "ordering": "-title"}).json()
    assert [r["reference"] for r in third["results"]] == by_title[6:9]
    assert _offset_over_keys_alone(queries)
