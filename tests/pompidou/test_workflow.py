"""The shared workflow, permission verdicts and audit log, on a real model."""

import pytest
from django.contrib.auth.models import User

from pompidou import audit
from pompidou.errors import DomainError, PermissionDenied
from pompidou.models import AuditEvent
from pompidou.rules import Verdict, allow, ask, deny, deny_state, require, rule
from pompidou.templatetags.audit import audit_history
from pompidou.workflow import Workflow, move
from programme.models import MemberState


def test_a_verdict_is_falsy_with_its_reason():
    assert allow()
    refused = deny("Only the Secretariat.")
    assert not refused and refused.reason == "Only the Secretariat."
    with pytest.raises(PermissionDenied, match="Only the Secretariat"):
        require(refused)
    with pytest.raises(DomainError, match="Not now") as caught:
        require(deny_state("Not now"))
    assert not isinstance(caught.value, PermissionDenied)
    require(allow())  # allowed: nothing raised
    assert (allow() & refused) is refused


def test_rules_are_asked_by_name_and_registered_once():
    @rule("tests.always")
    def always(user, obj=None):
        return Verdict(True)

    assert ask("tests.always", None)
    with pytest.raises(ValueError):
        rule("tests.always")(lambda user: True)
    with pytest.raises(KeyError):
        ask("tests.unknown", None)


# A workflow over a model with choices, built in the test (the apps declare theirs).
def _flow():
    from activities.models import Activity

    S = Activity.Status
    return Workflow(
        model=Activity,
        moves=(
            move("start", [S.PLANNED], S.ONGOING, permission=lambda u, o: u is not None),
            move("cancel", [S.PLANNED, S.ONGOING], S.CANCELLED, permission=lambda u, o: False),
        ),
        groups={"running": {S.ONGOING}},
    )


@pytest.mark.django_db
def test_move_updates_conditionally_and_writes_one_event():
    from tests.activities.factories import ActivityFactory

    flow = _flow()
    user = User.objects.create(username="mover", first_name="Mo", last_name="Ver")
    activity = ActivityFactory(status="planned")
    stale = type(activity).objects.get(pk=activity.pk)
    flow.move(activity, "ongoing", user, comment="kick-off")
    assert type(activity).objects.get(pk=activity.pk).status == "ongoing"
    (event,) = audit.events_of(activity)
    assert (event.kind, event.from_state, event.to_state, event.actor) == (
        "status",
        "planned",
        "ongoing",
        user,
    )
    # A second move from the state read before the first lands is refused.
    with pytest.raises(DomainError, match="changed meanwhile"):
        flow.move(stale, "ongoing", user)
    # Not an allowed move: a clear message listing the allowed ones.
    with pytest.raises(DomainError, match="cannot become planned"):
        flow.move(activity, "planned", user)
    # The move's predicate refuses.
    with pytest.raises(PermissionDenied):
        flow.move(activity, "cancelled", user)
    assert AuditEvent.objects.count() == 1
    assert [m.name for m in flow.available(user, stale)] == ["start"]
    assert flow.group("running") == {"ongoing"}


def test_a_workflow_naming_an_unknown_state_is_refused():
    from activities.models import Activity

    with pytest.raises(ValueError):
        Workflow(model=Activity, moves=(move("x", ["planned"], "nowhere"),))


@pytest.mark.django_db
def test_the_history_reads_in_words():
    state = MemberState.objects.create(code="FR", name="France")
    audit.record(state, audit.Kind.UPDATED, None, changes={"name": ["Frankreich", "France"]})
    (row,) = audit_history(audit.events_of(state))["entries"]
    assert row["actor"] == "the portal"
    assert row["label"] == "changed"
    assert [(c.label, c.old, c.new) for c in row["changes"]] == [("Name", "Frankreich", "France")]


@pytest.mark.django_db
def test_a_support_names_the_supporting_delegation_not_the_subjects_own():
    state = MemberState.objects.create(code="PL", name="Poland")
    audit.record(state, audit.Kind.SUPPORT_ADDED, None, changes={"member_state": [None, "Poland"]})
    (row,) = audit_history(audit.events_of(state))["entries"]
    assert [(c.label, c.new) for c in row["changes"]] == [("Supporting delegation", "Poland")]


def test_a_page_gate_answers_403_by_role_and_leaves_the_state_to_the_service():
    from django.core.exceptions import PermissionDenied as PageDenied

    from pompidou.rules import gate

    with pytest.raises(PageDenied, match="Only the Secretariat"):
        gate(deny("Only the Secretariat."))
    gate(deny_state("Not now."))  # the service words it on the page
    gate(allow())
