"""What adoption carries over, the proposal's documents and the proposal form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities.models import Activity
from pompidou.errors import DomainError, PermissionDenied
from proposals import services
from proposals.forms import ProposalForm
from proposals.models import ProposalAttachment
from tests.conftest import client_for
from tests.proposals.factories import (
    draft,
    full_scores,
    pdf,
    submitted,
)

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JOURNEY_SCORES = [D("4"), D("3"), D("5"), D("4.5"), D("3.5"), D("4"), D("3")]


# --- adoption carries the proposal over -------------------------------------------------


@pytest.fixture
def adopted(pc_fr, pc_de, secretariat, expert, programme, states, media):
    proposal = draft(
        pc_fr,
        programme,
        permanent_format=programme.formats.order_by("number").first(),
        thematic_priorities=list(programme.priorities.filter(number__in=["3.2", "3.4"])),
    )
    services.attachment_add(proposal=proposal, actor=pc_fr, file=pdf(), title="Budget sheet")
    services.proposal_submit(proposal=proposal, actor=pc_fr)
    services.support_add(proposal=proposal, actor=pc_de)
    services.support_add(proposal=proposal, actor=secretariat, member_state=states["IT"])
    assessment = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    services.assessment_save(
        assessment=assessment, actor=expert, scores=full_scores(proposal), submit=True
    )
    services.decision_record(
        proposal=proposal, actor=secretariat, outcome="adopted", rationale="Good."
    )
    proposal.refresh_from_db()
    return proposal, proposal.activity


def test_adoption_carries_the_purpose_and_scope_into_the_description(adopted):
    proposal, activity = adopted
    assert proposal.purpose in activity.description
    assert proposal.scope in activity.description
    assert activity.description.index(proposal.purpose) < activity.description.index(proposal.scope)


def test_adoption_carries_the_expected_outcome_into_the_expected_results(adopted):
    proposal, activity = adopted
    assert activity.expected_results == proposal.expected_outcome


def test_adoption_makes_proposing_and_supporting_states_participate(adopted):
    proposal, activity = adopted
    assert activity.lead_member_state.code == "FR"
    assert sorted(activity.participating_states.values_list("code", flat=True)) == [
        "DE",
        "FR",
        "IT",
    ]


def test_adoption_carries_statements_priorities_format_dates_and_cost(adopted):
    proposal, activity = adopted
    assert activity.title == proposal.title
    assert activity.human_rights_considerations == proposal.human_rights_statement
    assert activity.gender_considerations == proposal.gender_statement
    assert set(activity.thematic_priorities.all()) == set(proposal.thematic_priorities.all())
    assert activity.permanent_format == proposal.permanent_format
    assert (activity.start_date, activity.end_date) == (proposal.start_date, proposal.end_date)
    assert activity.planned_budget == proposal.estimated_cost
    assert activity.adoption_route == Activity.Route.ANNUAL


def test_adoption_lists_the_proposals_documents_on_the_activity_page(adopted, outsider):
    proposal, activity = adopted
    attachment = proposal.attachments.get()
    html = client_for(outsider).get(f"/en/activities/{activity.reference}/")
    # A 2017 annual-route activity is public once its annual programme is adopted,
    # which it is not yet: to an outsider it does not exist; the Secretariat sees it.
    assert html.status_code == 404

    staff = client_for(proposal.decisions.get().recorded_by)
    page = staff.get(f"/en/activities/{activity.reference}/").content.decode()
    link = f"/en/proposals/{proposal.pk}/attachments/{attachment.pk}/"
    assert "Budget sheet" in page and link in page
    response = staff.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


# --- attachments ------------------------------------------------------------------------


def test_a_draft_takes_a_pdf_or_word_document(pc_fr, programme, media):
    proposal = draft(pc_fr, programme)
    attachment = services.attachment_add(proposal=proposal, actor=pc_fr, file=pdf(), title="")
    assert attachment.title == "terms.pdf"
    assert attachment.file.name.startswith("proposals/attachments/")
    assert attachment.uploaded_by == pc_fr


def test_a_disguised_or_oversized_document_is_refused_by_the_activity_rule(pc_fr, programme, media):
    proposal = draft(pc_fr, programme)
    fake = SimpleUploadedFile("terms.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as excinfo:
        services.attachment_add(proposal=proposal, actor=pc_fr, file=fake)
    assert "neither" in excinfo.value.errors["file"][0]
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(DomainError) as excinfo:
        services.attachment_add(proposal=proposal, actor=pc_fr, file=big)
    assert "10 MB" in excinfo.value.errors["file"][0]
    assert not ProposalAttachment.objects.exists()


def test_only_the_proposing_delegation_attaches_and_only_to_a_draft(
    pc_fr, pc_de, secretariat, programme, media
):
    proposal = draft(pc_fr, programme)
    for other in (pc_de, secretariat):
        with pytest.raises(PermissionDenied):
            services.attachment_add(proposal=proposal, actor=other, file=pdf())
    services.proposal_submit(proposal=proposal, actor=pc_fr)
    with pytest.raises(PermissionDenied):
        services.attachment_add(proposal=proposal, actor=pc_fr, file=pdf())


def test_a_document_is_removed_from_a_draft(pc_fr, programme, media):
    proposal = draft(pc_fr, programme)
    attachment = services.attachment_add(proposal=proposal, actor=pc_fr, file=pdf())
    services.attachment_remove(attachment=attachment, actor=pc_fr)
    assert not proposal.attachments.exists()


def test_the_page_uploads_lists_and_serves_documents_to_those_who_see_the_proposal(
    personas, programme, media
):
    proposal = draft(personas["pc_fr"], programme)
    owner = client_for(personas["pc_fr"])
    response = owner.post(
        f"/en/proposals/{proposal.pk}/attachments/", {"file": pdf(), "title": "Terms"}
    )
    assert response.status_code == 302
    attachment = proposal.attachments.get()
    link = f"/en/proposals/{proposal.pk}/attachments/{attachment.pk}/"
    assert link in owner.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert owner.get(link).status_code == 200
    assert client_for(personas["secretariat"]).get(link).status_code == 200
    # Another delegation does not see the draft, nor its documents.
    assert client_for(personas["pc_de"]).get(link).status_code == 404
    assert client_for(personas["outsider"]).get(link).status_code == 404


def test_a_bad_upload_is_a_form_error_not_a_500(personas, programme, media):
    proposal = draft(personas["pc_fr"], programme)
    owner = client_for(personas["pc_fr"])
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    response = owner.post(f"/en/proposals/{proposal.pk}/attachments/", {"file": fake})
    assert response.status_code == 400
    assert "neither" in response.content.decode()
    missing = owner.post(f"/en/proposals/{proposal.pk}/attachments/", {})
    assert missing.status_code == 400
    assert not proposal.attachments.exists()


def test_another_delegation_cannot_upload(personas, programme, media):
    proposal = submitted(personas["pc_fr"], programme)
    response = client_for(personas["pc_de"]).post(
        f"/en/proposals/{proposal.pk}/attachments/", {"file": pdf()}
    )
    assert response.status_code == 403


# --- the proposal form ---------------------------------------------------------------------


def test_the_proposal_form_marks_what_submitting_requires_and_saves_without_it(personas, programme):
    client = client_for(personas["pc_fr"])
    html = client.get("/en/proposals/new/").content.decode()
    assert "required to submit" in html
    for name in ("scope", "purpose", "expected_outcome", "start_date", "end_date"):
        label = html[html.index(f'for="id_{name}"') :]
        assert '<span aria-hidden="true" class="text-danger">*</span>' in label[:200], name
    assert 'data-show-for-route="urgent"' in html
    assert "/static/js/proposal-form.js" in html
    response = client.post(
        "/en/proposals/new/", {"title": "Only a title", "route": "annual", "action": "save"}
    )
    assert response.status_code == 302


def test_the_proposal_form_round_trips_every_field_with_day_month_year_dates(personas, programme):
    client = client_for(personas["pc_fr"])
    fmt = programme.formats.order_by("number").first()
    priorities = list(programme.priorities.filter(number__in=["3.2", "3.4"]))
    data = {
        "title": "Round trip",
        "scope": "Scope text",
        "purpose": "Purpose text",
        "expected_outcome": "Outcome text",
        "thematic_priorities": [str(p.pk) for p in priorities],
        "permanent_format": str(fmt.pk),
        "start_date": "01/03/2017",
        "end_date": "30/11/2017",
        "estimated_cost": "12345.50",
        "route": "urgent",
        "year": "",
        "urgency_justification": "A new substance.",
        "human_rights_statement": "Rights.",
        "gender_statement": "Gender.",
        "action": "save",
    }
    response = client.post("/en/proposals/new/", data)
    assert response.status_code == 302
    proposal = personas["pc_fr"].proposals.get()
    assert (proposal.start_date, proposal.end_date) == (dt.date(2017, 3, 1), dt.date(2017, 11, 30))
    form = ProposalForm(instance=proposal, user=personas["pc_fr"])
    for name, value in data.items():
        if name == "action":
            continue
        bound = form[name]
        shown = bound.value()
        if name == "thematic_priorities":
            assert sorted(str(v) for v in shown) == sorted(value)
        elif name in ("start_date", "end_date"):
            assert f'value="{value}"' in str(bound)
        elif name == "year":
            assert shown in (None, "")
        else:
            assert str(shown) == value, name
    detail = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "01/03/2017 – 30/11/2017" in detail
