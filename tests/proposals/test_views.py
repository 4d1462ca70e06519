"""The proposal pages: who may do what (a matrix of personas × actions), the forms,
the htmx vote and the query budgets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from activities.models import Activity, AnnualProgramme
from pompidou.audit import events_of
from programme import roles
from programme.models import Meeting
from proposals import services
from proposals.models import Assessment, BureauVote, Decision, Proposal, Support
from tests.conftest import client_for
from tests.programme.factories import UserFactory
from tests.proposals.factories import draft, full_scores, submitted

PERSONAS = ["secretariat", "pc_fr", "pc_de", "bureau_chair", "expert", "outsider", "anonymous"]
LOGIN = "login"  # the anonymous visitor is sent to the login page


@pytest.fixture
def world(programme, personas):
    """A French draft, a German draft, a submitted French proposal (with the expert
    assigned to assess it) and a German urgent proposal in the Bureau's vote."""
    pc_fr, pc_de = personas["pc_fr"], personas["pc_de"]
    fr_draft = draft(pc_fr, programme, title="French draft on prison health")
    de_draft = draft(pc_de, programme, title="German draft on drug checking")
    fr_submitted = submitted(pc_fr, programme, title="French proposal on darknet markets")
    urgent = submitted(
        pc_de,
        programme,
        title="German urgent response to synthetic cannabinoids",
        route="urgent",
        year=None,
        urgency_justification="Deaths in three countries since January.",
    )
    meeting = Meeting.objects.create(kind="pc_plenary", number=80, date=dt.date(2017, 5, 30))
    return {
        "fr_draft": fr_draft,
        "de_draft": de_draft,
        "fr_submitted": fr_submitted,
        "urgent": urgent,
        "meeting": meeting,
    }


def _assign(world, personas, who="expert"):
    return services.assessor_assign(
        proposal=world["fr_submitted"], assessor=personas[who], actor=personas["secretariat"]
    )


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content.decode()[:500]


# --- the permission matrix --------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "code", "sees_french_draft", "sees_submitted"),
    [
        ("secretariat", 200, True, True),
        ("pc_fr", 200, True, True),
        ("pc_de", 200, False, True),
        ("bureau_chair", 200, False, True),
        ("expert", 200, False, True),
        ("outsider", 200, False, False),
        ("anonymous", LOGIN, False, False),
    ],
)
def test_list_shows_each_persona_only_what_it_may_see(
    personas, world, persona, code, sees_french_draft, sees_submitted
):
    response = client_for(personas[persona]).get("/en/proposals/")
    _check(response, code)
    html = response.content.decode()
    assert ("French draft on prison health" in html) == sees_french_draft
    assert ("French proposal on darknet markets" in html) == sees_submitted
    assert "German draft on drug checking" not in html or persona in ("secretariat", "pc_de")


FOREIGN_DRAFT = {
    "secretariat": 200,
    "pc_fr": 200,  # its own delegation's
    "pc_de": 404,
    "bureau_chair": 404,
    "expert": 404,
    "outsider": 404,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_is_seen_by_its_delegation_and_the_secretariat_only(personas, world, persona):
    response = client_for(personas[persona]).get(f"/en/proposals/{world['fr_draft'].pk}/")
    _check(response, FOREIGN_DRAFT[persona])


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("secretariat", 200),
        ("pc_fr", 200),
        ("pc_de", 200),
        ("bureau_chair", 200),
        ("expert", 200),
        ("outsider", 404),
        ("anonymous", LOGIN),
    ],
)
def test_a_submitted_proposal_is_read_by_every_role_but_not_outsiders(
    personas, world, persona, code
):
    response = client_for(personas[persona]).get(f"/en/proposals/{world['fr_submitted'].pk}/")
    _check(response, code)


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("secretariat", 403),
        ("pc_fr", 200),
        ("pc_de", 200),
        ("bureau_chair", 200),  # a Bureau member is a PC of a delegation
        ("expert", 403),
        ("outsider", 403),
        ("anonymous", LOGIN),
    ],
)
def test_only_correspondents_and_bureau_members_open_the_drafting_form(
    personas, world, persona, code
):
    response = client_for(personas[persona]).get("/en/proposals/new/")
    _check(response, code)
    assert ("Draft a proposal" in response.content.decode()) == (code == 200)


EDIT_OWN_DRAFT = {
    "secretariat": 403,  # sees it, may not change it
    "pc_fr": 200,
    "pc_de": 404,
    "bureau_chair": 404,
    "expert": 404,
    "outsider": 404,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_proposing_delegation_edits_its_draft(personas, world, persona):
    client = client_for(personas[persona])
    pk = world["fr_draft"].pk
    _check(client.get(f"/en/proposals/{pk}/edit/"), EDIT_OWN_DRAFT[persona])
    client.post(f"/en/proposals/{pk}/edit/", {"title": "Hijacked", "route": "annual"})
    changed = Proposal.objects.get(pk=pk).title == "Hijacked"
    assert changed == (persona == "pc_fr")


def test_a_submitted_proposal_can_no_longer_be_edited_by_its_delegation(personas, world):
    response = client_for(personas["pc_fr"]).get(f"/en/proposals/{world['fr_submitted'].pk}/edit/")
    assert response.status_code == 403


def test_a_pc_cannot_edit_another_delegations_draft_it_cannot_see(personas, world):
    response = client_for(personas["pc_fr"]).get(f"/en/proposals/{world['de_draft'].pk}/edit/")
    assert response.status_code == 404


SUBMIT = {
    "secretariat": 403,
    "pc_fr": 302,
    "pc_de": 404,
    "bureau_chair": 404,
    "expert": 404,
    "outsider": 404,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_proposing_delegation_submits(personas, world, persona):
    pk = world["fr_draft"].pk
    response = client_for(personas[persona]).post(f"/en/proposals/{pk}/submit/")
    _check(response, SUBMIT[persona])
    assert (Proposal.objects.get(pk=pk).status == "submitted") == (persona == "pc_fr")


SUPPORT = {
    # persona: (status code, the support recorded)
    "secretariat": (400, None),  # must say which delegation's letter it records
    "pc_fr": (302, None),  # its own proposal: refused with a message
    "pc_de": (302, "DE"),
    "bureau_chair": (302, "NO"),
    "expert": (403, None),
    "outsider": (404, None),
    "anonymous": (LOGIN, None),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_pcs_of_other_delegations_support_a_submitted_proposal(personas, world, persona):
    code, state = SUPPORT[persona]
    proposal = world["fr_submitted"]
    response = client_for(personas[persona]).post(f"/en/proposals/{proposal.pk}/supports/")
    _check(response, code)
    supporters = list(
        Support.objects.filter(proposal=proposal).values_list("member_state__code", flat=True)
    )
    assert supporters == ([state] if state else [])


def test_the_secretariat_records_a_support_received_by_letter(personas, world, states):
    proposal = world["fr_submitted"]
    response = client_for(personas["secretariat"]).post(
        f"/en/proposals/{proposal.pk}/supports/",
        {"member_state": states["IT"].pk, "note": "Letter of 3 May"},
    )
    assert response.status_code == 302
    support = Support.objects.get(proposal=proposal)
    assert (support.member_state.code, support.note) == ("IT", "Letter of 3 May")


def test_own_delegation_support_is_refused_with_the_reason(personas, world):
    response = client_for(personas["pc_fr"]).post(
        f"/en/proposals/{world['fr_submitted'].pk}/supports/", follow=True
    )
    assert "criterion 1 asks for the support of another delegation" in response.content.decode()


def test_the_support_button_shows_for_other_delegations_and_withdraw_for_the_supporter(
    personas, world
):
    proposal = world["fr_submitted"]
    url = f"/en/proposals/{proposal.pk}/"
    assert "Support on behalf of DE" in client_for(personas["pc_de"]).get(url).content.decode()
    assert "Support on behalf of" not in client_for(personas["pc_fr"]).get(url).content.decode()
    support = services.support_add(proposal=proposal, actor=personas["pc_de"])
    html = client_for(personas["pc_de"]).get(url).content.decode()
    assert "Support on behalf of DE" not in html
    assert "Withdraw support" in html
    assert "Withdraw support" not in client_for(personas["bureau_chair"]).get(url).content.decode()
    client_for(personas["pc_de"]).post(
        f"/en/proposals/{proposal.pk}/supports/{support.pk}/withdraw/"
    )
    assert not Support.objects.filter(pk=support.pk).exists()


ASSIGN = {
    "secretariat": 302,
    "pc_fr": 403,
    "pc_de": 403,
    "bureau_chair": 403,
    "expert": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_secretariat_assigns_assessors(personas, world, persona):
    proposal = world["fr_submitted"]
    response = client_for(personas[persona]).post(
        f"/en/proposals/{proposal.pk}/assessors/", {"username": "expert"}
    )
    _check(response, ASSIGN[persona])
    assigned = Assessment.objects.filter(proposal=proposal, assessor__username="expert").exists()
    assert assigned == (persona == "secretariat")


def test_the_assessor_select_leaves_out_the_proposing_delegation_and_non_assessors(personas, world):
    html = (
        client_for(personas["secretariat"])
        .get(f"/en/proposals/{world['fr_submitted'].pk}/")
        .content.decode()
    )
    select = html[
        html.index('name="username"') : html.index("</select>", html.index('name="username"'))
    ]
    assert 'value="expert"' in select
    assert 'value="bureau_chair"' in select
    assert 'value="secretariat"' in select
    assert 'value="pc_fr"' not in select  # its own delegation: conflict of interest
    assert 'value="pc_de"' not in select  # a PC without a Bureau mandate does not assess
    assert 'value="outsider"' not in select


def test_assigning_a_conflicted_assessor_shows_the_error_next_to_the_select(
    personas, world, states
):
    # A French Bureau member may assess, but not a French proposal.
    from programme.services import account_create

    account_create(
        username="bureau_fr",
        role="bureau",
        member_state_code="FR",
        office="field_coordinator",
        password="x-pass-123456",
        validate=False,
        mandate_start=dt.date(2015, 1, 1),
    )
    response = client_for(personas["secretariat"]).post(
        f"/en/proposals/{world['fr_submitted'].pk}/assessors/", {"username": "bureau_fr"}
    )
    assert response.status_code == 400
    assert 'id="id_username_errors"' in response.content.decode()
    assert not Assessment.objects.filter(assessor__username="bureau_fr").exists()


ASSESS = {
    "secretariat": 403,
    "pc_fr": 403,
    "pc_de": 403,
    "bureau_chair": 403,
    "expert": 200,  # the one assigned
    "outsider": 404,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_assigned_assessor_opens_the_assessment(personas, world, persona):
    _assign(world, personas)
    client = client_for(personas[persona])
    url = f"/en/proposals/{world['fr_submitted'].pk}/assessment/"
    _check(client.get(url), ASSESS[persona])
    client.post(url, {"action": "save", **{f"score_{c['criterion']}": "4" for c in _scores(world)}})
    saved = Assessment.objects.get(assessor__username="expert").scores.exists()
    assert saved == (persona == "expert")


def _scores(world):
    return full_scores(world["fr_submitted"])


SCORE_VISIBLE = {
    "secretariat": True,
    "pc_fr": False,
    "pc_de": False,
    "bureau_chair": True,
    "expert": False,
    "outsider": False,
    "anonymous": False,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_score_is_shown_to_the_secretariat_and_the_bureau_only(personas, world, persona):
    assessment = _assign(world, personas)
    services.assessment_save(
        assessment=assessment, actor=personas["expert"], scores=_scores(world), submit=True
    )
    response = client_for(personas[persona]).get(f"/en/proposals/{world['fr_submitted'].pk}/")
    assert ("Weighted total" in response.content.decode()) == SCORE_VISIBLE[persona]
    ranking = client_for(personas[persona]).get("/en/proposals/ranking/2017/")
    _check(ranking, 200 if SCORE_VISIBLE[persona] else (LOGIN if persona == "anonymous" else 403))


DECIDE = {
    "secretariat": 302,
    "pc_fr": 403,
    "pc_de": 403,
    "bureau_chair": 403,
    "expert": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_secretariat_records_decisions(personas, world, persona):
    proposal = world["fr_submitted"]
    response = client_for(personas[persona]).post(
        f"/en/proposals/{proposal.pk}/decision/",
        {"outcome": "deferred", "meeting": world["meeting"].pk, "rationale": "More detail."},
    )
    _check(response, DECIDE[persona])
    assert Decision.objects.filter(proposal=proposal).exists() == (persona == "secretariat")


VOTE = {
    "secretariat": 403,
    "pc_fr": 403,
    "pc_de": 403,
    "bureau_chair": 302,
    "expert": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_current_bureau_members_vote_on_urgent_proposals(personas, world, persona):
    proposal = world["urgent"]
    response = client_for(personas[persona]).post(
        f"/en/proposals/{proposal.pk}/vote/", {"vote": "abstain"}
    )
    _check(response, VOTE[persona])
    assert BureauVote.objects.filter(proposal=proposal).exists() == (persona == "bureau_chair")


URGENT_PAGE = {
    "secretariat": 200,
    "pc_fr": 403,
    "pc_de": 403,
    "bureau_chair": 200,
    "expert": 403,
    "outsider": 403,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_urgent_queue_is_for_the_bureau_and_the_secretariat(personas, world, persona):
    response = client_for(personas[persona]).get("/en/proposals/urgent/")
    _check(response, URGENT_PAGE[persona])
    if response.status_code == 200:
        html = response.content.decode()
        assert "German urgent response to synthetic cannabinoids" in html
        assert ('name="vote"' in html) == (persona == "bureau_chair")


def test_the_withdraw_button_belongs_to_the_proposing_delegation(personas, world):
    url = f"/en/proposals/{world['fr_submitted'].pk}/"
    assert "Withdraw the proposal" in client_for(personas["pc_fr"]).get(url).content.decode()
    assert "Withdraw the proposal" not in client_for(personas["pc_de"]).get(url).content.decode()
    assert client_for(personas["pc_de"]).post(f"{url}withdraw/").status_code == 403
    client_for(personas["pc_fr"]).post(f"{url}withdraw/", {"comment": "Merged with another."})
    proposal = Proposal.objects.get(pk=world["fr_submitted"].pk)
    assert proposal.status == "withdrawn"
    assert events_of(proposal).filter(to_state="withdrawn", comment="Merged with another.").exists()


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
    assessment = _assign(world, personas)
    criteria = _scores(world)
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
    assessment = _assign(world, personas)
    criteria = _scores(world)
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
    _assign(world, personas)
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


def test_a_submitted_assessment_is_read_only(personas, world):
    assessment = _assign(world, personas)
    client = client_for(personas["expert"])
    url = f"/en/proposals/{world['fr_submitted'].pk}/assessment/"
    data = {"action": "submit", **{f"score_{c['criterion']}": "4" for c in _scores(world)}}
    assert client.post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    html = client.get(url).content.decode()
    assert "this assessment is final" in html and 'name="action"' not in html
    client.post(url, {**data, "action": "save", f"score_{_scores(world)[0]['criterion']}": "1"})
    assert not assessment.scores.filter(score=1).exists()


def test_submitting_an_incomplete_assessment_says_which_criteria_are_missing(personas, world):
    _assign(world, personas)
    first = _scores(world)[0]["criterion"]
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
    first = _assign(world, personas)
    second = _assign(world, personas, who="bureau_chair")
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


# --- decisions --------------------------------------------------------------------------------


def test_adoption_from_the_page_creates_the_activity_and_links_it(personas, world):
    proposal = world["fr_submitted"]
    client = client_for(personas["secretariat"])
    response = client.post(
        f"/en/proposals/{proposal.pk}/decision/",
        {"outcome": "adopted", "meeting": world["meeting"].pk, "rationale": "Broad support."},
        follow=True,
    )
    activity = Activity.objects.get(title="French proposal on darknet markets")
    html = response.content.decode()
    assert f'href="/en/activities/{activity.reference}/"' in html
    assert "Broad support." in html
    assert AnnualProgramme.objects.get(year=2017).entries.filter(activity=activity).exists()


def test_a_decision_without_rationale_is_refused_next_to_the_field(personas, world):
    proposal = world["fr_submitted"]
    response = client_for(personas["secretariat"]).post(
        f"/en/proposals/{proposal.pk}/decision/", {"outcome": "adopted", "rationale": ""}
    )
    assert response.status_code == 400
    assert 'id="id_rationale_errors"' in response.content.decode()
    assert not Decision.objects.filter(proposal=proposal).exists()


# --- the Bureau's vote ---------------------------------------------------------------------


@pytest.fixture
def second_bureau_member(states):
    from programme.services import account_create

    return account_create(
        username="bureau_it",
        role="bureau",
        member_state_code="IT",
        office="vice_chair",
        password="x-pass-123456",
        validate=False,
        mandate_start=dt.date(2015, 1, 1),
    )


def test_an_htmx_vote_returns_the_card_partial_with_my_vote(personas, world, second_bureau_member):
    proposal = world["urgent"]
    response = client_for(personas["bureau_chair"]).post(
        f"/en/proposals/{proposal.pk}/vote/",
        {"vote": "approve", "next": "/en/proposals/urgent/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "proposals/partials/vote_card.html"
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<article class="card mb-3" id="vote-card-{proposal.pk}"')
    assert "Your vote:" in html and "<strong>Approve</strong>" in html
    assert "Approvals: 1" in html and "Not yet voted: 1" in html
    assert 'aria-pressed="true"' in html


def test_a_vote_without_htmx_redirects_back(personas, world, second_bureau_member):
    proposal = world["urgent"]
    response = client_for(personas["bureau_chair"]).post(
        f"/en/proposals/{proposal.pk}/vote/",
        {"vote": "reject", "next": f"/en/proposals/{proposal.pk}/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/proposals/{proposal.pk}/"
    assert BureauVote.objects.get(proposal=proposal).vote == "reject"


def test_a_vote_never_redirects_to_another_site(personas, world, second_bureau_member):
    response = client_for(personas["bureau_chair"]).post(
        f"/en/proposals/{world['urgent'].pk}/vote/",
        {"vote": "abstain", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/en/proposals/urgent/"


def test_the_vote_reaching_the_majority_shows_the_outcome_and_the_activity(personas, world):
    # The Bureau of these personas is the chair alone: one approval is a majority.
    proposal = world["urgent"]
    response = client_for(personas["bureau_chair"]).post(
        f"/en/proposals/{proposal.pk}/vote/", {"vote": "approve"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    activity = Activity.objects.get(title="German urgent response to synthetic cannabinoids")
    assert "Outcome: adopted by the Bureau's vote." in html
    assert f"/en/activities/{activity.reference}/" in html
    assert 'name="vote"' not in html


def test_an_invalid_vote_is_explained_inside_the_card(personas, world):
    response = client_for(personas["bureau_chair"]).post(
        f"/en/proposals/{world['urgent'].pk}/vote/", {"vote": "maybe"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Vote approve, reject or abstain." in response.content.decode()
    assert not BureauVote.objects.exists()


# --- dashboard ----------------------------------------------------------------------------


def test_the_dashboard_lists_each_roles_proposal_tasks(personas, world, second_bureau_member):
    _assign(world, personas)
    pc_de = client_for(personas["pc_de"]).get("/en/").content.decode()
    assert "My delegation&#x27;s draft proposals" in pc_de
    assert "Proposals of other delegations awaiting support" in pc_de
    expert = client_for(personas["expert"]).get("/en/").content.decode()
    assert "Assessments due" in expert
    assert "/en/proposals/?todo=to_assess" in expert
    chair = client_for(personas["bureau_chair"]).get("/en/").content.decode()
    assert "Urgent activities awaiting your vote" in chair
    secretariat = client_for(personas["secretariat"]).get("/en/").content.decode()
    assert "Proposals without assessors" in secretariat
    assert "Assessed proposals awaiting a decision" in secretariat


def _dashboard_counts(html: str) -> dict[str, int]:
    """The dashboard's cards as {label: count}."""
    import re

    cards = re.findall(
        r'<p class="count mb-0">([\d,]+)</p>\s*<p class="card-text"><a[^>]*>([^<]+)</a>', html
    )
    return {label: int(count.replace(",", "")) for count, label in cards}


def test_the_dashboard_counts_follow_the_workflow(personas, world, programme):
    pc_de = client_for(personas["pc_de"])
    counts = _dashboard_counts(pc_de.get("/en/").content.decode())
    assert counts["My delegation&#x27;s draft proposals"] == 1
    assert counts["Proposals of other delegations awaiting support"] == 1  # the French one
    services.support_add(proposal=world["fr_submitted"], actor=personas["pc_de"])
    counts = _dashboard_counts(pc_de.get("/en/").content.decode())
    assert counts["Proposals of other delegations awaiting support"] == 0

    secretariat = client_for(personas["secretariat"])
    counts = _dashboard_counts(secretariat.get("/en/").content.decode())
    assert counts["Proposals without assessors"] == 1  # the urgent one is the Bureau's
    assert counts["Assessed proposals awaiting a decision"] == 0
    assessment = _assign(world, personas)
    services.assessment_save(
        assessment=assessment, actor=personas["expert"], scores=_scores(world), submit=True
    )
    counts = _dashboard_counts(secretariat.get("/en/").content.decode())
    assert counts["Proposals without assessors"] == 0
    assert counts["Assessed proposals awaiting a decision"] == 1

    chair = client_for(personas["bureau_chair"])
    assert (
        _dashboard_counts(chair.get("/en/").content.decode())[
            "Urgent activities awaiting your vote"
        ]
        == 1
    )
    # The chair's approval adopts it (a Bureau of one), so nothing waits any more.
    services.bureau_vote_cast(
        proposal=world["urgent"], actor=personas["bureau_chair"], vote="approve"
    )
    assert (
        _dashboard_counts(chair.get("/en/").content.decode())[
            "Urgent activities awaiting your vote"
        ]
        == 0
    )


# --- query budgets -----------------------------------------------------------------------------


def _more_proposals(personas, programme, n):
    for i in range(n):
        p = submitted(personas["pc_de"], programme, title=f"Proposal {i}")
        services.support_add(proposal=p, actor=personas["pc_fr"])


def test_the_list_answers_in_a_constant_number_of_queries(
    personas, world, programme, django_assert_max_num_queries
):
    client = client_for(personas["secretariat"])
    for size in (3, 30):
        _more_proposals(personas, programme, size)
        # session, user, roles (groups, profile, mandates; cached for the nav), count,
        # the programme in force (ranking links), filter form choices (priorities,
        # formats, member states), page of rows with their counts, their priorities,
        # session save (savepoint, update, release)
        with django_assert_max_num_queries(15):
            response = client.get("/en/proposals/")
        assert response.status_code == 200


def test_the_ranking_answers_in_a_constant_number_of_queries(
    personas, world, programme, django_assert_max_num_queries
):
    client = client_for(personas["secretariat"])
    AnnualProgramme.objects.create(
        work_programme=programme, year=2017, budget_ceiling=Decimal("100000")
    )
    total = 0
    for size in (2, 12):
        total += size
        for i in range(size):
            p = submitted(personas["pc_de"], programme, title=f"Ranked {size}-{i}")
            a = services.assessor_assign(
                proposal=p, assessor=personas["expert"], actor=personas["secretariat"]
            )
            services.assessment_save(
                assessment=a, actor=personas["expert"], scores=full_scores(p), submit=True
            )
        # session, user, roles (groups, profile, mandates), annual programme, what its
        # entries commit, rows with counts, their priorities, scores (criteria,
        # assessments, scores, supports), the programme in force (the year links),
        # session save (savepoint, update, release)
        with django_assert_max_num_queries(17):
            response = client.get("/en/proposals/ranking/2017/")
        assert response.status_code == 200
        # 30,000 EUR each: three fit under the ceiling of 100,000.
        assert response.content.decode().count('data-testid="beyond"') == max(0, total - 3)


def test_the_detail_page_with_its_score_answers_in_a_constant_number_of_queries(
    personas, world, programme, states, django_assert_max_num_queries
):
    client = client_for(personas["secretariat"])
    proposal = world["fr_submitted"]
    expert_group = Group.objects.get(name=roles.EXPERT)
    pcs = {code: UserFactory(username=f"pc_{code.lower()}_x") for code in ("IT", "ES", "NO")}
    for code, user in pcs.items():
        from programme.models import Profile

        Profile.objects.update_or_create(user=user, defaults={"member_state": states[code]})
        user.groups.add(Group.objects.get(name=roles.CORRESPONDENT))
    supporters = iter([personas["pc_de"], *pcs.values()])
    for size in (1, 3):
        services.support_add(proposal=proposal, actor=next(supporters))
        for _ in range(size):
            assessor = UserFactory()
            assessor.groups.add(expert_group)
            a = services.assessor_assign(
                proposal=proposal, assessor=assessor, actor=personas["secretariat"]
            )
            services.assessment_save(
                assessment=a, actor=assessor, scores=full_scores(proposal), submit=True
            )
        # session, user, roles (groups, profile, mandates); the proposal; its priorities,
        # supports, events, assessments, decisions, votes, attachments; the score
        # (criteria, submitted assessments, scores, supports); the support form's member
        # states; the assessor select; the decision form's meetings; the year's budget
        # (annual programme, committed); session save (savepoint, update, release)
        with django_assert_max_num_queries(25):
            response = client.get(f"/en/proposals/{proposal.pk}/")
        assert response.status_code == 200
        assert "Weighted total" in response.content.decode()


def test_the_ranking_marks_what_lies_beyond_the_ceiling_in_either_order(personas, world, programme):
    AnnualProgramme.objects.create(
        work_programme=programme, year=2017, budget_ceiling=Decimal("35000")
    )
    for title, cost, score in [("Costly and good", "30000", "5"), ("Cheap and fair", "10000", "3")]:
        p = submitted(personas["pc_de"], programme, title=title, estimated_cost=Decimal(cost))
        a = services.assessor_assign(
            proposal=p, assessor=personas["expert"], actor=personas["secretariat"]
        )
        services.assessment_save(
            assessment=a,
            actor=personas["expert"],
            scores=full_scores(p, score=Decimal(score)),
            submit=True,
        )
    client = client_for(personas["bureau_chair"])

    def rows(html):
        body = html[html.index("<tbody>") : html.index("</tbody>")]
        return [
            ("Costly" if "Costly and good" in row else "Cheap", 'data-testid="beyond"' in row)
            for row in body.split("<tr")[1:]
        ]

    by_score = client.get("/en/proposals/ranking/2017/").content.decode()
    assert rows(by_score) == [("Costly", False), ("Cheap", True)]  # 30,000 then 40,000
    by_cost = client.get("/en/proposals/ranking/2017/?sort=cost").content.decode()
    assert rows(by_cost) == [("Cheap", False), ("Costly", True)]  # 10,000 then 40,000
    assert "35,000 EUR" in by_score


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
