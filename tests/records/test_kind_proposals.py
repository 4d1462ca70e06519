"""Importing past proposals with their decisions (records/kinds/proposals.py)."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pompidou.errors import PermissionDenied
from pompidou.models import AuditEvent, Sequence
from pompidou.sequences import PROPOSAL
from proposals.models import Decision, Proposal
from records import services
from records.models import RecordImport
from tests.proposals.factories import ProposalFactory
from tests.records.sheets import (
    ACTIVITY_HEADERS,
    PROPOSAL_HEADERS,
    activity_row,
    csv_bytes,
    proposal_row,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def check(actor, rows, name="proposals.xlsx", headers=PROPOSAL_HEADERS):
    content = xlsx_bytes(headers, rows) if name.endswith(".xlsx") else csv_bytes(headers, rows)
    return services.import_check(kind="proposals", upload=upload(content, name), actor=actor)


def imported(actor, rows, **kwargs):
    record = services.import_confirm(record=check(actor, rows, **kwargs), actor=actor)
    record.refresh_from_db()
    return record


def refused(record):
    return {(r["row"], field): msgs for r in record.rows for field, msgs in r["errors"].items()}


@pytest.fixture
def activities(programme, secretariat, media):
    """PG-2016-001 … 009, which the odd proposals became."""
    record = services.import_check(
        kind="activities",
        upload=upload(xlsx_bytes(ACTIVITY_HEADERS, [activity_row(n) for n in range(1, 10)])),
        actor=secretariat,
    )
    services.import_confirm(record=record, actor=secretariat)


def test_dry_run_counts_and_changes_nothing(activities, secretariat):
    record = check(secretariat, [proposal_row(n) for n in range(1, 5)])
    assert record.status == RecordImport.Status.CHECKED
    assert record.counts == {"created": 4, "updated": 0, "unchanged": 0, "refused": 0}
    assert not Proposal.objects.filter(reference__startswith="PR-2016-").exists()


def test_import_creates_decided_proposals_with_every_field(
    activities, programme, secretariat, states
):
    record = imported(secretariat, [proposal_row(1), proposal_row(2)])
    assert record.status == RecordImport.Status.IMPORTED
    adopted = Proposal.objects.get(reference="PR-2016-0001")
    assert adopted.status == Proposal.Status.ADOPTED
    assert adopted.activity.reference == "PG-2016-001"
    assert adopted.title == "Past proposal 1"
    assert adopted.member_state == states["FR"]
    assert adopted.proposer == secretariat
    assert adopted.work_programme == programme
    assert adopted.year == 2016 and adopted.route == Proposal.Route.ANNUAL
    assert adopted.permanent_format.number == "4.1"
    assert sorted(p.number for p in adopted.thematic_priorities.all()) == ["3.1", "3.4"]
    assert sorted(s.member_state.code for s in adopted.supports.all()) == ["DE", "ES"]
    assert adopted.estimated_cost == Decimal("12500.50")
    assert (adopted.start_date, adopted.end_date) == (dt.date(2016, 3, 1), dt.date(2016, 11, 30))
    assert adopted.submitted_at.date() == dt.date(2016, 1, 15)
    decision = adopted.decisions.get()
    assert (decision.outcome, decision.decided_on, decision.rationale) == (
        "adopted",
        dt.date(2016, 2, 20),
        "Meets the criteria.",
    )
    assert decision.body == Decision.Body.PERMANENT_CORRESPONDENTS
    assert decision.recorded_by == secretariat
    rejected = Proposal.objects.get(reference="PR-2016-0002")
    assert rejected.status == Proposal.Status.REJECTED and rejected.activity is None
    assert rejected.decisions.get().outcome == "rejected"
    events = AuditEvent.objects.filter(content_type__model="proposal", object_id=adopted.pk)
    assert [(e.changes["status"], e.comment) for e in events] == [
        ([None, "adopted"], "Imported from a spreadsheet.")
    ]


def test_a_withdrawn_proposal_has_no_decision(activities, secretariat):
    row = proposal_row(2, Decision="withdrawn", **{"Decision date": "", "Rationale": ""})
    imported(secretariat, [row])
    proposal = Proposal.objects.get(reference="PR-2016-0002")
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert not proposal.decisions.exists()


REFUSALS = [
    ({"Proposing member state": "XX"}, "member_state", "Unknown member state XX"),
    ({"Supporting states": "DE; QQ"}, "supporting_states", "Unknown member state QQ"),
    ({"Supporting states": "FR"}, "supporting_states", "France"),
    ({"Thematic priorities": "3.1; 3.9"}, "thematic_priorities", "Priority 3.9 is not in"),
    ({"Format": "4.42"}, "permanent_format", "Format 4.42 is not in the programme"),
    ({"Estimated cost (EUR)": "a lot"}, "estimated_cost", "a lot is not a number."),
    ({"Estimated cost (EUR)": "-5"}, "estimated_cost", "The cost cannot be negative."),
    ({"Decision": "approved"}, "outcome", "approved is not one of: adopted, rejected"),
    ({"Decision date": "2015-12-01"}, "decided_on", "is before the submission (2016-01-15)"),
    ({"Decision date": ""}, "decided_on", "Give the date of the decision."),
    ({"Rationale": ""}, "rationale", "Give the rationale of the decision."),
    ({"Year": "2021"}, "year", "No work programme covers the year 2021"),
    ({"Route": "annual", "Year": ""}, "year", "Say which year"),
    ({"End": "2016-01-01"}, "end_date", "The end date is before the start date."),
    ({"Reference": "PR-16-3"}, "reference", "is not a reference like PR-2016-0003"),
    ({"Activity reference": ""}, "activity", "Name the activity"),
    ({"Activity reference": "PG-2016-404"}, "activity", "No activity has the reference"),
    ({"Submitted": "yesterday"}, "submitted", "yesterday is not a date"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), REFUSALS)
def test_each_wrong_cell_is_refused_with_its_reason(
    activities, secretariat, overrides, field, message
):
    record = check(secretariat, [proposal_row(1), proposal_row(3, **overrides)])
    assert record.status == RecordImport.Status.REFUSED
    assert record.counts["refused"] == 1
    problems = refused(record)
    assert any(message in m for m in problems[(3, field)]), problems


def test_year_outside_the_named_programme(activities, secretariat, programme):
    headers = [*PROPOSAL_HEADERS, "Work programme"]
    row = [*proposal_row(1, Year="2019"), programme.reference]
    record = check(secretariat, [row], headers=headers)
    assert "run 2015–2018" in refused(record)[(2, "year")][0]


def test_a_missing_year_rule_holds_only_for_the_annual_route(activities, secretariat):
    record = check(secretariat, [proposal_row(1, Route="ad_hoc", Year="")])
    assert record.counts["created"] == 1


def test_duplicates_in_the_file_are_refused(activities, secretariat):
    record = check(
        secretariat,
        [proposal_row(1), proposal_row(3), proposal_row(5, Reference="PR-2016-0001")],
    )
    assert "Duplicate PR-2016-0001: already on row 2." in refused(record)[(4, "reference")]
    # Two proposals cannot have become the same activity.
    record = check(
        secretariat, [proposal_row(1), proposal_row(3, **{"Activity reference": "PG-2016-001"})]
    )
    assert "already the adoption of PR-2016-0001" in refused(record)[(3, "activity")][0]


def test_only_an_adopted_proposal_names_an_activity(activities, secretariat):
    record = check(secretariat, [proposal_row(2, **{"Activity reference": "PG-2016-002"})])
    assert "Only an adopted proposal" in refused(record)[(2, "activity")][0]


def test_importing_the_same_file_twice_changes_nothing(activities, secretariat):
    rows = [proposal_row(n) for n in range(1, 6)]
    imported(secretariat, rows)
    before = list(Proposal.objects.order_by("pk").values())
    decisions = list(Decision.objects.order_by("pk").values())
    events = AuditEvent.objects.filter(content_type__model="proposal").count()
    second = imported(secretariat, rows)
    assert second.counts == {"created": 0, "updated": 0, "unchanged": 5, "refused": 0}
    assert list(Proposal.objects.order_by("pk").values()) == before
    assert list(Decision.objects.order_by("pk").values()) == decisions
    assert AuditEvent.objects.filter(content_type__model="proposal").count() == events


def test_a_deferred_proposal_is_decided_later_through_the_workflow(activities, secretariat):
    deferred = proposal_row(1, Decision="deferred", **{"Activity reference": ""})
    imported(secretariat, [deferred])
    assert Proposal.objects.get(reference="PR-2016-0001").status == Proposal.Status.DEFERRED
    record = imported(secretariat, [proposal_row(1, **{"Decision date": "2016-06-10"})])
    assert record.counts["updated"] == 1
    proposal = Proposal.objects.get(reference="PR-2016-0001")
    assert proposal.status == Proposal.Status.ADOPTED
    assert proposal.activity.reference == "PG-2016-001"
    assert [d.outcome for d in proposal.decisions.all()] == ["deferred", "adopted"]
    move = AuditEvent.objects.filter(content_type__model="proposal", object_id=proposal.pk).last()
    assert (move.from_state, move.to_state) == ("deferred", "adopted")


def test_a_decision_the_proposals_state_cannot_take_is_refused(activities, secretariat):
    imported(secretariat, [proposal_row(2)])  # rejected
    record = check(secretariat, [proposal_row(2, Decision="deferred")])
    message = refused(record)[(2, "status")][0]
    assert "A proposal that is rejected cannot become deferred" in message
    # Already decided the same way, on another day: a decision is not rewritten.
    record = check(secretariat, [proposal_row(2, **{"Decision date": "2016-03-01"})])
    assert "already decided otherwise" in refused(record)[(2, "decided_on")][0]


@pytest.fixture
def draft(programme, states):
    """PR-2016-0002, a French draft in the portal (its texts are not the file's)."""

    def make(**fields):
        return ProposalFactory(
            reference="PR-2016-0002",
            status=Proposal.Status.DRAFT,
            work_programme=programme,
            member_state=states["FR"],
            **fields,
        )

    return make


def test_a_proposal_in_the_portal_is_not_changed_by_an_import(activities, secretariat, draft):
    draft = draft()
    record = check(secretariat, [proposal_row(2)])
    problems = [m for r in record.rows for ms in r["errors"].values() for m in ms]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert "PR-2016-0002 is already in the portal with other values (" in problem
    assert "title" in problem and "start_date" in problem and "member_state" not in problem
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_the_reference_sequence_goes_on_after_the_imported_numbers(activities, secretariat):
    imported(secretariat, [proposal_row(1), proposal_row(7, Reference="PR-2016-0042")])
    assert Sequence.objects.get(key=PROPOSAL, year=2016).last_number == 42


def test_french_headers_csv(activities, secretariat):
    french = {
        "Reference": "Référence",
        "Title": "Titre",
        "Proposing member state": "État proposant",
        "Supporting states": "États soutenant la proposition",
        "Route": "Voie",
        "Year": "Année",
        "Thematic priorities": "Priorités thématiques",
        "Format": "Format",
        "Start": "Début",
        "End": "Fin",
        "Estimated cost (EUR)": "Coût estimé (EUR)",
        "Purpose": "Objet",
        "Submitted": "Soumise le",
        "Decision": "Décision",
        "Decision date": "Date de la décision",
        "Rationale": "Motifs",
        "Activity reference": "Référence de l'activité",
    }
    headers = [french[h] for h in PROPOSAL_HEADERS]
    rows = [proposal_row(1, Decision="Adoptée"), proposal_row(2, Decision="rejetée")]
    record = imported(secretariat, rows, headers=headers, name="propositions.csv")
    assert record.counts["created"] == 2, record.rows
    assert Proposal.objects.get(reference="PR-2016-0002").status == "rejected"


def test_only_the_secretariat_imports_proposals(activities, pc_fr):
    with pytest.raises(PermissionDenied):
        check(pc_fr, [proposal_row(1)])


def test_the_command_without_a_person_refuses_the_rows(activities, tmp_path):
    path = tmp_path / "proposals.xlsx"
    path.write_bytes(xlsx_bytes(PROPOSAL_HEADERS, [proposal_row(1)]))
    record = services.import_path(kind="proposals", path=path)
    assert record.status == RecordImport.Status.REFUSED
    assert "proposed by the person who imports it" in record.rows[0]["errors"]["__all__"][0]


def test_every_run_is_in_the_audit_log(activities, secretariat):
    record = imported(secretariat, [proposal_row(1)])
    event = AuditEvent.objects.filter(
        content_type__model="recordimport", object_id=record.pk
    ).last()
    assert event.actor == secretariat
    assert event.changes["kind"] == [None, "proposals"]
    assert event.changes["file"] == [None, "proposals.xlsx"]
    assert event.changes["created"] == [None, 1]


def test_queries_grow_by_chunk_not_by_row(programme, secretariat, media):
    """A second dry run (every row unchanged): per chunk, one query for the proposals,
    one per prefetched relation, one for the activities named, and the savepoint."""

    def queries(n):
        activities = [activity_row(i) for i in range(1, n + 1)]
        services.import_confirm(
            record=services.import_check(
                kind="activities",
                upload=upload(xlsx_bytes(ACTIVITY_HEADERS, activities)),
                actor=secretariat,
            ),
            actor=secretariat,
        )
        rows = [proposal_row(i) for i in range(1, n + 1)]
        imported(secretariat, rows)
        with CaptureQueriesContext(connection) as captured:
            record = check(secretariat, rows)
        assert record.counts["unchanged"] == n, record.rows[:3]
        return len(captured)

    small, large = queries(10), queries(40)
    assert small == large


def test_a_draft_with_the_same_texts_cannot_take_a_decision(
    activities, secretariat, programme, draft
):
    draft = draft(
        title="Past proposal 2",
        scope="",
        purpose="Training for prison staff.",
        expected_outcome="",
        year=2016,
        start_date=dt.date(2016, 3, 1),
        end_date=dt.date(2016, 11, 30),
        estimated_cost=Decimal("12500.50"),
    )
    draft.thematic_priorities.set(programme.priorities.filter(number__in=["3.1", "3.4"]))
    record = check(secretariat, [proposal_row(2)])
    assert "A proposal that is draft cannot become rejected" in refused(record)[(2, "status")][0]
    assert not draft.decisions.exists()


def test_the_command_imports_proposals_as_the_user_named(activities, secretariat, tmp_path):
    path = tmp_path / "proposals.xlsx"
    path.write_bytes(xlsx_bytes(PROPOSAL_HEADERS, [proposal_row(1), proposal_row(2)]))
    out = StringIO()
    call_command("import_records", "proposals", str(path), "--user", "secretariat", stdout=out)
    assert "Imported: created 2" in out.getvalue()
    assert Proposal.objects.get(reference="PR-2016-0002").proposer == secretariat
    with pytest.raises(CommandError, match="No active user nobody"):
        call_command("import_records", "proposals", str(path), "--user", "nobody")


def test_the_command_refuses_a_user_outside_the_secretariat(activities, pc_fr, tmp_path):
    path = tmp_path / "proposals.xlsx"
    path.write_bytes(xlsx_bytes(PROPOSAL_HEADERS, [proposal_row(2)]))
    with pytest.raises(CommandError, match="Only the Secretariat imports records."):
        call_command("import_records", "proposals", str(path), "--user", "pc_fr")
    assert not Proposal.objects.filter(reference="PR-2016-0002").exists()


def test_a_column_the_file_does_not_have_changes_nothing(activities, secretariat):
    imported(secretariat, [proposal_row(1), proposal_row(2)])
    keep = [
        i for i, h in enumerate(PROPOSAL_HEADERS) if h not in ("Purpose", "Estimated cost (EUR)")
    ]
    headers = [PROPOSAL_HEADERS[i] for i in keep]
    rows = [[row[i] for i in keep] for row in (proposal_row(1), proposal_row(2))]
    record = check(secretariat, rows, headers=headers)
    assert record.counts == {"created": 0, "updated": 0, "unchanged": 2, "refused": 0}
    # A column it has, with another value, is refused: a submitted text stays.
    record = check(secretariat, [proposal_row(2, Purpose="Another purpose.")])
    assert "(purpose)" in refused(record)[(2, "purpose")][0]
    assert Proposal.objects.get(reference="PR-2016-0002").purpose == "Training for prison staff."
