"""The history kept before issue 11 (ChangeRecord rows) moves into AuditEvent and back."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("activities", "0003_clean_control_characters"), ("pompidou", "0002_audit_event")]
AFTER = [("activities", "0004_changerecord_rows_into_auditevent")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_change_records_become_audit_events_with_their_states_and_back():
    try:
        _change_records_become_audit_events_and_back()
    finally:
        # Whatever happened, the next tests find the schema of today.
        _migrate(_latest())


def _change_records_become_audit_events_and_back():
    apps = _migrate(BEFORE)
    User = apps.get_model("auth", "User")
    WorkProgramme = apps.get_model("programme", "WorkProgramme")
    Activity = apps.get_model("activities", "Activity")
    AnnualProgramme = apps.get_model("activities", "AnnualProgramme")
    ChangeRecord = apps.get_model("activities", "ChangeRecord")
    user = User.objects.create(username="sec")
    wp = WorkProgramme.objects.create(
        reference="P-PG/Test (2014) 1", title="WP", first_year=2015, last_year=2018
    )
    activity = Activity.objects.create(
        reference="PG-2016-001",
        title="Darknet",
        work_programme=wp,
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2016, 12, 31),
    )
    ap = AnnualProgramme.objects.create(work_programme=wp, year=2016)
    ChangeRecord.objects.create(
        actor=user, activity=activity, action="updated", changes={"title": ["Old", "Darknet"]}
    )
    ChangeRecord.objects.create(
        actor=user,
        activity=activity,
        action="status",
        changes={"status": ["planned", "ongoing"]},
        comment="Kick-off",
    )
    ChangeRecord.objects.create(
        actor=None,
        annual_programme=ap,
        action="adopted",
        changes={"status": ["draft", "adopted"], "meeting": [None, "PC 80"]},
    )
    when = timezone.now() - dt.timedelta(days=400)
    ChangeRecord.objects.update(at=when)

    apps = _migrate(AFTER)
    AuditEvent = apps.get_model("pompidou", "AuditEvent")
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.kind, e.from_state, e.to_state, e.changes) for e in events] == [
        ("updated", "", "", {"title": ["Old", "Darknet"]}),
        ("status", "planned", "ongoing", {}),
        ("adopted", "draft", "adopted", {"meeting": [None, "PC 80"]}),
    ]
    assert [e.subject_label for e in events] == [
        "PG-2016-001 Darknet",
        "PG-2016-001 Darknet",
        "Annual programme of activities 2016",
    ]
    assert events[1].comment == "Kick-off" and events[1].actor_id == user.pk
    assert {e.at for e in events} == {when}

    apps = _migrate(BEFORE)
    ChangeRecord = apps.get_model("activities", "ChangeRecord")
    back = list(ChangeRecord.objects.order_by("id"))
    assert [(r.action, r.changes) for r in back] == [
        ("updated", {"title": ["Old", "Darknet"]}),
        ("status", {"status": ["planned", "ongoing"]}),
        ("adopted", {"status": ["draft", "adopted"], "meeting": [None, "PC 80"]}),
    ]
    assert not apps.get_model("pompidou", "AuditEvent").objects.exists()


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
