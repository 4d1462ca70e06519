from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from activities.models import Activity
from pompidou.models import AuditEvent
from records.models import RecordImport
from tests.records.sheets import ACTIVITY_HEADERS, activity_row, csv_bytes, write, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("import_records", *args, stdout=out)
    return out.getvalue()


def test_dry_run_then_import_then_again(programme, states, tmp_path):
    path = write(
        tmp_path / "past.xlsx", xlsx_bytes(ACTIVITY_HEADERS, [activity_row(1), activity_row(2)])
    )
    assert "Dry run, nothing changed: created 2" in run("activities", str(path), "--dry-run")
    assert not Activity.objects.filter(reference="PG-2016-001").exists()
    assert "Imported: created 2" in run("activities", str(path))
    assert Activity.objects.filter(reference__in=["PG-2016-001", "PG-2016-002"]).count() == 2
    assert "unchanged 2" in run("activities", str(path))
    events = AuditEvent.objects.filter(content_type__model="recordimport", actor=None)
    assert events.count() == 3
    assert {e.changes["file"][1] for e in events} == {"past.xlsx"}
    assert RecordImport.objects.filter(user=None).count() == 3


def test_refused_rows_are_printed_and_nothing_is_imported(programme, states, tmp_path):
    path = write(
        tmp_path / "past.csv",
        csv_bytes(ACTIVITY_HEADERS, [activity_row(1), activity_row(2, End="2015-01-01")]),
    )
    with pytest.raises(CommandError, match="Nothing imported"):
        run("activities", str(path))
    assert not Activity.objects.filter(reference="PG-2016-001").exists()


def test_a_missing_file_or_unknown_kind_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("activities", str(tmp_path / "none.xlsx"))
    with pytest.raises(CommandError):
        run("projects", str(tmp_path / "none.xlsx"))
