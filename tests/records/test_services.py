import datetime as dt
from decimal import Decimal

import pytest

from activities.models import Activity, AnnualProgramme
from pompidou.errors import DomainError, PermissionDenied
from pompidou.models import AuditEvent, Sequence
from pompidou.sequences import ACTIVITY
from records import services
from records.models import RecordImport
from tests.records.sheets import (
    ACTIVITY_HEADERS,
    activity_row,
    csv_bytes,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def check(actor, rows, name="activities.xlsx", kind="activities", headers=ACTIVITY_HEADERS):
    content = xlsx_bytes(headers, rows) if name.endswith(".xlsx") else csv_bytes(headers, rows)
    return services.import_check(kind=kind, upload=upload(content, name), actor=actor)


def refused(record):
    return {(r["row"], field): msgs for r in record.rows for field, msgs in r["errors"].items()}


def test_dry_run_counts_and_changes_nothing(programme, secretariat, media):
    record = check(secretariat, [activity_row(n) for n in range(1, 6)])
    assert record.status == RecordImport.Status.CHECKED
    assert record.counts == {"created": 5, "updated": 0, "unchanged": 0, "refused": 0}
    assert not Activity.objects.filter(reference__startswith="PG-2016-00").exists()


def test_import_creates_activities_with_every_field(programme, secretariat, states, media):
    record = check(secretariat, [activity_row(1), activity_row(2)])
    services.import_confirm(record=record, actor=secretariat)
    record.refresh_from_db()
    assert record.status == RecordImport.Status.IMPORTED
    activity = Activity.objects.get(reference="PG-2016-001")
    assert activity.title == "Past activity 1"
    assert activity.status == Activity.Status.COMPLETED
    assert activity.start_date == dt.date(2016, 3, 1)
    assert activity.end_date == dt.date(2016, 11, 30)
    assert activity.planned_budget == Decimal("12500.50")
    assert activity.permanent_format.number == "4.1"
    assert activity.lead_member_state == states["FR"]
    assert sorted(s.code for s in activity.participating_states.all()) == ["DE", "ES"]
    assert sorted(p.number for p in activity.thematic_priorities.all()) == ["3.1", "3.4"]
    assert Activity.objects.get(reference="PG-2016-002").permanent_format is None
    assert not record.file  # the spreadsheet is not kept once imported


def test_each_wrong_row_is_named_with_its_field(programme, secretariat, media):
    rows = [
        activity_row(1),
        activity_row(2, **{"Lead member state": "XX"}),
        activity_row(3, **{"Thematic priorities": "3.9"}),
        activity_row(4, Start="2016-12-01", End="2016-01-01"),
        activity_row(1, Title="Again"),
        activity_row(5, **{"Planned budget (EUR)": "lots"}),
        activity_row(6, Start="31/02/2016"),
    ]
    record = check(secretariat, rows)
    assert record.status == RecordImport.Status.REFUSED
    assert record.counts["refused"] == 6
    errors = refused(record)
    assert "Unknown member state XX" in errors[(3, "lead_member_state")][0]
    assert "Priority 3.9 is not in the programme" in errors[(4, "thematic_priorities")][0]
    assert errors[(5, "end_date")] == ["The end date is before the start date."]
    assert "Duplicate PG-2016-001: already on row 2." in errors[(6, "reference")]
    assert "lots is not a number." in errors[(7, "planned_budget")]
    assert "not a date" in errors[(8, "start_date")][0]


def test_import_is_refused_whole_when_a_row_is_refused(programme, secretariat, media):
    record = check(secretariat, [activity_row(1)])
    # The file on the server is the one checked: a refused one is never imported.
    record.status = RecordImport.Status.REFUSED
    record.save()
    with pytest.raises(DomainError):
        services.import_confirm(record=record, actor=secretariat)
    assert not Activity.objects.filter(reference="PG-2016-001").exists()


def test_a_row_refused_at_import_time_rolls_back_every_row(
    programme, secretariat, media, monkeypatch
):
    from records.kinds.activities import ActivityImport

    real = ActivityImport.apply
    calls = []

    def failing_second(self, values, actor):
        calls.append(values["reference"])
        if len(calls) == 2:
            raise DomainError("boom", field="title")
        return real(self, values, actor)

    record = check(secretariat, [activity_row(1), activity_row(2)])
    monkeypatch.setattr(ActivityImport, "apply", failing_second)
    services.import_confirm(record=record, actor=secretariat)
    record.refresh_from_db()
    assert record.status == RecordImport.Status.REFUSED
    assert not Activity.objects.filter(reference__in=["PG-2016-001", "PG-2016-002"]).exists()


def test_importing_the_same_file_twice_changes_nothing(programme, secretariat, media):
    rows = [activity_row(n) for n in range(1, 4)]
    services.import_confirm(record=check(secretariat, rows), actor=secretariat)
    before = list(Activity.objects.order_by("pk").values())
    events = (
        AuditEvent.objects.exclude(object_id=None).filter(content_type__model="activity").count()
    )
    second = services.import_confirm(record=check(secretariat, rows), actor=secretariat)
    assert second.counts == {"created": 0, "updated": 0, "unchanged": 3, "refused": 0}
    assert list(Activity.objects.order_by("pk").values()) == before
    assert (
        AuditEvent.objects.exclude(object_id=None).filter(content_type__model="activity").count()
        == events
    )


def test_a_changed_row_updates_the_activity_and_its_history(programme, secretariat, media):
    services.import_confirm(record=check(secretariat, [activity_row(1)]), actor=secretariat)
    record = check(
        secretariat, [activity_row(1, Title="Renamed", **{"Planned budget (EUR)": "9000"})]
    )
    assert record.counts["updated"] == 1
    services.import_confirm(record=record, actor=secretariat)
    activity = Activity.objects.get(reference="PG-2016-001")
    assert (activity.title, activity.planned_budget) == ("Renamed", Decimal("9000"))
    event = AuditEvent.objects.filter(kind="updated", object_id=activity.pk).get()
    assert event.changes["title"] == ["Past activity 1", "Renamed"]


def test_a_started_activity_must_state_its_transversal_considerations(
    programme, secretariat, media
):
    record = check(secretariat, [activity_row(1, **{"Human-rights considerations": ""})])
    assert "human-rights considerations" in refused(record)[(2, "human_rights_considerations")][0]


def test_the_reference_sequence_goes_on_after_the_imported_numbers(programme, secretariat, media):
    services.import_confirm(record=check(secretariat, [activity_row(41)]), actor=secretariat)
    assert Sequence.objects.get(key=ACTIVITY, year=2016).last_number >= 41
    from activities.services import _next_reference

    assert _next_reference(2016) == "PG-2016-042"


def test_french_headers_csv_with_decimal_comma(programme, secretariat, media):
    headers = ["Référence", "Titre", "Priorités thématiques", "Début", "Fin", "Budget prévu (EUR)"]
    rows = [["PG-2017-005", "Atelier", "3.2", "15/01/2017", "20/01/2017", "1 234,56"]]
    record = check(secretariat, rows, name="activites.csv", headers=headers)
    assert record.counts["created"] == 1, record.rows
    services.import_confirm(record=record, actor=secretariat)
    activity = Activity.objects.get(reference="PG-2017-005")
    assert activity.planned_budget == Decimal("1234.56")
    assert activity.status == Activity.Status.PLANNED


def test_missing_and_unknown_columns_refuse_the_file(programme, secretariat, media):
    with pytest.raises(DomainError) as caught:
        check(secretariat, [["x"]], headers=["Titre"])
    assert "Columns missing" in caught.value.message
    with pytest.raises(DomainError) as caught:
        check(secretariat, [activity_row(1) + ["?"]], headers=[*ACTIVITY_HEADERS, "Colour"])
    assert "Unknown columns: Colour" in caught.value.message
    assert not RecordImport.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(secretariat, media):
    with pytest.raises(DomainError) as caught:
        services.import_check(
            kind="activities", upload=upload(b"%PDF-1.4", "a.pdf"), actor=secretariat
        )
    assert caught.value.errors["file"]
    with pytest.raises(DomainError) as caught:
        services.import_check(
            kind="activities", upload=upload(b"junk", "a.xlsx"), actor=secretariat
        )
    assert "not an Excel workbook" in caught.value.message


def test_only_the_secretariat_imports(programme, pc_fr, media):
    with pytest.raises(PermissionDenied):
        check(pc_fr, [activity_row(1)])


def test_every_run_is_in_the_audit_log(programme, secretariat, media):
    record = check(secretariat, [activity_row(1)], name="past.xlsx")
    services.import_confirm(record=record, actor=secretariat)
    events = AuditEvent.objects.filter(object_id=record.pk, content_type__model="recordimport")
    assert [
        (e.kind, e.actor, e.changes["file"][1], e.changes["created"][1])
        for e in events.order_by("at")
    ] == [
        ("reviewed", secretariat, "past.xlsx", 1),
        ("created", secretariat, "past.xlsx", 1),
    ]


def test_annual_programme_entries_are_matched_on_year_and_activity(programme, secretariat, media):
    services.import_confirm(record=check(secretariat, [activity_row(1)]), actor=secretariat)
    headers = ["Year", "Activity reference", "Budget for the year (EUR)"]
    rows = [[2016, "PG-2016-001", "5000"], [2017, "PG-2016-001", ""], [2016, "PG-2099-001", ""]]
    record = check(secretariat, rows, kind="annual-programmes", headers=headers, name="ap.xlsx")
    errors = refused(record)
    assert "does not run in 2017" in errors[(3, "activity")][0]
    assert "No activity has the reference PG-2099-001" in errors[(4, "activity")][0]
    good = check(secretariat, rows[:1], kind="annual-programmes", headers=headers, name="ap.xlsx")
    services.import_confirm(record=good, actor=secretariat)
    entry = AnnualProgramme.objects.get(year=2016).entries.get()
    assert entry.budget == Decimal("5000")
    again = check(secretariat, rows[:1], kind="annual-programmes", headers=headers, name="ap.xlsx")
    assert again.counts["unchanged"] == 1


def test_member_states_are_matched_on_their_iso_code(secretariat, states, media):
    headers = ["ISO code", "Name (English)", "Nom (français)", "Status", "Joined"]
    rows = [
        ["FR", "France", "France", "member", 1971],
        ["MT", "Malta", "Malte", "Member state", 1999],
        ["M1", "Bad", "", "", ""],
        ["LU", "Luxembourg", "", "ally", ""],
    ]
    record = check(secretariat, rows, kind="member-states", headers=headers, name="ms.csv")
    errors = refused(record)
    assert "not an ISO 3166-1 alpha-2 code" in errors[(4, "code")][0]
    assert "ally is not one of" in errors[(5, "status")][0]
    good = check(secretariat, rows[:2], kind="member-states", headers=headers, name="ms.csv")
    assert good.counts == {"created": 1, "updated": 1, "unchanged": 0, "refused": 0}
    services.import_confirm(record=good, actor=secretariat)
    from programme.models import MemberState

    malta = MemberState.objects.get(code="MT")
    assert (malta.name_en, malta.name_fr, malta.joined_year) == ("Malta", "Malte", 1999)
    again = check(secretariat, rows[:2], kind="member-states", headers=headers, name="ms.csv")
    assert again.counts["unchanged"] == 2


def test_a_database_refusal_is_replayed_row_by_row_to_name_the_row(
    programme, secretariat, media, monkeypatch
):
    from django.db import IntegrityError

    from records.kinds.activities import ActivityImport

    real = ActivityImport.flush

    def refuse_row_2(self, actor):
        if any(a.reference == "PG-2016-002" for a, _links in self.pending):
            raise IntegrityError("activity_budget_not_negative")
        return real(self, actor)

    monkeypatch.setattr(ActivityImport, "flush", refuse_row_2)
    record = check(secretariat, [activity_row(1), activity_row(2), activity_row(3)])
    assert record.counts == {"created": 2, "updated": 0, "unchanged": 0, "refused": 1}
    assert "activity_budget_not_negative" in refused(record)[(3, "__all__")][0]


def test_member_states_imported_from_a_french_page_keep_their_english_name(
    secretariat, states, media
):
    from django.utils import translation

    from programme.models import MemberState

    headers = ["Code ISO", "Nom (anglais)", "Nom (français)"]
    with translation.override("fr"):
        record = check(
            secretariat,
            [["MT", "Malta", "Malte"]],
            kind="member-states",
            headers=headers,
            name="etats.csv",
        )
        services.import_confirm(record=record, actor=secretariat)
    malta = MemberState.objects.get(code="MT")
    assert (malta.name_en, malta.name_fr) == ("Malta", "Malte")


def test_queries_grow_by_chunk_not_by_row(programme, secretariat, media):
    """A second dry run of a file (every row unchanged): per chunk of rows, one
    query for the activities with their programme, format and lead state, one per
    relation (priorities, participating states), and two for its savepoint; the
    rest are the upload's own (permission, reference data, the record, its event)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n):
        rows = [activity_row(i) for i in range(1, n + 1)]
        services.import_confirm(record=check(secretariat, rows), actor=secretariat)
        with CaptureQueriesContext(connection) as captured:
            record = check(secretariat, rows)
        assert record.counts["unchanged"] == n
        return len(captured)

    small, large = queries(10), queries(40)
    assert small == large
