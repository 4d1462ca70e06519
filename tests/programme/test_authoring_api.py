"""The API of a draft's versions and consultation comments: who reads them, a
comment posted (201) or refused with its field (400), nothing for the public."""

import pytest

from programme import authoring
from tests.conftest import answer, client_as
from tests.programme.test_authoring import make_draft


@pytest.fixture
def draft(programme, secretariat):
    return make_draft(programme, secretariat)


def test_the_secretariat_reads_the_versions_and_a_snapshot(draft, secretariat):
    api = client_as(secretariat)
    rows = answer(api.get(f"/api/v1/work-programmes/{draft.pk}/versions/"))
    assert [(r["number"], r["copied_from"]) for r in rows] == [(1, "P-PG/MinConf (2014) 4")]
    one = answer(api.get(f"/api/v1/work-programmes/{draft.pk}/versions/1/"))
    assert one["snapshot"]["texts"]["title_fr"] == "Programme de travail 2019–2022"
    assert len(one["snapshot"]["priorities"]) == 4
    answer(api.get(f"/api/v1/work-programmes/{draft.pk}/versions/9/"), 404)


@pytest.mark.parametrize(
    ("persona", "statuses"), [("pc_fr", {404}), ("expert", {404}), ("anonymous", {401, 403})]
)
def test_a_draft_is_not_for_others(personas, draft, persona, statuses):
    response = client_as(personas[persona]).get(f"/api/v1/work-programmes/{draft.pk}/versions/")
    assert response.status_code in statuses


def test_comments_in_consultation(draft, secretariat, pc_fr, expert):
    draft = authoring.programme_move(draft, move="consult", by=secretariat)
    url = f"/api/v1/work-programmes/{draft.pk}/comments/"
    api = client_as(pc_fr)
    bad = answer(api.post(url, {"section": "nowhere", "text": "x"}, format="json"), 400)
    assert "section" in bad
    made = answer(api.post(url, {"section": "criteria", "text": "Fine."}, format="json"), 201)
    assert made["section_label"] == "Adoption criteria"
    assert [c["text"] for c in answer(client_as(secretariat).get(url))] == ["Fine."]
    answer(client_as(expert).get(url), 404)  # the consultation is not the experts'
    # The PC may not read the versions (403), though it sees the draft in consultation.
    answer(api.get(f"/api/v1/work-programmes/{draft.pk}/versions/"), 403)
