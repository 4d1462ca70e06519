"""GET /api/v1/activities/iati/: the list's filters and visibility, 400 on a bad
filter, application/xml in the OpenAPI schema, and its query count."""

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
        # activities (lead state, final report, adopted-programme subquery), then
        # participating states, priorities, entries with programme, indicators (no
        # indicator here: Django asks for no measurements)
        with django_assert_num_queries(5):
            response = api.get(IATI)
            assert len(_references(response)) == total


def test_a_yes_no_filter_refuses_anything_but_true_or_false(mix):
    # Once "any" for an unknown word; now a 400 naming it, as for the list.
    for address in (IATI, LIST):
        response = client_as(None).get(address, {"milestones_overdue": "null"})
        assert response.status_code == 400
        assert "milestones_overdue" in response.json()
    assert client_as(None).get(IATI, {"milestones_overdue": "false"}).status_code == 200
