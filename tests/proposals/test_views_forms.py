"""The drafting and assessment forms: errors next to their fields, nothing half-saved."""

from decimal import Decimal
from html import unescape

from proposals import services
from proposals.models import Assessment, Proposal
from tests.conftest import client_for
from tests.proposals.conftest import assign, scores_of
from tests.proposals.factories import draft, full_scores

# --- the drafting form --------------------------------------------------------------------


def _form_data(programme, **overrides):
    data = {
        "title": "Prevention in digital environments",
        "scope": "Prevention workers of member States.",
        "purpose": "Reach young people where they are.",
        "expected_outcome": "A guide and a seminar.",
        "thematic_priorities": [programme.priorities.get(number="3.4").pk],
        "start_date": "2017-03-01",
        "end_date": "2017-10-31",
        "estimated_cost": "25000",
        "route": "annual",
        "year": "2017",
        "urgency_justification": "",
        "human_rights_statement": "No personal data.",
        "gender_statement": "Balanced speakers.",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_form_quotes_section_2_2_and_lists_the_priorities_in_force(personas, world):
    html = client_for(personas["pc_fr"]).get("/en/proposals/new/").content.decode()
    assert "relevant to the aims and the thematic priorities" in html
    assert "concrete in terms of scope, purpose, expected outcome and timespan" in html
    assert "3.1 Bringing human rights" in html
    assert 'type="checkbox" name="thematic_priorities"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert "<legend" in html


def test_the_french_form_lists_the_priorities_and_formats_in_french(personas, world):
    html = unescape(client_for(personas["pc_fr"]).get("/fr/proposals/new/").content.decode())
    assert "3.1 Placer les droits de l’homme au premier plan" in html
    assert "4.9 Prix européen de la prévention" in html
    assert "Bringing human rights" not in html
    assert "European Prevention Prize" not in html


def test_saving_a_draft_creates_it_for_the_pcs_delegation(personas, world, programme):
    response = client_for(personas["pc_fr"]).post("/en/proposals/new/", _form_data(programme))
    proposal = Proposal.objects.get(title="Prevention in digital environments")
    assert response.status_code == 302
    assert response["Location"] == f"/en/proposals/{proposal.pk}/"
    assert (proposal.status, proposal.member_state.code, proposal.year) == ("draft", "FR", 2017)
    assert [p.number for p in proposal.thematic_priorities.all()] == ["3.4"]


def test_save_and_submit_submits_a_complete_proposal(personas, world, programme):
    client_for(personas["pc_fr"]).post("/en/proposals/new/", _form_data(programme, action="submit"))
    assert Proposal.objects.get(title="Prevention in digital environments").status == "submitted"


def test_form_errors_show_next_to_their_fields_and_nothing_is_saved(personas, world, programme):
    before = Proposal.objects.count()
    response = client_for(personas["pc_fr"]).post(
        "/en/proposals/new/",
        _form_data(programme, start_date="2017-05-01", end_date="2017-04-01", estimated_cost="-5"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_end_date_errors"' in html and "The end date is before the start date." in html
    assert 'id="id_estimated_cost_errors"' in html and "The cost cannot be negative." in html
    assert Proposal.objects.count() == before


def test_a_missing_title_is_a_field_error_and_nothing_is_saved(personas, world, programme):
    before = Proposal.objects.count()
    response = client_for(personas["pc_fr"]).post(
        "/en/proposals/new/", _form_data(programme, title="")
    )
    assert response.status_code == 400
    assert 'id="id_title_errors"' in response.content.decode()
    assert Proposal.objects.count() == before


def test_submitting_an_incomplete_draft_lists_every_missing_item_next_to_its_field(
    personas, world, programme
):
    response = client_for(personas["pc_fr"]).post(
        "/en/proposals/new/",
        {"title": "Only a title", "route": "annual", "action": "submit"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field, message in [
        ("scope", "Describe the scope."),
        ("purpose", "Describe the purpose."),
        ("expected_outcome", "Describe the expected outcome."),
        ("start_date", "Give the start date."),
        ("end_date", "Give the end date."),
        ("thematic_priorities", "Link at least one thematic priority"),
        ("year", "Say which year&#x27;s annual programme it should join."),
    ]:
        errors = html.index(f'id="id_{field}_errors"')
        assert message in html[errors : errors + 300], field
    # The draft is kept, and the form now saves to it.
    proposal = Proposal.objects.get(title="Only a title")
    assert proposal.status == "draft"
    assert f'action="/en/proposals/{proposal.pk}/edit/"' in html


def test_an_urgent_proposal_needs_its_justification_at_submission(personas, world, programme):
    response = client_for(personas["pc_fr"]).post(
        "/en/proposals/new/",
        _form_data(programme, route="urgent", year="", action="submit"),
    )
    html = response.content.decode()
    assert 'id="id_urgency_justification_errors"' in html
    assert "Explain why the activity is urgent." in html


def test_editing_a_draft_saves_the_changes_and_shows_what_is_still_missing(
    personas, world, programme
):
    proposal = draft(personas["pc_fr"], programme, title="Half done", scope="", purpose="")
    client = client_for(personas["pc_fr"])
    html = client.get(f"/en/proposals/{proposal.pk}/edit/").content.decode()
    assert "Still missing before this draft can be submitted" in html
    assert "Describe the scope." in html and "Describe the purpose." in html
    client.post(
        f"/en/proposals/{proposal.pk}/edit/",
        _form_data(programme, title="Now complete", action="submit"),
    )
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status) == ("Now complete", "submitted")


def test_the_detail_page_submit_button_reports_every_missing_item(personas, world, programme):
    proposal = draft(personas["pc_fr"], programme, title="Thin", scope="", expected_outcome="")
    response = client_for(personas["pc_fr"]).post(
        f"/en/proposals/{proposal.pk}/submit/", follow=True
    )
    html = response.content.decode()
    assert "Describe the scope." in html and "Describe the expected outcome." in html
    assert Proposal.objects.get(pk=proposal.pk).status == "draft"


# --- assessment -----------------------------------------------------------------------------


def test_a_draft_saves_a_score_below_3_without_its_comment(personas, world):
    assessment = assign(world, personas)
    criteria = scores_of(world)
    low = criteria[2]["criterion"]
    data = {"action": "save", f"score_{low}": "2.5"}
    response = client_for(personas["expert"]).post(
        f"/en/proposals/{world['fr_submitted'].pk}/assessment/", data
    )
    assert response.status_code == 302
    assert list(assessment.scores.values_list("criterion_id", "score", "comment")) == [
        (low, Decimal("2.5"), "")
    ]


def test_submitting_a_score_below_3_needs_a_comment_shown_next_to_it(personas, world):
    assessment = assign(world, personas)
    criteria = scores_of(world)
    data = {"action": "submit", **{f"score_{c['criterion']}": "4" for c in criteria}}
    low = criteria[2]["criterion"]
    data[f"score_{low}"] = "2.5"
    response = client_for(personas["expert"]).post(
        f"/en/proposals/{world['fr_submitted'].pk}/assessment/", data
    )
    assert response.status_code == 400
    html = response.content.decode()
    errors = html.index(f'id="id_comment_{low}_errors"')
    assert "in a comment" in html[errors : errors + 200]
    assert not assessment.scores.exists()
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_the_assessment_form_gives_the_guidance_and_half_point_scores(personas, world):
    assign(world, personas)
    html = (
        client_for(personas["expert"])
        .get(f"/en/proposals/{world['fr_submitted'].pk}/assessment/")
        .content.decode()
    )
    assert "Relevance of the proposal to other countries" in html
    assert "Assess whether the issue and the expected outcomes" in html
    assert '<option value="4.5">4.5</option>' in html
    assert "Required for a score below 3" in html
    assert "Proposal to be supported by at least one other delegation" not in html


def test_the_french_assessment_form_gives_the_criteria_and_guidance_in_french(personas, world):
    assign(world, personas)
    html = unescape(
        client_for(personas["expert"])
        .get(f"/fr/proposals/{world['fr_submitted'].pk}/assessment/")
        .content.decode()
    )
    assert "Pertinence de la proposition pour d’autres pays" in html
    assert "Évaluer si la question traitée et les résultats attendus" in html
    assert "Relevance of the proposal to other countries" not in html
    assert "Assess whether" not in html


def test_a_submitted_assessment_is_read_only(personas, world):
    assessment = assign(world, personas)
    client = client_for(personas["expert"])
    url = f"/en/proposals/{world['fr_submitted'].pk}/assessment/"
    data = {"action": "submit", **{f"score_{c['criterion']}": "4" for c in scores_of(world)}}
    assert client.post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    html = client.get(url).content.decode()
    assert "this assessment is final" in html and 'name="action"' not in html
    client.post(url, {**data, "action": "save", f"score_{scores_of(world)[0]['criterion']}": "1"})
    assert not assessment.scores.filter(score=1).exists()


def test_submitting_an_incomplete_assessment_says_which_criteria_are_missing(personas, world):
    assign(world, personas)
    first = scores_of(world)[0]["criterion"]
    response = client_for(personas["expert"]).post(
        f"/en/proposals/{world['fr_submitted'].pk}/assessment/",
        {"action": "submit", f"score_{first}": "4"},
    )
    assert response.status_code == 400
    assert "Score every criterion before submitting; missing: 3, 4, 5, 6, 7, 8." in (
        response.content.decode()
    )
    assert Assessment.objects.get(assessor__username="expert").status == "draft"


def test_the_score_table_flags_disagreement_and_criterion_1(personas, world):
    proposal = world["fr_submitted"]
    first = assign(world, personas)
    second = assign(world, personas, who="bureau_chair")
    services.assessment_save(
        assessment=first, actor=personas["expert"], scores=full_scores(proposal), submit=True
    )
    low = full_scores(proposal, score=Decimal("2"), comment="Thin on costs.")
    services.assessment_save(
        assessment=second, actor=personas["bureau_chair"], scores=low, submit=True
    )
    html = client_for(personas["secretariat"]).get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "Assessors disagree" in html
    assert html.count('data-testid="disagreement"') == 7  # every scored criterion: 4 vs 2
    assert "no other delegation supports it yet" in html
    assert "Not recommended" in html and "Criterion 1 is not met" in html


def test_the_form_keeps_a_pasted_line_break_and_refuses_a_control_character(
    personas, world, programme
):
    client = client_for(personas["pc_fr"])
    client.post("/en/proposals/new/", _form_data(programme, title="Digital\x0bprevention"))
    proposal = Proposal.objects.get(title="Digital\nprevention")

    response = client.post(
        f"/en/proposals/{proposal.pk}/edit/", _form_data(programme, purpose="Reach\x1b them.")
    )
    assert response.status_code == 400
    assert "U+001B" in response.context["form"].errors["purpose"][0]
    proposal.refresh_from_db()
    assert proposal.purpose == "Reach young people where they are."
