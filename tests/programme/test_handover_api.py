"""POST work-programmes/{id}/adopt/ and put-in-force/: the services of the pages, with
the API's error shape (400 naming the row and field, 403, 404) and writing nothing on
a refusal."""

import pytest

from activities.models import Activity
from programme.models import WorkProgramme
from proposals.models import Proposal
from tests.conftest import answer, client_as, token_client

from .handover_setup import ADOPTION as PAGE_ADOPTION
from .handover_setup import NEW_REFERENCE, next_programme, world

W = WorkProgramme.Status
# The pages' input in the API's names: ``adopted_by`` is the English name, dates ISO.
ADOPTION = {
    ("adopted_by" if key == "adopted_by_en" else key): (
        value.isoformat() if hasattr(value, "isoformat") else value
    )
    for key, value in PAGE_ADOPTION.items()
}


def test_the_secretariat_records_an_adoption_through_the_api(programme, secretariat):
    new = next_programme(programme)
    body = answer(
        token_client(secretariat).post(
            f"/api/v1/work-programmes/{new.pk}/adopt/", ADOPTION, format="json"
        )
    )
    assert (body["status"], body["reference"], body["adopted_place"]) == (
        "adopted",
        NEW_REFERENCE,
        "Stavanger",
    )
    assert body["adopted_by"] == "17th Ministerial Conference"
    fr = token_client(secretariat).get(
        f"/api/v1/work-programmes/{new.pk}/", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert fr.json()["adopted_by"] == "17e Conférence ministérielle"


def test_adoption_errors_are_a_400_per_field(programme, secretariat):
    new = next_programme(programme)
    body = answer(
        token_client(secretariat).post(
            f"/api/v1/work-programmes/{new.pk}/adopt/",
            {**ADOPTION, "adopted_by": "", "adopted_on": "2018-11-01"},
            format="json",
        ),
        400,
    )
    assert set(body) == {"adopted_by", "adopted_on"}
    body = answer(
        token_client(secretariat).post(
            f"/api/v1/work-programmes/{new.pk}/adopt/",
            {**ADOPTION, "conference_start": "27/11/2018x"},
            format="json",
        ),
        400,
    )
    assert "conference_start" in body
    new.refresh_from_db()
    assert new.status == W.CONSULTATION


@pytest.mark.parametrize(
    ("who", "status"),
    # A programme in consultation is not shown to experts and outsiders at all (404);
    # correspondents and the Bureau read it but may not move it (403). An adopted
    # programme is public: anyone but the Secretariat is refused (403).
    [
        ("pc_fr", (403, 403)),
        ("bureau_chair", (403, 403)),
        ("expert", (404, 403)),
        ("outsider", (404, 403)),
        ("anonymous", (401, 401)),
    ],
)
def test_only_the_secretariat_may_use_the_steps(programme, states, personas, who, status):
    adopt_status, enforce_status = status
    w = world(programme, states)
    new = next_programme(programme, reference="P-PG/DRAFT (2018) 2")
    client = token_client(personas[who])
    assert (
        client.post(f"/api/v1/work-programmes/{new.pk}/adopt/", ADOPTION, format="json").status_code
        == adopt_status
    )
    assert (
        client.post(
            f"/api/v1/work-programmes/{w.new.pk}/put-in-force/", {}, format="json"
        ).status_code
        == enforce_status
    )
    programme.refresh_from_db()
    assert programme.status == W.IN_FORCE


def test_a_draft_programme_is_not_found_by_a_delegate(programme, pc_fr):
    new = next_programme(programme, status=W.DRAFT)
    response = client_as(pc_fr).post(
        f"/api/v1/work-programmes/{new.pk}/adopt/", ADOPTION, format="json"
    )
    assert response.status_code == 404


def _payload(w):
    activities, proposals = w.rows()
    return {
        "activities": [
            {
                "activity": r.activity,
                "carry_over": r.carry_over,
                "thematic_priorities": list(r.thematic_priorities),
                "permanent_format": r.permanent_format,
            }
            for r in activities
        ],
        "proposals": [
            {
                "proposal": r.proposal,
                "action": r.action,
                "thematic_priorities": list(r.thematic_priorities),
                "permanent_format": r.permanent_format,
                "year": r.year,
                "reason": r.reason,
            }
            for r in proposals
        ],
    }


def test_put_in_force_through_the_api(programme, states, secretariat):
    w = world(programme, states)
    body = answer(
        token_client(secretariat).post(
            f"/api/v1/work-programmes/{w.new.pk}/put-in-force/", _payload(w), format="json"
        )
    )
    assert body["status"] == "in_force"
    programme.refresh_from_db()
    assert programme.status == W.CLOSED
    assert Activity.objects.get(pk=w.ongoing.pk).work_programme_id == w.new.pk
    assert Proposal.objects.get(pk=w.draft.pk).status == Proposal.Status.WITHDRAWN


def test_put_in_force_refusal_names_the_row_and_writes_nothing(programme, states, secretariat):
    w = world(programme, states)
    payload = _payload(w)
    payload["proposals"][1]["reason"] = ""
    payload["activities"][0]["permanent_format"] = programme.formats.first().pk
    body = answer(
        token_client(secretariat).post(
            f"/api/v1/work-programmes/{w.new.pk}/put-in-force/", payload, format="json"
        ),
        400,
    )
    assert set(body) == {
        f"proposal-{w.draft.pk}.reason",
        f"activity-{w.ongoing.pk}.permanent_format",
    }
    programme.refresh_from_db()
    assert programme.status == W.IN_FORCE
    assert Activity.objects.get(pk=w.ongoing.pk).work_programme_id == programme.pk
    # A malformed body: DRF's own 400, naming the field.
    body = answer(
        token_client(secretariat).post(
            f"/api/v1/work-programmes/{w.new.pk}/put-in-force/",
            {"proposals": [{"proposal": w.draft.pk, "action": "keep"}]},
            format="json",
        ),
        400,
    )
    assert "proposals" in body
