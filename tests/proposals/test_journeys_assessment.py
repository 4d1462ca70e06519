"""Assessment drafts and due dates, as assessors and the Secretariat meet them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from pompidou.errors import DomainError
from proposals import services
from proposals.forms import AssessmentForm
from proposals.models import HALF_POINTS
from tests.conftest import client_for
from tests.proposals.factories import (
    assigned,
    full_scores,
    submitted,
)

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JOURNEY_SCORES = [D("4"), D("3"), D("5"), D("4.5"), D("3.5"), D("4"), D("3")]


# --- assessment drafts -----------------------------------------------------------


def test_a_draft_assessment_saves_whatever_is_filled(pc_fr, secretariat, expert, programme):
    proposal, assessment = assigned(pc_fr, secretariat, expert, programme)
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
    proposal, assessment = assigned(pc_fr, secretariat, expert, programme)
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
    proposal, assessment = assigned(pc_fr, secretariat, expert, programme)
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
    proposal, assessment = assigned(pc_fr, secretariat, expert, programme)
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
    proposal, assessment = assigned(
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
    proposal, _ = assigned(
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
    proposal, assessment = assigned(pc_fr, secretariat, expert, programme)
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
