import pytest
from rest_framework.test import APIClient

from programme.models import WorkProgramme
from tests.programme.factories import (
    AdoptionCriterionFactory,
    MemberStateFactory,
    PermanentFormatFactory,
    PriorityAimFactory,
    ThematicPriorityFactory,
    WorkProgrammeFactory,
)


@pytest.fixture
def api():
    return APIClient()


def test_thematic_priorities_are_public_with_their_aims(api, programme):
    response = api.get("/api/v1/thematic-priorities/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    first = body["results"][0]
    assert first["number"] == "3.1" and first["transversal"] is True
    assert len(first["aims"]) == 5
    assert [len(p["aims"]) for p in body["results"]] == [5, 4, 6, 4]


def test_permanent_formats_carry_aims_objectives_and_results(api, programme):
    body = api.get("/api/v1/permanent-formats/", {"work_programme": programme.pk}).json()
    airports = next(f for f in body["results"] if f["number"] == "4.2")
    assert len(airports["objectives"]) == 7 and len(airports["expected_results"]) == 4
    cj = next(f for f in body["results"] if f["number"] == "4.8")
    assert (cj["kind"], cj["first_year"], cj["last_year"]) == ("time_limited", 2015, 2017)


def test_work_programme_detail_has_everything_in_one_call(api, programme):
    body = api.get(f"/api/v1/work-programmes/{programme.pk}/").json()
    assert body["reference"] == "P-PG/MinConf (2014) 4"
    assert len(body["aims"]) == 3
    assert len(body["thematic_priorities"]) == 4
    assert len(body["permanent_formats"]) == 9
    assert [c["computed"] for c in body["criteria"]] == [True] + [False] * 7


def test_draft_programmes_are_hidden_from_the_public_but_not_the_secretariat(
    api, programme, secretariat
):
    draft = WorkProgrammeFactory(status=WorkProgramme.Status.DRAFT)
    assert api.get(f"/api/v1/work-programmes/{draft.pk}/").status_code == 404
    assert api.get("/api/v1/work-programmes/").json()["count"] == 1
    api.force_authenticate(secretariat)
    assert api.get(f"/api/v1/work-programmes/{draft.pk}/").status_code == 200


def test_member_states_by_iso_code_and_status(api, db):
    MemberStateFactory(code="FR", name="France")
    MemberStateFactory(code="DZ", name="Algeria", status="partner")
    assert api.get("/api/v1/member-states/fr/").json()["name"] == "France"
    assert api.get("/api/v1/member-states/XX/").status_code == 404
    partners = api.get("/api/v1/member-states/", {"status": "partner"}).json()
    assert [s["code"] for s in partners["results"]] == ["DZ"]


def test_bad_filter_value_is_a_400_naming_the_field(api, db):
    response = api.get("/api/v1/member-states/", {"status": "emperor"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_page_size_is_capped_at_500(api, db):
    from itertools import product
    from string import ascii_uppercase

    from programme.models import MemberState

    codes = ["".join(pair) for pair in product(ascii_uppercase, repeat=2)][:510]
    MemberState.objects.bulk_create(MemberState(code=c, name=f"State {c}") for c in codes)
    body = api.get("/api/v1/member-states/", {"page_size": 2}).json()
    assert len(body["results"]) == 2 and body["next"]
    capped = api.get("/api/v1/member-states/", {"page_size": 100000}).json()
    assert capped["count"] == 510 and len(capped["results"]) == 500


def test_token_for_a_good_login_and_a_clear_400_for_a_bad_one(api, pc_fr):
    from tests.conftest import PASSWORD

    good = api.post(
        "/api/v1/auth/token/", {"username": "pc_fr", "password": PASSWORD}, format="json"
    )
    assert good.status_code == 200 and len(good.json()["token"]) == 40
    bad = api.post("/api/v1/auth/token/", {"username": "pc_fr", "password": "nope"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["non_field_errors"] == ["Unable to log in with provided credentials."]
    missing = api.post("/api/v1/auth/token/", {}, format="json")
    assert missing.status_code == 400 and "password" in missing.json()
    token = good.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/work-programmes/").status_code == 200


def test_unknown_api_address_answers_json_404(api, db):
    response = api.get("/api/v1/thematic-priorities/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No ThematicPriority matches the given query."} or (
        "detail" in response.json()
    )


def _grow(programme, n: int) -> None:
    """Add n priorities (2 aims each), n formats, n criteria to the programme."""
    for _ in range(n):
        priority = ThematicPriorityFactory(work_programme=programme)
        PriorityAimFactory.create_batch(2, priority=priority)
        PermanentFormatFactory(work_programme=programme)
        AdoptionCriterionFactory(work_programme=programme)


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # Each list: the sync watermark with the last deletion, the newest change and
        # count (ETag: pompidou/sync.py), then:
        # count, page of priorities (with programme), their aims
        ("/api/v1/thematic-priorities/", 5),
        # count, page of formats, aims, objectives, expected results
        ("/api/v1/permanent-formats/", 7),
        # count, page of criteria
        ("/api/v1/criteria/", 4),
        # count, page of member states
        ("/api/v1/member-states/", 4),
        # count, programmes, aims, priorities, their aims, formats, their aims,
        # objectives, results, criteria
        ("/api/v1/work-programmes/", 12),
    ],
)
def test_lists_answer_in_a_constant_number_of_queries(
    api, programme, path, queries, django_assert_num_queries
):
    for size in (1, 20):
        _grow(programme, size)
        for _ in range(size):
            MemberStateFactory()
        with django_assert_num_queries(queries):
            response = api.get(path, {"page_size": 500})
        assert response.status_code == 200


def test_schema_and_offline_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/thematic-priorities/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI from the sidecar package, not from a CDN.
    assert "drf_spectacular_sidecar" in html or "/static/" in html
    assert "cdn" not in html.lower()
