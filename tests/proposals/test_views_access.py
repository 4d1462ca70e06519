"""The proposal pages, persona by persona: who sees and does what (403 for a
refusal, the login page for the anonymous visitor)."""

import datetime as dt

import pytest

from pompidou.audit import events_of
from proposals import services
from proposals.models import Assessment, BureauVote, Decision, Proposal, Support
from tests.conftest import client_for
from tests.proposals.conftest import LOGIN, PERSONAS, assign, check, scores_of

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
    check(response, code)
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
    check(response, FOREIGN_DRAFT[persona])


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
    check(response, code)


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
    check(response, code)
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
    check(client.get(f"/en/proposals/{pk}/edit/"), EDIT_OWN_DRAFT[persona])
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
    check(response, SUBMIT[persona])
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
    check(response, code)
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
    check(response, ASSIGN[persona])
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
    assign(world, personas)
    client = client_for(personas[persona])
    url = f"/en/proposals/{world['fr_submitted'].pk}/assessment/"
    check(client.get(url), ASSESS[persona])
    client.post(
        url, {"action": "save", **{f"score_{c['criterion']}": "4" for c in scores_of(world)}}
    )
    saved = Assessment.objects.get(assessor__username="expert").scores.exists()
    assert saved == (persona == "expert")


# The French proposal's score, once the expert has submitted: the Secretariat, the
# Bureau (of another state) and the expert who assessed it; not the PCs.
SCORE_VISIBLE = {
    "secretariat": True,
    "pc_fr": False,
    "pc_de": False,
    "bureau_chair": True,
    "expert": True,
    "outsider": False,
    "anonymous": False,
}
# The ranking of every proposal: the Secretariat and the Bureau only.
RANKING = {"secretariat": 200, "bureau_chair": 200, "anonymous": LOGIN}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_score_is_shown_to_the_secretariat_the_bureau_and_the_assessors_who_submitted(
    personas, world, persona
):
    assessment = assign(world, personas)
    services.assessment_save(
        assessment=assessment, actor=personas["expert"], scores=scores_of(world), submit=True
    )
    response = client_for(personas[persona]).get(f"/en/proposals/{world['fr_submitted'].pk}/")
    assert ("Weighted total" in response.content.decode()) == SCORE_VISIBLE[persona]
    ranking = client_for(personas[persona]).get("/en/proposals/ranking/2017/")
    check(ranking, RANKING.get(persona, 403))


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
    check(response, DECIDE[persona])
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
    check(response, VOTE[persona])
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
    check(response, URGENT_PAGE[persona])
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
