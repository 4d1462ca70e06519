"""Who may do what to activities and annual programmes, in which state, and the reason
a refused user reads: the role × action × state matrix of activities/permissions.py."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from activities import permissions
from activities.workflow import ACTIVITY_WORKFLOW, ANNUAL_PROGRAMME_WORKFLOW, status_choices
from pompidou.rules import ask
from tests.activities.factories import ActivityFactory, AnnualProgrammeFactory
from tests.conftest import answer, client_as

PERSONAS = ["secretariat", "pc_fr", "pc_de", "bureau_chair", "expert", "outsider", "anonymous"]
MEMBERS = {"secretariat", "pc_fr", "pc_de", "bureau_chair", "expert"}
STATUSES = ["planned", "ongoing", "suspended", "completed", "cancelled"]


@pytest.fixture
def who(personas):
    def user(persona):
        return personas[persona] or AnonymousUser()

    return user


# --- reading: members see what is not public yet ----------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "rule",
    [
        "activities.view_unadopted",
        "activities.view_draft_annual_programmes",
        "activities.view_history",
        "activities.view_annual_programme_documents",
    ],
)
def test_members_read_what_the_public_does_not(who, persona, rule):
    verdict = ask(rule, who(persona))
    assert bool(verdict) is (persona in MEMBERS)
    if not verdict:
        assert verdict.reason and not verdict.state


# --- activities: role × status ----------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_secretariat_records_and_edits_activities(who, persona, db):
    activity = ActivityFactory()
    for verdict in (
        permissions.can_edit_activity(who(persona)),
        permissions.can_edit_activity(who(persona), activity),
    ):
        assert bool(verdict) is (persona == "secretariat")
        if not verdict:
            assert str(verdict.reason) == "Only the Secretariat records and changes activities."


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("status", STATUSES)
def test_the_status_is_changed_by_the_secretariat_until_it_is_final(who, persona, status, db):
    activity = ActivityFactory(status=status)
    verdict = permissions.can_change_activity_status(who(persona), activity)
    final = status in ("completed", "cancelled")
    assert bool(verdict) is (persona == "secretariat" and not final)
    if persona != "secretariat":
        assert "Only the Secretariat changes the status" in str(verdict.reason)
        assert not verdict.state  # who they are: 403
    elif final:
        assert verdict.state and "final" in str(verdict.reason)  # the state: 400


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        ("planned", ["ongoing", "suspended", "cancelled"]),
        ("ongoing", ["completed", "cancelled", "suspended"]),
        ("suspended", ["ongoing", "cancelled"]),
        ("completed", []),
        ("cancelled", []),
    ],
)
def test_the_status_form_offers_the_workflows_moves(secretariat, pc_fr, status, offered, db):
    activity = ActivityFactory(status=status)
    assert sorted(s for s, _ in status_choices(secretariat, activity)) == sorted(offered)
    assert status_choices(pc_fr, activity) == []
    assert ACTIVITY_WORKFLOW.is_final(status) is (not offered)


# --- annual programmes: role × draft/adopted ----------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("status", ["draft", "adopted"])
def test_only_the_secretariat_changes_a_draft_annual_programme(who, persona, status, db):
    ap = AnnualProgrammeFactory(
        status=status, adopted_on="2016-01-01" if status == "adopted" else None
    )
    assert bool(permissions.can_manage_annual_programmes(who(persona), ap)) is (
        persona == "secretariat"
    )
    verdict = permissions.can_change_annual_programme(who(persona), ap)
    assert bool(verdict) is (persona == "secretariat" and status == "draft")
    if persona == "secretariat" and status == "adopted":
        assert verdict.state and "is adopted" in str(verdict.reason)
    moves = [m.name for m in ANNUAL_PROGRAMME_WORKFLOW.available(who(persona), ap)]
    assert moves == (["adopt"] if verdict else [])


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_secretariat_compiles_the_annual_programme(who, persona, db):
    ap = AnnualProgrammeFactory()
    assert bool(permissions.can_compile_annual_programme(who(persona), ap)) is (
        persona == "secretariat"
    )


# --- the same answer on the pages, in the API and in templates ------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_template_asks_the_same_rule_by_name(who, persona, db):
    request = RequestFactory().get("/")
    request.user = who(persona)
    html = Template(
        '{% load portal %}{% can "activities.edit" as v %}{% if v %}yes{% else %}{{ v.reason }}{% endif %}'
    ).render(Context({"request": request}))
    expected = "yes" if persona == "secretariat" else "Only the Secretariat records and changes"
    assert expected in html


def test_the_api_refuses_with_the_predicates_reason(pc_fr, programme, db):
    activity = ActivityFactory(work_programme=programme, status="planned")
    body = answer(
        client_as(pc_fr).patch(
            f"/api/v1/activities/{activity.reference}/", {"title": "x"}, format="json"
        ),
        403,
    )
    assert "Only the Secretariat records and changes activities." in str(body)


def test_a_final_status_is_a_400_naming_the_status(secretariat, programme, db):
    activity = ActivityFactory(work_programme=programme, status="completed")
    body = answer(
        client_as(secretariat).post(
            f"/api/v1/activities/{activity.reference}/status/", {"status": "ongoing"}, format="json"
        ),
        400,
    )
    assert "status" in body
