"""The one world every row of the matrix is asked against: the eight roles and, for
each object a URL names, its address parameters and the text that identifies it.

France is the "own" state: its PC and its Bureau member propose and lead; Germany's
PC and the Norwegian chair are the "other" ones (the chair supervises France's
activity). Each identifying text is unique, so finding it in a body is a leak.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from activities import services as activity_services
from activities.models import Activity, ActivityExport, AnnualProgrammeDocument
from evaluation import services as evaluation_services
from evaluation.models import EvaluationReport, FeedbackInvitation
from meetings import services as meeting_services
from meetings.models import DecisionList, MeetingDocument
from pompidou import notices
from pompidou.models import WorkProgrammeDocument
from programme import authoring
from programme.models import Meeting
from programme.services import account_create
from proposals import services
from tests.proposals.api import bureau_member
from tests.proposals.factories import draft, full_scores, pdf, submitted

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _activity(secretariat, programme, states, *, title, route, lead="FR", supervisor=None):
    activity = activity_services.activity_create(
        actor=secretariat,
        work_programme=programme,
        title=title,
        thematic_priorities=[programme.priorities.get(number="3.4")],
        start_date=dt.date(2016, 2, 1),
        end_date=dt.date(2017, 11, 30),
        lead_member_state=states[lead],
        adoption_route=route,
        supervisor=supervisor,
        terms_of_reference_file=pdf(),
    )
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.ONGOING)
    activity.refresh_from_db()
    return activity


def _compiled(model, **fields):
    """A compiled document (a ``ReportJob``) that succeeded, with its files."""
    job = model(status=model.Status.SUCCEEDED, progress=100, **fields)
    job.pdf.save(f"{job.file_stem}.pdf", ContentFile(PDF), save=False)
    job.docx.save(f"{job.file_stem}.docx", ContentFile(b"PK\x03\x04docx"), save=False)
    job.save()
    return job


def _export(requested_by, secret: str) -> ActivityExport:
    """An export of the activity list written by a worker, with its file."""
    job = ActivityExport(
        status=ActivityExport.Status.SUCCEEDED,
        fmt="csv",
        language="en",
        filename="activities-all.csv",
        requested_by=requested_by,
        total=1,
        written=1,
    )
    job.file.save("activities-all.csv", ContentFile(secret.encode()), save=False)
    job.save()
    return job


def _priority_entry(wp) -> dict:
    return {"pk": wp.pk, "kind": "priority", "item": wp.priorities.get(number="3.4").pk}


def build(personas, programme, states) -> tuple[dict, dict]:
    """(users by role, objects by target: {"kwargs": …, "secret": …})."""
    sec, pc_fr, pc_de = personas["secretariat"], personas["pc_fr"], personas["pc_de"]
    expert = personas["expert"]
    users = {
        "anonymous": AnonymousUser(),
        "secretariat": sec,
        "pc_own": pc_fr,
        "pc_other": pc_de,
        "bureau_own": bureau_member("bureau_fr", "FR"),
        "bureau_other": personas["bureau_chair"],
        "assessor": expert,
        "expert": account_create(
            username="expert_b", role="expert", password="x" * 12, validate=False
        ),
    }
    # --- proposals ----------------------------------------------------------------------
    assessing = submitted(pc_fr, programme, title="Matrix under assessment")
    support = services.support_add(proposal=assessing, actor=pc_de)
    assessment = services.assessor_assign(proposal=assessing, assessor=expert, actor=sec)
    services.assessment_save(
        assessment=assessment, actor=expert, scores=full_scores(assessing), submit=True
    )
    remark = services.comment_post(proposal=assessing, actor=pc_de, body="Matrix public remark")
    note = services.comment_post(
        proposal=assessing, actor=expert, body="Matrix assessors note", channel="assessors"
    )
    fr_draft = draft(pc_fr, programme, title="Matrix French draft")
    attachment = services.attachment_add(
        proposal=fr_draft, actor=pc_fr, file=pdf(), title="Matrix draft terms"
    )
    urgent = submitted(
        pc_fr,
        programme,
        title="Matrix urgent",
        route="urgent",
        year=None,
        urgency_justification="Now.",
    )
    # --- activities -----------------------------------------------------------------------
    chair = personas["bureau_chair"]
    adopted = _activity(
        sec, programme, states, title="Matrix adopted activity", route="ad_hoc", supervisor=chair
    )
    planned = _activity(
        sec, programme, states, title="Matrix planned activity", route="annual", lead="DE"
    )
    milestone = activity_services.milestone_add(
        activity=adopted, actor=sec, title="Matrix milestone", due_date=dt.date(2016, 6, 30)
    )
    ap = activity_services.annual_programme_create(
        actor=sec, work_programme=programme, year=2016, budget_ceiling=Decimal("500000")
    )
    entry = activity_services.annual_programme_add_activity(
        annual_programme=ap, activity=planned, actor=sec
    )
    ap_document = _compiled(
        AnnualProgrammeDocument,
        annual_programme=ap,
        reference="P-PG (2016) 91",
        document_date=dt.date(2016, 1, 15),
    )
    own_export = _export(pc_fr, "Matrix export of France")
    visitor_export = _export(None, "Matrix export of a visitor")
    # --- evaluation ---------------------------------------------------------------------
    report = evaluation_services.progress_report_file(
        activity=adopted,
        actor=pc_fr,
        period="2016-H1",
        status="on_track",
        percent_complete=40,
        narrative="Matrix narrative of France.",
    )
    indicator = evaluation_services.indicator_add(
        activity=adopted, actor=sec, name="Matrix indicator", baseline="0", target="100"
    )
    feedback = evaluation_services.feedback_request_open(
        activity=adopted,
        actor=sec,
        audience="experts",
        questions="Matrix question for experts?",
        deadline=timezone.localdate() + dt.timedelta(days=7),
    )
    invited = evaluation_services.feedback_request_open(
        activity=adopted,
        actor=sec,
        audience="named",
        questions="Matrix question for an invitee?",
        deadline=timezone.localdate() + dt.timedelta(days=7),
        invitees=[("Ann Invitee", "ann@example.org")],
    )
    token = evaluation_services.feedback_link(FeedbackInvitation.objects.get(request=invited))
    impact = evaluation_services.impact_assessment_record(
        activity=adopted,
        actor=sec,
        date=dt.date(2016, 12, 1),
        method="Matrix survey",
        findings="Matrix findings.",
        rating=4,
        evidence=pdf("Survey.pdf"),
    )
    evaluation_report = _compiled(
        EvaluationReport,
        work_programme=programme,
        first_year=2015,
        last_year=2016,
        key="matrix",
        reference="P-PG (2016) 92",
        document_date=dt.date(2016, 12, 15),
    )
    # --- meetings -----------------------------------------------------------------------
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.PC_PLENARY,
        number=83,
        date=dt.date(2018, 11, 27),
        place="Matrix Hall",
        status=Meeting.Status.CONVENED,
    )
    (item,) = meeting_services.agenda_add_proposals(
        meeting=meeting, proposals=[assessing], actor=sec
    )
    decision_list = _compiled(
        DecisionList,
        meeting=meeting,
        reference="P-PG/PC (2018) 93",
        document_date=dt.date(2018, 11, 28),
    )
    meeting_document = MeetingDocument(meeting=meeting, title="Matrix annotated agenda")
    meeting_document.file.save("agenda.pdf", ContentFile(PDF), save=False)
    meeting_document.save()
    (notice,) = notices.notify(
        [pc_fr], "proposal_supported", title="Matrix notice of France", url="/en/proposals/"
    )
    assessing.refresh_from_db()
    # records: an import checked by the Secretariat (its file gone: confirming is a 400)
    from records.models import RecordImport

    record_import = RecordImport.objects.create(
        kind="activities", file_name="matrix-import-of-the-secretariat.xlsx", user=sec
    )
    # --- programme: the next one, copied from the programme in force and in consultation
    # (so the Secretariat authors it, the PCs and the Bureau read and comment on it),
    # and a compiled document of the programme in force (the members read it).
    consulting = authoring.programme_copy(
        programme,
        reference="P-PG (2018) 94",
        title_en="Matrix programme in consultation",
        first_year=2019,
        last_year=2022,
        by=sec,
    )
    consulting = authoring.programme_move(consulting, move="consult", by=sec)
    wp_document = _compiled(
        WorkProgrammeDocument,
        work_programme=programme,
        reference="P-PG (2018) 95",
        document_date=dt.date(2018, 1, 15),
    )
    wp_document_kwargs = {"pk": programme.pk, "document": wp_document.pk, "kind": "pdf"}
    objects = {
        "import_template": {"kwargs": {"kind": "activities", "language": "en"}},
        "record_import": {
            "kwargs": {"token": record_import.token},
            "secret": record_import.file_name,
        },
        # the inbox: a notice of the French PC's
        "notice": {"kwargs": {"pk": notice.pk}, "secret": notice.title},
        # proposals
        "assessing": {"kwargs": {"pk": assessing.pk}, "secret": assessing.title},
        "draft": {"kwargs": {"pk": fr_draft.pk}, "secret": fr_draft.title},
        "urgent": {"kwargs": {"pk": urgent.pk}, "secret": urgent.title},
        "ranking": {"kwargs": {"year": 2017}},
        "remark": {"kwargs": {"pk": assessing.pk, "comment_id": remark.pk}},
        "note": {"kwargs": {"pk": assessing.pk, "comment_id": note.pk}, "secret": note.body},
        "support": {
            "kwargs": {"pk": assessing.pk, "support_id": support.pk, "code": "DE"},
        },
        "attachment": {
            "kwargs": {"pk": fr_draft.pk, "attachment_id": attachment.pk},
            "secret": PDF.decode(),
        },
        # activities
        "adopted": {"kwargs": {"reference": adopted.reference}, "secret": adopted.title},
        "planned": {"kwargs": {"reference": planned.reference}, "secret": planned.title},
        "adopted_terms": {"kwargs": {"reference": adopted.reference}, "secret": PDF.decode()},
        "planned_terms": {"kwargs": {"reference": planned.reference}, "secret": PDF.decode()},
        "milestone": {"kwargs": {"pk": milestone.pk}},
        "ap": {"kwargs": {"year": 2016}, "secret": planned.title},
        "entry": {"kwargs": {"year": 2016, "entry_id": entry.pk}},
        "ap_document": {
            "kwargs": {"year": 2016, "pk": ap_document.pk, "kind": "pdf"},
            "secret": "P-PG (2016) 91",
        },
        "ap_document_file": {
            "kwargs": {"year": 2016, "pk": ap_document.pk, "kind": "pdf"},
            "secret": PDF.decode(),
        },
        "export": {"kwargs": {"token": own_export.token}, "secret": "activities-all.csv"},
        "export_file": {"kwargs": {"token": own_export.token}, "secret": "Matrix export of France"},
        "visitor_export": {
            "kwargs": {"token": visitor_export.token},
            "secret": "activities-all.csv",
        },
        "visitor_export_file": {
            "kwargs": {"token": visitor_export.token},
            "secret": "Matrix export of a visitor",
        },
        # evaluation
        "evaluation": {"kwargs": {"reference": adopted.reference}},
        "report": {"kwargs": {"pk": report.pk}, "secret": report.narrative},
        "indicator": {"kwargs": {"pk": indicator.pk}, "secret": indicator.name},
        "feedback": {"kwargs": {"pk": feedback.pk}, "secret": feedback.questions},
        "impact": {"kwargs": {"pk": impact.pk}, "secret": impact.findings},
        "evidence": {"kwargs": {"pk": impact.pk}, "secret": PDF.decode()},
        "answer_link": {"kwargs": {"token": token.rsplit("/", 2)[-2]}},
        "evaluation_report": {
            "kwargs": {"pk": evaluation_report.pk, "kind": "pdf"},
            "secret": "P-PG (2016) 92",
        },
        "evaluation_report_file": {
            "kwargs": {"pk": evaluation_report.pk, "kind": "pdf"},
            "secret": PDF.decode(),
        },
        # meetings
        "meeting": {"kwargs": {"pk": meeting.pk}, "secret": "Matrix Hall"},
        "agenda_item": {"kwargs": {"pk": meeting.pk, "item_id": item.pk}},
        "meeting_document": {
            "kwargs": {"pk": meeting.pk, "document_id": meeting_document.pk},
            "secret": PDF.decode(),
        },
        "decision_list": {
            "kwargs": {"pk": meeting.pk, "doc": decision_list.pk, "kind": "pdf"},
            "secret": "P-PG/PC (2018) 93",
        },
        "decision_list_file": {
            "kwargs": {"pk": meeting.pk, "doc": decision_list.pk, "kind": "pdf"},
            "secret": PDF.decode(),
        },
        "decision_list_api": {
            "kwargs": {"pk": decision_list.pk},
            "secret": "P-PG/PC (2018) 93",
        },
        "decision_list_api_file": {"kwargs": {"pk": decision_list.pk}, "secret": PDF.decode()},
        # programme and accounts
        "programme": {"kwargs": {"pk": programme.pk}, "secret": programme.title},
        "consulting": {"kwargs": {"pk": consulting.pk}, "secret": consulting.title},
        # priority 3.4 on the authoring pages: of the draft, and of the programme in force
        "consulting_entry": {"kwargs": _priority_entry(consulting)},
        "frozen_entry": {"kwargs": _priority_entry(programme)},
        "consulting_version": {"kwargs": {"pk": consulting.pk, "number": 1}},
        "wp_document": {"kwargs": wp_document_kwargs, "secret": wp_document.reference},
        "wp_document_file": {"kwargs": wp_document_kwargs, "secret": PDF.decode()},
        "priority": {"kwargs": {"pk": programme.priorities.get(number="3.4").pk}},
        "format": {"kwargs": {"pk": programme.formats.get(number="4.2").pk}},
        "member_state": {"kwargs": {"code": "FR"}},
        "criterion": {"kwargs": {"pk": programme.criteria.first().pk}},
        "account": {"kwargs": {"pk": pc_de.pk}},
        "reset": {
            "kwargs": {
                "uidb64": urlsafe_base64_encode(force_bytes(pc_fr.pk)),
                "token": default_token_generator.make_token(pc_fr),
            }
        },
    }
    return users, objects
