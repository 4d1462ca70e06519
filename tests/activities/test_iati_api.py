"""GET /api/v1/activities/iati/: the list's filters and visibility, 400 on a bad
filter, application/xml in the OpenAPI schema, its query count, its pages; and the
whole list as one IATI file through the export (a worker past 500 activities)."""

import datetime as dt

import pytest

from activities.models import Activity
from tests.activities.api_helpers import LIST, adopted_programme, make, priority, refs
from tests.activities.factories import AnnualProgrammeEntryFactory
from tests.activities.iati_helpers import BAD_FILTERS, parse_valid
from tests.conftest import client_as

IATI = "/api/v1/activities/iati/"


def _references(response) -> set[str]:
    assert response.status_code == 200, response.content
    root = parse_valid(b"".join(response.streaming_content))
    return {e.text.removeprefix("XI-IATI-POMPIDOU-") for e in root.iter("iati-identifier")}


@pytest.fixture
def mix(programme, states):
    """An ad hoc activity of 2016 led by France, one of 2017 with Germany taking part
    under 3.3, and an annual-route one of a draft programme (not adopted yet)."""
    in_2016 = make(programme, states, adoption_route="ad_hoc")
    in_2017 = make(
        programme,
        states,
        adoption_route="urgent",
        start_date=dt.date(2017, 2, 1),
        end_date=dt.date(2017, 10, 1),
        thematic_priorities=[priority(programme, "3.3")],
    )
    in_2017.participating_states.set([states["DE"]])
    draft = make(programme, states)
    return {"2016": in_2016, "2017": in_2017, "draft": draft}


def test_the_file_is_public_xml_as_an_attachment(mix):
    response = client_as(None).get(IATI)
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="activities-all.iati.xml"'
    assert _references(response) == {mix["2016"].reference, mix["2017"].reference}


@pytest.mark.parametrize(
    ("persona", "sees_draft"),
    [
        (None, False),
        ("outsider", False),
        ("pc_fr", True),
        ("expert", True),
        ("bureau_chair", True),
        ("secretariat", True),
    ],
)
def test_each_role_reads_the_activities_it_may_see_on_the_list(request, mix, persona, sees_draft):
    client = client_as(request.getfixturevalue(persona) if persona else None)
    in_file = _references(client.get(IATI, {"page_size": 500}))
    assert (mix["draft"].reference in in_file) is sees_draft
    assert in_file == refs(client.get(LIST, {"page_size": 500}))


@pytest.mark.parametrize(
    "params",
    [
        {"year": "2016"},
        {"year": "2017"},
        {"member_state": "de"},
        {"thematic_priority": "3.3"},
        {"adoption_route": "urgent"},
        {"search": "PG-2017"},
        {"status": "planned", "ordering": "-title"},
    ],
)
def test_the_filters_are_the_lists(mix, params, secretariat):
    client = client_as(secretariat)
    expected = refs(client.get(LIST, {**params, "page_size": 500}))
    assert _references(client.get(IATI, params)) == expected


def test_the_file_is_named_after_its_filters(mix):
    response = client_as(None).get(IATI, {"year": 2016, "thematic_priority": "3.2"})
    assert 'filename="activities-2016-3.2.iati.xml"' in response["Content-Disposition"]


@pytest.mark.parametrize(("params", "field"), BAD_FILTERS)
def test_a_bad_filter_answers_400_naming_the_field(mix, params, field):
    response = client_as(None).get(IATI, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in str(response.json())


def test_the_openapi_schema_documents_the_file_and_its_filters(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/activities/iati/"]["get"]
    assert list(operation["responses"]["200"]["content"]) == ["application/xml"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"year", "member_state", "thematic_priority", "status", "search"} <= names


def test_the_api_answers_in_a_constant_number_of_queries(
    api, programme, states, django_assert_num_queries
):
    ap = adopted_programme(programme)
    for total in (3, 30):
        while Activity.objects.count() < total:
            AnnualProgrammeEntryFactory(annual_programme=ap, activity=make(programme, states))
        # the list's count (X-Total-Count, cached until the next write), activities
        # (lead state, final report, adopted-programme subquery), then participating
        # states, priorities, entries with programme, indicators (no indicator here:
        # Django asks for no measurements)
        with django_assert_num_queries(6):
            response = api.get(IATI)
            assert len(_references(response)) == total


def test_a_yes_no_filter_refuses_anything_but_true_or_false(mix):
    # Once "any" for an unknown word; now a 400 naming it, as for the list.
    for address in (IATI, LIST):
        response = client_as(None).get(address, {"milestones_overdue": "null"})
        assert response.status_code == 400
        assert "milestones_overdue" in response.json()
    assert client_as(None).get(IATI, {"milestones_overdue": "false"}).status_code == 200


def _page_refs(response) -> list[str]:
    root = parse_valid(b"".join(response.streaming_content))
    return [e.text.removeprefix("XI-IATI-POMPIDOU-") for e in root.iter("iati-identifier")]


def test_the_file_comes_a_page_at_a_time_with_links_to_the_next(programme, states):
    made = [make(programme, states, adoption_route="ad_hoc") for _ in range(5)]
    client = client_as(None)
    response = client.get(IATI, {"page_size": 2, "year": 2016})
    assert response["X-Total-Count"] == "5"
    seen = _page_refs(response)
    assert len(seen) == 2 and 'rel="prev"' not in response.get("Link", "")
    while 'rel="next"' in response.get("Link", ""):
        [next_url] = [
            part.split(">")[0].lstrip(" <")
            for part in response["Link"].split(",")
            if 'rel="next"' in part
        ]
        assert "year=2016" in next_url and "cursor=" in next_url
        response = client.get(next_url)
        assert response.status_code == 200
        assert 'rel="prev"' in response["Link"]
        seen += _page_refs(response)
    # Every activity once, in the list's order, each page a valid file.
    assert seen == [r for r in refs_in_order(client, {"year": 2016}) if r in seen]
    assert sorted(seen) == sorted(a.reference for a in made)


def refs_in_order(client, params) -> list[str]:
    return [
        r["reference"] for r in client.get(LIST, {**params, "page_size": 500}).json()["results"]
    ]


def test_the_default_page_is_bounded_and_says_how_many_there_are(programme, states, monkeypatch):
    from activities import api

    monkeypatch.setattr(api.IatiPagination, "page_size", 3)
    for _ in range(4):
        make(programme, states, adoption_route="ad_hoc")
    response = client_as(None).get(IATI)
    assert len(_page_refs(response)) == 3
    assert response["X-Total-Count"] == "4" and 'rel="next"' in response["Link"]
    assert client_as(None).get(IATI, {"page_size": "x"}).status_code == 400


def test_the_whole_list_is_one_iati_file_from_the_export(mix):
    response = client_as(None).get("/api/v1/activities/export/", {"fmt": "iati"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert 'filename="activities-all.iati.xml"' in response["Content-Disposition"]
    assert _references(response) == {mix["2016"].reference, mix["2017"].reference}


def test_a_long_list_is_written_by_a_worker_as_a_valid_file(
    programme, states, media, monkeypatch, django_capture_on_commit_callbacks
):
    from activities import iati

    monkeypatch.setattr(iati, "SYNC_MAX_ROWS", 2)
    made = {make(programme, states, adoption_route="ad_hoc").reference for _ in range(3)}
    client = client_as(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/activities/export/", {"fmt": "iati", "year": 2016})
    assert response.status_code == 202
    body = response.json()
    assert body["rows"] == 3 and body["filename"] == "activities-2016.iati.xml"
    state = client.get(body["url"]).json()
    assert state["status"] == "succeeded"
    download = client.get(state["file"])
    assert download["Content-Type"] == "application/xml; charset=utf-8"
    root = parse_valid(b"".join(download.streaming_content))
    assert {e.text.removeprefix("XI-IATI-POMPIDOU-") for e in root.iter("iati-identifier")} == made
