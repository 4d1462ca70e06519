"""Issue 10: assessment drafts and due dates, the ranking against what is committed,
adoption above the ceiling, what adoption carries over, and proposals' documents."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from activities import services as activity_services
from activities.models import Activity, AnnualProgramme
from activities.selectors import committed_budget
from pompidou.errors import DomainError, PermissionDenied
from programme.models import Meeting
from programme.services import account_create
from proposals import selectors, services
from proposals.forms import AssessmentForm, ProposalForm
from proposals.models import HALF_POINTS, Decision, ProposalAttachment
from tests.conftest import client_for
from tests.proposals.factories import draft, full_scores, submitted

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JOURNEY_SCORES = [D("4"), D("3"), D("5"), D("4.5"), D("3.5"), D("4"), D("3")]


def pdf(name="terms.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(kind="pc_plenary", number=79, date=dt.date(2016, 11, 29))


@pytest.fixture
def expert2(states):
    return account_create(username="expert2", role="expert", password="x" * 12, validate=False)


def _assigned(pc_fr, secretariat, expert, programme, **fields):
    proposal = submitted(pc_fr, programme, **fields)
    assessment = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    return proposal, assessment


def _assessed(pc_fr, pc_de, secretariat, expert, programme, **fields):
    proposal, assessment = _assigned(pc_fr, secretariat, expert, programme, **fields)
    services.support_add(proposal=proposal, actor=pc_de)
    services.assessment_save(
        assessment=assessment, actor=expert, scores=full_scores(proposal), submit=True
    )
    proposal.refresh_from_db()
    return proposal


def _over_ceiling_2017(programme, secretariat, states, committed="527000"):
    """A 2017 draft programme with a 500,000 ceiling that already commits ``committed``."""
    ap = AnnualProgramme.objects.create(
        work_programme=programme, year=2017, budget_ceiling=D("500000")
    )
    activity = activity_services.activity_create(
        actor=secretariat,
        title="Already in the programme",
        work_programme=programme,
        thematic_priorities=[programme.priorities.get(number="3.2")],
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 12, 31),
        planned_budget=D(committed),
    )
    activity_services.annual_programme_add_activity(
        annual_programme=ap, activity=activity, actor=secretariat
    )
    return ap


# --- assessment drafts -----------------------------------------------------------


def test_a_draft_assessment_saves_whatever_is_filled(pc_fr, secretariat, expert, programme):
    proposal, assessment = _assigned(pc_fr, secretariat, expert, programme)
    criteria = list(services.scored_criteria(proposal))
    services.assessment_save(
        assessment=assessment,
        actor=expert,
        scores=[
            {"criterion": criteria[0].pk, "score": D("2"), "comment": ""},
            {"criterion": criteria[1].pk, "score": D("4.5"), "comment": "Good."},
        ],
    )
    assert sorted(assessment.scores.values_list("criterion_id", "score", "comment")) == sorted(
        [(criteria[0].pk, D("2"), ""), (criteria[1].pk, D("4.5"), "Good.")]
    )
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_submitting_needs_every_criterion_and_a_comment_below_3_including_saved_ones(
    pc_fr, secretariat, expert, programme
):
    proposal, assessment = _assigned(pc_fr, secretariat, expert, programme)
    scores = full_scores(proposal)
    scores[0] = {**scores[0], "score": D("2.5"), "comment": ""}
    services.assessment_save(assessment=assessment, actor=expert, scores=scores[:3])
    with pytest.raises(DomainError) as excinfo:
        services.assessment_save(assessment=assessment, actor=expert, scores=[], submit=True)
    errors = excinfo.value.errors
    assert "missing" in errors["scores"][0]
    assert any("below 3" in m for m in errors["scores"])
    services.assessment_save(assessment=assessment, actor=expert, scores=scores[3:])
    with pytest.raises(DomainError, match="below 3"):
        services.assessment_save(assessment=assessment, actor=expert, scores=[], submit=True)
    services.assessment_save(
        assessment=assessment,
        actor=expert,
        scores=[{**scores[0], "comment": "The budget is vague."}],
        submit=True,
    )
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_a_blank_score_clears_a_saved_one_in_a_draft(pc_fr, secretariat, expert, programme):
    proposal, assessment = _assigned(pc_fr, secretariat, expert, programme)
    scores = full_scores(proposal)
    services.assessment_save(assessment=assessment, actor=expert, scores=scores)
    services.assessment_save(
        assessment=assessment, actor=expert, scores=[{**scores[0], "score": None}]
    )
    assert assessment.scores.count() == len(scores) - 1


@pytest.mark.parametrize("score", HALF_POINTS)
def test_every_half_point_comes_back_exactly_in_the_assessment_form(
    pc_fr, secretariat, expert, programme, score
):
    proposal, assessment = _assigned(pc_fr, secretariat, expert, programme)
    criteria = list(services.scored_criteria(proposal))
    services.assessment_save(
        assessment=assessment,
        actor=expert,
        scores=[{"criterion": c.pk, "score": score, "comment": "Said."} for c in criteria],
    )
    existing = {s.criterion_id: (s.score, s.comment) for s in assessment.scores.all()}
    form = AssessmentForm(criteria=criteria, existing=existing)
    for c in criteria:
        field = form[f"score_{c.pk}"]
        html = str(field)
        assert f'value="{field.value()}" selected' in html
        # The selected option is the score itself, not "not scored yet".
        reposted = AssessmentForm(
            {f"score_{c.pk}": field.value(), f"comment_{c.pk}": "Said."},
            criteria=[c],
            existing={},
        )
        assert reposted.is_valid()
        assert reposted.cleaned_data[f"score_{c.pk}"] == score


def test_the_journeys_scores_come_back_on_the_page(personas, programme):
    proposal, assessment = _assigned(
        personas["pc_fr"], personas["secretariat"], personas["expert"], programme
    )
    criteria = list(services.scored_criteria(proposal))
    client = client_for(personas["expert"])
    data = {"action": "save"}
    for c, score in zip(criteria, JOURNEY_SCORES, strict=True):
        data[f"score_{c.pk}"] = str(score)
    response = client.post(f"/en/proposals/{proposal.pk}/assessment/", data)
    assert response.status_code == 302
    html = client.get(f"/en/proposals/{proposal.pk}/assessment/").content.decode()
    for c, score in zip(criteria, JOURNEY_SCORES, strict=True):
        select = html[html.index(f'name="score_{c.pk}"') :]
        select = select[: select.index("</select>")]
        assert f'value="{score.normalize()}" selected' in select
        assert 'value="" selected' not in select


def test_submit_asks_for_confirmation_through_a_static_script(personas, programme):
    proposal, _ = _assigned(
        personas["pc_fr"], personas["secretariat"], personas["expert"], programme
    )
    html = (
        client_for(personas["expert"])
        .get(f"/en/proposals/{proposal.pk}/assessment/")
        .content.decode()
    )
    button = html[html.index('value="submit"') :]
    assert "data-confirm=" in button[: button.index(">")]
    assert "/static/js/confirm.js" in html


# --- due dates ----------------------------------------------------------------------


def test_an_assessment_is_due_three_weeks_after_assignment_unless_told(
    pc_fr, secretariat, expert, expert2, programme
):
    proposal, assessment = _assigned(pc_fr, secretariat, expert, programme)
    assert assessment.due_date == timezone.localdate() + dt.timedelta(weeks=3)
    chosen = timezone.localdate() + dt.timedelta(days=10)
    other = services.assessor_assign(
        proposal=proposal, assessor=expert2, actor=secretariat, due_date=chosen
    )
    assert other.due_date == chosen


def test_a_due_date_in_the_past_is_refused(pc_fr, secretariat, expert, programme):
    proposal = submitted(pc_fr, programme)
    with pytest.raises(DomainError) as excinfo:
        services.assessor_assign(
            proposal=proposal,
            assessor=expert,
            actor=secretariat,
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "past" in excinfo.value.errors["due_date"][0]
    assert not proposal.assessments.exists()


def test_the_secretariat_assigns_with_a_due_date_and_sees_it_overdue_later(personas, programme):
    proposal = submitted(personas["pc_fr"], programme)
    client = client_for(personas["secretariat"])
    page = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    default = (timezone.localdate() + dt.timedelta(weeks=3)).strftime("%d/%m/%Y")
    assert f'value="{default}"' in page
    response = client.post(
        f"/en/proposals/{proposal.pk}/assessors/", {"username": "expert", "due_date": "15/12/2099"}
    )
    assert response.status_code == 302
    assessment = proposal.assessments.get()
    assert assessment.due_date == dt.date(2099, 12, 15)
    html = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "15/12/2099" in html
    # Overdue while the programme runs: here its period is stretched to this year.
    this_year = timezone.localdate().year
    type(programme).objects.filter(pk=programme.pk).update(last_year=this_year)
    assessment.due_date = dt.date(2016, 1, 1)
    assessment.save()
    html = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "overdue" in html
    mine = client_for(personas["expert"]).get(f"/en/proposals/{proposal.pk}/assessment/")
    assert "01/01/2016" in mine.content.decode()
    assert "Overdue" in mine.content.decode()


def test_an_assessment_of_a_programme_whose_period_ended_is_not_overdue(personas, programme):
    """The 2015–2018 programme is history today: a draft due in 2018 is not "overdue"."""
    proposal = submitted(personas["pc_fr"], programme)
    services.assessor_assign(
        proposal=proposal, assessor=personas["expert"], actor=personas["secretariat"]
    )
    proposal.assessments.update(due_date=dt.date(2018, 5, 1))
    html = client_for(personas["secretariat"]).get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "01/05/2018" in html
    assert "overdue" not in html
    mine = client_for(personas["expert"]).get(f"/en/proposals/{proposal.pk}/assessment/")
    assert "01/05/2018" in mine.content.decode()
    assert "Overdue" not in mine.content.decode()


def test_a_badly_written_due_date_is_a_form_error(personas, programme):
    proposal = submitted(personas["pc_fr"], programme)
    response = client_for(personas["secretariat"]).post(
        f"/en/proposals/{proposal.pk}/assessors/", {"username": "expert", "due_date": "31/02/2099"}
    )
    assert response.status_code == 400
    assert not proposal.assessments.exists()


def test_the_api_takes_an_optional_due_date(personas, programme):
    from rest_framework.test import APIClient

    proposal = submitted(personas["pc_fr"], programme)
    api = APIClient()
    api.force_authenticate(personas["secretariat"])
    response = api.post(
        f"/api/v1/proposals/{proposal.pk}/assessors/",
        {"username": "expert", "due_date": "2099-12-15"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["due_date"] == "2099-12-15"
    response = api.post(
        f"/api/v1/proposals/{proposal.pk}/assessors/",
        {"username": "bureau_chair", "due_date": "2001-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "due_date" in response.json()


# --- the budget -----------------------------------------------------------------------


def test_committed_is_the_sum_of_the_years_entries(programme, secretariat, states):
    assert committed_budget(2017) == 0
    _over_ceiling_2017(programme, secretariat, states)
    assert committed_budget(2017) == D("527000")
    assert committed_budget(2016) == 0


def test_the_ranking_places_each_proposal_after_what_is_committed(
    personas, programme, states, pc_de
):
    _over_ceiling_2017(programme, personas["secretariat"], states, committed="450000")
    for title in ("First", "Second"):
        _assessed(
            personas["pc_fr"], pc_de, personas["secretariat"], personas["expert"], programme,
            title=title,
        )  # fmt: skip
    budget = selectors.year_budget(2017)
    assert (budget.ceiling, budget.committed, budget.headroom) == (
        D("500000"),
        D("450000"),
        D("50000"),
    )
    rows = selectors.ranking(2017, budget)
    assert [(r.cumulative_cost, r.within_ceiling) for r in rows] == [
        (D("480000"), True),
        (D("510000"), False),
    ]
    html = client_for(personas["secretariat"]).get("/en/proposals/ranking/2017/").content.decode()
    assert "450,000 EUR" in html  # committed
    assert "50,000 EUR" in html  # headroom
    assert html.count('data-testid="fits"') == 1
    assert html.count('data-testid="beyond"') == 1


def test_the_ranking_says_when_the_year_is_already_over_its_ceiling(personas, programme, states):
    _over_ceiling_2017(programme, personas["secretariat"], states)
    html = client_for(personas["secretariat"]).get("/en/proposals/ranking/2017/").content.decode()
    assert "over by 27,000 EUR" in html
    assert 'data-testid="over-ceiling"' in html


def test_adopting_above_the_ceiling_needs_a_confirmation_recorded_with_the_decision(
    pc_fr, pc_de, secretariat, expert, programme, states, meeting
):
    _over_ceiling_2017(programme, secretariat, states)
    proposal = _assessed(pc_fr, pc_de, secretariat, expert, programme)
    with pytest.raises(DomainError) as excinfo:
        services.decision_record(
            proposal=proposal, actor=secretariat, outcome="adopted", rationale="Good."
        )
    message = excinfo.value.errors["confirm_over_ceiling"][0]
    assert "557,000" in message and "500,000" in message and "527,000" in message
    proposal.refresh_from_db()
    assert proposal.status == "under_assessment"
    assert not Decision.objects.exists()
    decision = services.decision_record(
        proposal=proposal,
        actor=secretariat,
        outcome="adopted",
        rationale="Good.",
        confirm_over_ceiling=True,
    )
    assert decision.over_ceiling_confirmed is True
    assert committed_budget(2017) == D("557000")


def test_an_adoption_within_the_ceiling_needs_no_confirmation(
    pc_fr, pc_de, secretariat, expert, programme, states
):
    _over_ceiling_2017(programme, secretariat, states, committed="100000")
    proposal = _assessed(pc_fr, pc_de, secretariat, expert, programme)
    decision = services.decision_record(
        proposal=proposal, actor=secretariat, outcome="adopted", rationale="Good."
    )
    assert decision.over_ceiling_confirmed is False


def test_rejecting_needs_no_confirmation_even_over_the_ceiling(
    pc_fr, pc_de, secretariat, expert, programme, states
):
    _over_ceiling_2017(programme, secretariat, states)
    proposal = _assessed(pc_fr, pc_de, secretariat, expert, programme)
    decision = services.decision_record(
        proposal=proposal, actor=secretariat, outcome="rejected", rationale="No."
    )
    assert decision.over_ceiling_confirmed is False


def test_the_decision_form_warns_and_asks_for_the_confirmation(personas, programme, states, pc_de):
    _over_ceiling_2017(programme, personas["secretariat"], states)
    proposal = _assessed(
        personas["pc_fr"], pc_de, personas["secretariat"], personas["expert"], programme
    )
    client = client_for(personas["secretariat"])
    html = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "I confirm adopting above the ceiling" in html
    assert "That is above the ceiling" in html
    data = {"outcome": "adopted", "rationale": "Good."}
    refused = client.post(f"/en/proposals/{proposal.pk}/decision/", data)
    assert refused.status_code == 400
    assert "Confirm adopting above the ceiling" in refused.content.decode()
    done = client.post(
        f"/en/proposals/{proposal.pk}/decision/", {**data, "confirm_over_ceiling": "on"}
    )
    assert done.status_code == 302
    html = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "Adopted above the budget ceiling, confirmed" in html


def test_the_api_decision_takes_confirm_over_ceiling(personas, programme, states, pc_de):
    from rest_framework.test import APIClient

    _over_ceiling_2017(programme, personas["secretariat"], states)
    proposal = _assessed(
        personas["pc_fr"], pc_de, personas["secretariat"], personas["expert"], programme
    )
    api = APIClient()
    api.force_authenticate(personas["secretariat"])
    url = f"/api/v1/proposals/{proposal.pk}/decision/"
    refused = api.post(url, {"outcome": "adopted", "rationale": "Good."}, format="json")
    assert refused.status_code == 400
    assert "500,000" in refused.json()["confirm_over_ceiling"][0]
    done = api.post(
        url,
        {"outcome": "adopted", "rationale": "Good.", "confirm_over_ceiling": True},
        format="json",
    )
    assert done.status_code == 201, done.content
    assert done.json()["over_ceiling_confirmed"] is True


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
    # A 2017 annual-route activity is public once its annual programme is adopted;
    # the Secretariat sees it before.
    assert html.status_code in (200, 404)
    from tests.conftest import client_for as as_user

    staff = as_user(proposal.decisions.get().recorded_by)
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
