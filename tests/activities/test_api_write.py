"""Writing activities through the API: create, patch, status; every refusal with
its reason and its one status code."""

import datetime as dt

import pytest

from activities.models import Activity
from pompidou.models import AuditEvent
from tests.activities.api_helpers import (
    LIST,
    make,
    payload,
    post_status,
)
from tests.conftest import client_as
from tests.programme.factories import ThematicPriorityFactory

# --- create ------------------------------------------------------------------------


def test_secretariat_creates_an_activity_with_a_new_reference(secretariat, programme):
    client = client_as(secretariat)
    response = client.post(
        LIST,
        payload(programme, milestones=[{"title": "Kick-off", "due_date": "2016-04-01"}]),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("PG-2016-")
    assert body["lead_member_state"] == "FR"
    assert body["participating_states"] == ["DE", "IT"]
    assert body["status"] == "planned"
    assert body["milestones"] == [{"title": "Kick-off", "due_date": "2016-04-01", "done": False}]
    activity = Activity.objects.get(reference=body["reference"])
    assert activity.history.get().kind == "created"
    assert client.get(f"{LIST}{activity.reference}/").status_code == 200


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_may_create_activities(personas, persona, programme):
    response = client_as(personas[persona]).post(LIST, payload(programme), format="json")
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_a_pc_is_refused_before_the_body_is_even_checked(pc_fr, programme):
    response = client_as(pc_fr).post(LIST, {"start_date": "not a date"}, format="json")
    assert response.status_code == 403
    assert "start_date" not in response.json()


def test_anonymous_create_is_refused_not_a_server_error(api, programme):
    response = api.post(LIST, payload(programme), format="json")
    assert response.status_code == 401
    assert not Activity.objects.exists()


def test_end_before_start_is_a_400_naming_end_date_and_creates_nothing(secretariat, programme):
    response = client_as(secretariat).post(
        LIST, payload(programme, start_date="2016-06-01", end_date="2016-05-01"), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"end_date"}
    assert not Activity.objects.exists()
    # The client's login is in the log; no change is.
    assert not AuditEvent.objects.exclude(kind=AuditEvent.Kind.LOGIN).exists()


def test_a_priority_of_another_programme_is_a_400_naming_thematic_priorities(
    secretariat, programme
):
    stranger = ThematicPriorityFactory()
    response = client_as(secretariat).post(
        LIST, payload(programme, thematic_priorities=[stranger.pk]), format="json"
    )
    assert response.status_code == 400
    assert "thematic_priorities" in response.json()
    assert not Activity.objects.exists()


def test_a_negative_budget_is_a_400_naming_planned_budget(secretariat, programme):
    response = client_as(secretariat).post(
        LIST, payload(programme, planned_budget="-1.00"), format="json"
    )
    assert response.status_code == 400
    assert "planned_budget" in response.json()
    assert not Activity.objects.exists()


def test_every_problem_of_a_new_activity_is_reported_at_once(secretariat, programme):
    response = client_as(secretariat).post(
        LIST, {"title": "", "work_programme": programme.pk}, format="json"
    )
    assert response.status_code == 400
    assert {"title", "start_date", "end_date", "thematic_priorities"} <= set(response.json())


def test_an_unknown_member_state_code_is_a_400_naming_the_field(secretariat, programme):
    response = client_as(secretariat).post(
        LIST, payload(programme, lead_member_state="XX"), format="json"
    )
    assert response.status_code == 400
    assert "lead_member_state" in response.json()


def test_a_new_activity_cannot_be_given_a_status(secretariat, programme):
    response = client_as(secretariat).post(
        LIST, payload(programme, status="completed"), format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()
    assert not Activity.objects.exists()


# --- update ------------------------------------------------------------------------


@pytest.fixture
def planned(programme, states):
    return make(programme, states, title="Old title")


def test_patch_changes_a_field_and_records_the_change(secretariat, planned):
    response = client_as(secretariat).patch(
        f"{LIST}{planned.reference}/", {"title": "New title"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "New title"
    planned.refresh_from_db()
    assert planned.title == "New title"
    record = planned.history.get()
    assert (record.kind, record.changes) == ("updated", {"title": ["Old title", "New title"]})
    assert record.actor == secretariat


def test_patch_changes_member_states_by_code(secretariat, planned):
    response = client_as(secretariat).patch(
        f"{LIST}{planned.reference}/",
        {"lead_member_state": "DE", "participating_states": ["NO", "ES"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["lead_member_state"] == "DE"
    assert response.json()["participating_states"] == ["ES", "NO"]


def test_patch_breaking_a_rule_is_a_400_and_changes_nothing(secretariat, planned):
    response = client_as(secretariat).patch(
        f"{LIST}{planned.reference}/", {"end_date": "2015-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "end_date" in response.json()
    planned.refresh_from_db()
    assert planned.end_date == dt.date(2016, 12, 31)
    assert not planned.history.exists()


def test_status_cannot_be_patched(secretariat, planned):
    response = client_as(secretariat).patch(
        f"{LIST}{planned.reference}/", {"status": "completed"}, format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()
    planned.refresh_from_db()
    assert planned.status == Activity.Status.PLANNED


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider", "anonymous"])
def test_only_the_secretariat_may_patch(personas, persona, planned):
    response = client_as(personas[persona]).patch(
        f"{LIST}{planned.reference}/", {"title": "Hijacked"}, format="json"
    )
    assert response.status_code == (401 if persona == "anonymous" else 403)
    planned.refresh_from_db()
    assert planned.title == "Old title"


def test_no_put_and_no_delete(secretariat, planned):
    client = client_as(secretariat)
    url = f"{LIST}{planned.reference}/"
    assert client.put(url, {"title": "x"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert Activity.objects.filter(pk=planned.pk).exists()


# --- status ------------------------------------------------------------------------


def test_an_allowed_transition_changes_the_status_and_records_it(secretariat, planned):
    response = post_status(secretariat, planned, "suspended", "Waiting for funds")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
    record = planned.history.get()
    assert (record.kind, record.from_state, record.to_state) == ("status", "planned", "suspended")
    assert record.comment == "Waiting for funds"


def test_planned_cannot_jump_to_completed(secretariat, planned):
    response = post_status(secretariat, planned, "completed")
    assert response.status_code == 400
    assert "status" in response.json()
    planned.refresh_from_db()
    assert planned.status == Activity.Status.PLANNED


def test_an_activity_starts_only_with_human_rights_and_gender_stated(secretariat, planned):
    response = post_status(secretariat, planned, "ongoing")
    assert response.status_code == 400
    assert "human-rights" in response.json()["status"][0]
    planned.human_rights_considerations = "Access to treatment respected."
    planned.gender_considerations = "Women in prison addressed."
    planned.save()
    assert post_status(secretariat, planned, "ongoing").json()["status"] == "ongoing"


def test_an_unknown_status_is_a_400_naming_status(secretariat, planned):
    response = post_status(secretariat, planned, "finished")
    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider", "anonymous"])
def test_only_the_secretariat_changes_the_status(personas, persona, planned):
    response = post_status(personas[persona], planned, "suspended")
    assert response.status_code == (401 if persona == "anonymous" else 403)
    planned.refresh_from_db()
    assert planned.status == Activity.Status.PLANNED


def test_a_pasted_line_break_is_kept_as_a_line_feed_and_a_control_character_refused(
    secretariat, programme
):
    client = client_as(secretariat)
    response = client.post(
        LIST,
        payload(
            programme,
            title="Airports\x0bGroup",
            milestones=[{"title": "Kick\x0coff", "due_date": "2016-04-01"}],
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(reference=response.json()["reference"])
    assert activity.title == "Airports\nGroup"
    assert [m.title for m in activity.milestones.all()] == ["Kick\noff"]

    response = client.patch(
        f"{LIST}{activity.reference}/", {"description": "bell\x07"}, format="json"
    )
    assert response.status_code == 400
    assert "U+0007" in response.json()["description"][0]
    activity.refresh_from_db()
    assert activity.description == ""
