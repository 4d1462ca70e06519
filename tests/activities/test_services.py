import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from activities import services
from activities.models import Activity, AnnualProgramme, AnnualProgrammeEntry
from pompidou.errors import DomainError, PermissionDenied
from pompidou.models import AuditEvent
from programme.models import Meeting
from tests.activities.factories import ActivityFactory, AnnualProgrammeFactory
from tests.programme.factories import ThematicPriorityFactory, WorkProgrammeFactory

D = Decimal


def _create(secretariat, **fields):
    return services.activity_create(actor=secretariat, **fields)


def test_activity_gets_the_next_reference_of_its_start_year(secretariat, base):
    first = _create(secretariat, **base)
    second = _create(secretariat, **base)
    assert (first.reference, second.reference) == ("PG-2016-001", "PG-2016-002")
    other_year = _create(
        secretariat, **{**base, "start_date": dt.date(2017, 1, 1), "end_date": dt.date(2017, 6, 1)}
    )
    assert other_year.reference == "PG-2017-001"


def test_a_reference_is_never_reused_after_a_deletion(secretariat, base):
    first = _create(secretariat, **base)
    first.history.all().delete()
    first.delete()
    assert _create(secretariat, **base).reference == "PG-2016-002"


def test_creation_is_recorded_in_the_history(secretariat, base):
    activity = _create(secretariat, **base)
    record = activity.history.get()
    assert (record.actor, record.kind) == (secretariat, "created")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_date": dt.date(2016, 1, 1)}, "end_date", "before the start date"),
        ({"end_date": dt.date(2019, 3, 1)}, "end_date", "mark it as carried over"),
        ({"start_date": dt.date(2014, 3, 1)}, "start_date", "must start within 2015–2018"),
        ({"thematic_priorities": []}, "thematic_priorities", "at least one thematic priority"),
        ({"planned_budget": D("-1")}, "planned_budget", "cannot be negative"),
        ({"spent": D("-0.01")}, "spent", "cannot be negative"),
        ({"title": "  "}, "title", "title"),
        ({"adoption_route": "by_decree"}, "adoption_route", "how the activity was adopted"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_creates_nothing(
    secretariat, base, change, field, message
):
    with pytest.raises(DomainError) as excinfo:
        _create(secretariat, **{**base, **change})
    assert field in excinfo.value.errors
    assert message in " ".join(excinfo.value.errors[field])
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.exists()


def test_several_problems_are_reported_at_once(secretariat, base):
    with pytest.raises(DomainError) as excinfo:
        _create(
            secretariat,
            **{**base, "title": "", "planned_budget": D("-5"), "end_date": dt.date(2015, 1, 1)},
        )
    assert {"title", "planned_budget", "end_date"} <= set(excinfo.value.errors)


def test_a_carried_over_activity_may_end_after_the_programme(secretariat, base):
    activity = _create(
        secretariat, **{**base, "end_date": dt.date(2019, 6, 30), "carried_over": True}
    )
    assert activity.carried_over


def test_priority_of_another_programme_is_refused(secretariat, base):
    foreign = ThematicPriorityFactory(work_programme=WorkProgrammeFactory())
    with pytest.raises(DomainError) as excinfo:
        _create(secretariat, **{**base, "thematic_priorities": [foreign]})
    assert "thematic_priorities" in excinfo.value.errors


def test_format_of_another_programme_is_refused(secretariat, base):
    from tests.programme.factories import PermanentFormatFactory

    with pytest.raises(DomainError) as excinfo:
        _create(secretariat, **{**base, "permanent_format": PermanentFormatFactory()})
    assert "permanent_format" in excinfo.value.errors


def test_supervisor_must_be_a_bureau_member(secretariat, base, pc_fr, bureau_chair):
    with pytest.raises(DomainError) as excinfo:
        _create(secretariat, **{**base, "supervisor": pc_fr})
    assert "supervisor" in excinfo.value.errors
    assert _create(secretariat, **{**base, "supervisor": bureau_chair}).supervisor == bureau_chair


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx_bytes() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_terms_of_reference_accept_real_pdf_and_docx(secretariat, base, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = _create(
        secretariat,
        **base,
        terms_of_reference_file=SimpleUploadedFile(
            "tor.pdf", PDF_BYTES, content_type="application/pdf"
        ),
    )
    assert pdf.terms_of_reference_file.name.endswith(".pdf")
    docx = _create(
        secretariat, **base, terms_of_reference_file=SimpleUploadedFile("tor.docx", _docx_bytes())
    )
    assert docx.terms_of_reference_file.name.endswith(".docx")


def test_a_disguised_attachment_is_refused_by_its_content(secretariat, base):
    fake = SimpleUploadedFile(
        "tor.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf"
    )
    with pytest.raises(DomainError) as excinfo:
        _create(secretariat, **base, terms_of_reference_file=fake)
    assert "neither" in excinfo.value.errors["terms_of_reference_file"][0]
    assert not Activity.objects.exists()


def test_an_oversized_attachment_is_refused(secretariat, base):
    big = SimpleUploadedFile("tor.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError) as excinfo:
        _create(secretariat, **base, terms_of_reference_file=big)
    assert "limit is 10 MB" in excinfo.value.errors["terms_of_reference_file"][0]


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_records_activities(personas, base, persona):
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=personas[persona], **base)
    assert not Activity.objects.exists()


def test_update_records_old_and_new_values(secretariat, base):
    activity = _create(secretariat, **base)
    services.activity_update(
        activity=activity, actor=secretariat, title="Darknet markets", planned_budget=D("30000")
    )
    record = activity.history.filter(kind="updated").get()
    assert record.changes == {
        "title": ["Darknet drug markets", "Darknet markets"],
        "planned_budget": ["25000.00", "30000.00"],
    }


def test_update_with_bad_dates_changes_nothing(secretariat, base):
    activity = _create(secretariat, **base)
    with pytest.raises(DomainError):
        services.activity_update(
            activity=activity, actor=secretariat, end_date=dt.date(2015, 1, 1), title="Changed"
        )
    activity.refresh_from_db()
    assert activity.title == "Darknet drug markets"
    assert not activity.history.filter(kind="updated").exists()


def test_status_follows_the_transition_table(secretariat, base):
    activity = _create(
        secretariat, **base, human_rights_considerations="Stated.", gender_considerations="Stated."
    )
    with pytest.raises(DomainError, match="cannot become completed") as excinfo:
        services.activity_change_status(activity=activity, actor=secretariat, status="completed")
    assert "status" in excinfo.value.errors
    for status in ("ongoing", "suspended", "ongoing", "completed"):
        activity = services.activity_change_status(
            activity=activity, actor=secretariat, status=status
        )
    assert activity.status == "completed"
    with pytest.raises(DomainError, match="allowed: none"):
        services.activity_change_status(activity=activity, actor=secretariat, status="ongoing")
    assert activity.history.filter(kind="status").count() == 4


def test_an_activity_starts_only_once_human_rights_and_gender_are_stated(secretariat, base):
    activity = _create(secretariat, **base, human_rights_considerations="Stated.")
    with pytest.raises(DomainError, match="gender considerations"):
        services.activity_change_status(activity=activity, actor=secretariat, status="ongoing")
    activity.refresh_from_db()
    assert activity.status == "planned"


def test_database_refuses_end_before_start_even_without_the_service(programme):
    with pytest.raises(IntegrityError):
        ActivityFactory(
            work_programme=programme, start_date=dt.date(2016, 5, 1), end_date=dt.date(2016, 4, 1)
        )


# --- annual programmes --------------------------------------------------------


@pytest.fixture
def ap2016(secretariat, programme):
    return services.annual_programme_create(
        actor=secretariat, work_programme=programme, year=2016, budget_ceiling=D("50000")
    )


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(kind="pc_plenary", number=77, date=dt.date(2015, 11, 24))


def test_annual_programme_year_must_lie_in_the_work_programme_and_be_unique(
    secretariat, programme, ap2016
):
    with pytest.raises(DomainError, match="outside the work programme"):
        services.annual_programme_create(actor=secretariat, work_programme=programme, year=2019)
    with pytest.raises(DomainError, match="already exists"):
        services.annual_programme_create(actor=secretariat, work_programme=programme, year=2016)
    with pytest.raises(DomainError, match="cannot be negative"):
        services.annual_programme_create(
            actor=secretariat, work_programme=programme, year=2017, budget_ceiling=D("-1")
        )


def test_add_only_activities_running_that_year_once(secretariat, base, ap2016):
    activity = _create(secretariat, **base)
    entry = services.annual_programme_add_activity(
        annual_programme=ap2016, activity=activity, actor=secretariat
    )
    assert entry.budget == D("25000")
    with pytest.raises(DomainError, match="already in the annual programme"):
        services.annual_programme_add_activity(
            annual_programme=ap2016, activity=activity, actor=secretariat
        )
    later = _create(
        secretariat, **{**base, "start_date": dt.date(2017, 1, 1), "end_date": dt.date(2017, 3, 1)}
    )
    with pytest.raises(DomainError, match="does not run in 2016"):
        services.annual_programme_add_activity(
            annual_programme=ap2016, activity=later, actor=secretariat
        )
    with pytest.raises(DomainError, match="cannot be negative"):
        services.annual_programme_add_activity(
            annual_programme=ap2016, activity=later, actor=secretariat, budget=D("-3")
        )
    assert ap2016.entries.count() == 1


def test_adoption_freezes_the_entries(secretariat, base, ap2016, meeting):
    activity = _create(secretariat, **base)
    entry = services.annual_programme_add_activity(
        annual_programme=ap2016, activity=activity, actor=secretariat
    )
    adopted = services.annual_programme_adopt(
        annual_programme=ap2016, actor=secretariat, meeting=meeting
    )
    assert (adopted.status, adopted.adopted_on, adopted.adopting_meeting) == (
        "adopted",
        dt.date(2015, 11, 24),
        meeting,
    )
    other = _create(secretariat, **base)
    with pytest.raises(DomainError, match="is adopted"):
        services.annual_programme_add_activity(
            annual_programme=ap2016, activity=other, actor=secretariat
        )
    with pytest.raises(DomainError, match="is adopted"):
        services.annual_programme_remove_activity(entry=entry, actor=secretariat)
    with pytest.raises(DomainError, match="is adopted"):
        services.annual_programme_set_ceiling(
            annual_programme=ap2016, actor=secretariat, budget_ceiling=D("1")
        )
    with pytest.raises(DomainError, match="is adopted"):
        services.annual_programme_adopt(annual_programme=ap2016, actor=secretariat, meeting=meeting)
    assert list(ap2016.entries.all()) == [entry]


def test_adoption_needs_a_pc_plenary_and_at_least_one_activity(secretariat, base, ap2016):
    bureau_meeting = Meeting.objects.create(kind="bureau", number=1, date=dt.date(2015, 10, 1))
    plenary = Meeting.objects.create(kind="pc_plenary", number=77, date=dt.date(2015, 11, 24))
    with pytest.raises(DomainError, match="no activities"):
        services.annual_programme_adopt(annual_programme=ap2016, actor=secretariat, meeting=plenary)
    services.annual_programme_add_activity(
        annual_programme=ap2016, activity=_create(secretariat, **base), actor=secretariat
    )
    with pytest.raises(DomainError, match="in plenary"):
        services.annual_programme_adopt(
            annual_programme=ap2016, actor=secretariat, meeting=bureau_meeting
        )
    ap2016.refresh_from_db()
    assert ap2016.status == "draft"


def test_roll_over_starts_next_year_with_the_running_permanent_formats(
    secretariat, programme, base, ap2016, meeting
):
    airports = programme.formats.get(number="4.2")
    running = _create(
        secretariat,
        **{
            **base,
            "title": "Airports Group",
            "permanent_format": airports,
            "start_date": dt.date(2015, 1, 1),
            "end_date": dt.date(2018, 12, 31),
        },
    )
    ending = _create(secretariat, **{**base, "title": "Ends in 2016", "permanent_format": airports})
    one_off = _create(secretariat, **base)
    cancelled = _create(
        secretariat,
        **{
            **base,
            "title": "Cancelled format",
            "permanent_format": airports,
            "end_date": dt.date(2018, 1, 1),
        },
    )
    services.activity_change_status(activity=cancelled, actor=secretariat, status="cancelled")
    for a in (running, ending, one_off):
        services.annual_programme_add_activity(
            annual_programme=ap2016, activity=a, actor=secretariat, budget=D("7000")
        )
    services.annual_programme_adopt(annual_programme=ap2016, actor=secretariat, meeting=meeting)
    nxt = services.annual_programme_roll_over(annual_programme=ap2016, actor=secretariat)
    assert (nxt.year, nxt.status, nxt.budget_ceiling) == (2017, "draft", D("50000"))
    entries = list(nxt.entries.values_list("activity__title", "budget"))
    assert entries == [("Airports Group", D("7000"))]
    with pytest.raises(DomainError, match="already exists"):
        services.annual_programme_roll_over(annual_programme=ap2016, actor=secretariat)


def test_one_entry_per_activity_and_year_is_a_database_rule(programme):
    ap = AnnualProgrammeFactory(work_programme=programme)
    activity = ActivityFactory(work_programme=programme)
    AnnualProgrammeEntry.objects.create(annual_programme=ap, activity=activity)
    with pytest.raises(IntegrityError):
        AnnualProgrammeEntry.objects.create(annual_programme=ap, activity=activity)


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_manages_annual_programmes(personas, programme, persona):
    with pytest.raises(PermissionDenied):
        services.annual_programme_create(
            actor=personas[persona], work_programme=programme, year=2016
        )
    assert not AnnualProgramme.objects.exists()


# --- the planned budget and the annual-programme entries -------------------------------


def test_a_changed_planned_budget_follows_into_its_draft_annual_programme_entry(
    secretariat, base, ap2016
):
    activity = _create(secretariat, **base)
    entry = services.annual_programme_add_activity(
        annual_programme=ap2016, activity=activity, actor=secretariat
    )
    services.activity_update(activity=activity, actor=secretariat, planned_budget=D("31000"))
    entry.refresh_from_db()
    assert entry.budget == D("31000")
    record = ap2016.history.get(kind="entry_budget")
    assert (record.actor, record.changes) == (
        secretariat,
        {activity.reference: ["25000.00", "31000.00"]},
    )


def test_an_entry_with_its_own_amount_for_the_year_keeps_it(secretariat, base, ap2016):
    activity = _create(secretariat, **base)
    entry = services.annual_programme_add_activity(
        annual_programme=ap2016, activity=activity, actor=secretariat, budget=D("9000")
    )
    services.activity_update(activity=activity, actor=secretariat, planned_budget=D("31000"))
    entry.refresh_from_db()
    assert entry.budget == D("9000")
    assert not ap2016.history.filter(kind="entry_budget").exists()


def test_an_adopted_annual_programme_keeps_the_adopted_amount(secretariat, base, ap2016, meeting):
    activity = _create(secretariat, **base)
    entry = services.annual_programme_add_activity(
        annual_programme=ap2016, activity=activity, actor=secretariat
    )
    services.annual_programme_adopt(annual_programme=ap2016, actor=secretariat, meeting=meeting)
    services.activity_update(activity=activity, actor=secretariat, planned_budget=D("31000"))
    entry.refresh_from_db()
    activity.refresh_from_db()
    assert (activity.planned_budget, entry.budget) == (D("31000"), D("25000"))


def test_the_budget_sync_rolls_back_with_a_refused_update(secretariat, base, ap2016):
    activity = _create(secretariat, **base)
    entry = services.annual_programme_add_activity(
        annual_programme=ap2016, activity=activity, actor=secretariat
    )
    with pytest.raises(DomainError):
        services.activity_update(
            activity=activity, actor=secretariat, planned_budget=D("31000"), title=""
        )
    entry.refresh_from_db()
    assert entry.budget == D("25000")
