"""Conflict of interest and independent assessment (issue 13, point 1).

1. Nobody reads the scores, the assessors or the assessments of a proposal of their
   own member state until it is decided (a Bureau member neither); the Secretariat,
   no member state, reads them all.
2. An assessor reads the others' scores only once their own is submitted.
3. A Bureau member of the proposing state does not vote on its urgent proposal: the
   recusal is recorded and the majority is counted on the members who may vote.

Each rule is one predicate in ``proposals.permissions`` and one queryset filter in
``proposals.selectors``; the first test holds every pair together for every user ×
proposal (and assessment) of a small world.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from pompidou.audit import events_of
from pompidou.errors import PermissionDenied
from programme.services import account_create
from proposals import permissions as perm
from proposals import selectors, services, year_ranking
from proposals.models import Assessment, BureauVote, Proposal
from tests.conftest import answer, client_as, client_for
from tests.proposals.api import bureau_member, url, vote
from tests.proposals.factories import draft, full_scores, submitted

OWN_STATE = (
    "You cannot see the scores of a proposal from your own member state until it is decided."
)


def _submit(assessment, actor):
    return services.assessment_save(
        assessment=assessment, actor=actor, scores=full_scores(assessment.proposal), submit=True
    )


def _assign(proposal, assessor, secretariat):
    return services.assessor_assign(proposal=proposal, assessor=assessor, actor=secretariat)


@pytest.fixture
def people(personas, states):
    bureau_fr = bureau_member("bureau_fr", "FR")
    bureau_it = bureau_member("bureau_it", "IT")
    bureau_it.first_name, bureau_it.last_name = "Giulia", "Rossi"
    bureau_it.save()
    expert_b = account_create(username="expert_b", role="expert", password="x" * 12, validate=False)
    return {
        **{k: v for k, v in personas.items() if k != "anonymous"},
        "bureau_fr": bureau_fr,
        "bureau_it": bureau_it,
        "expert_b": expert_b,
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def cases(people, programme):
    """French and German proposals in every situation the rules tell apart."""
    p, sec = people, people["secretariat"]

    def assessed_fr(title):
        proposal = submitted(p["pc_fr"], programme, title=title)
        services.support_add(proposal=proposal, actor=p["pc_de"])
        _submit(_assign(proposal, p["expert"], sec), p["expert"])
        return proposal

    # France's, under assessment: the expert has submitted, Giulia Rossi (Bureau,
    # Italy) is still in draft.
    fr_assessing = assessed_fr("French proposal under assessment")
    _assign(fr_assessing, p["bureau_it"], sec)
    fr_adopted = assessed_fr("French proposal adopted")
    services.decision_record(
        proposal=fr_adopted, actor=sec, outcome="adopted", rationale="Adopted at the plenary."
    )
    fr_adopted.refresh_from_db()
    fr_deferred = assessed_fr("French proposal deferred")
    services.decision_record(
        proposal=fr_deferred, actor=sec, outcome="deferred", rationale="To the next plenary."
    )
    fr_deferred.refresh_from_db()
    # Germany's: the French Bureau member has submitted, expert_b is in draft.
    de_assessing = submitted(p["pc_de"], programme, title="German proposal under assessment")
    _submit(_assign(de_assessing, p["bureau_fr"], sec), p["bureau_fr"])
    _assign(de_assessing, p["expert_b"], sec)
    urgent = {"route": "urgent", "year": None, "urgency_justification": "Deaths since May."}
    return {
        "fr_assessing": fr_assessing,
        "fr_adopted": fr_adopted,
        "fr_deferred": fr_deferred,
        "de_assessing": de_assessing,
        "fr_draft": draft(p["pc_fr"], programme, title="French draft"),
        "fr_urgent": submitted(p["pc_fr"], programme, title="French urgent", **urgent),
        "de_urgent": submitted(p["pc_de"], programme, title="German urgent", **urgent),
    }


def _fresh(user):
    # A user as a new request loads it (the roles are cached on the object).
    if user.is_anonymous:
        return AnonymousUser()
    return type(user).objects.get(pk=user.pk)


def _in(qs, obj) -> bool:
    return qs.filter(pk=obj.pk).exists()


def test_every_queryset_filter_agrees_with_its_predicate_for_every_user_and_proposal(people, cases):
    proposals = list(Proposal.objects.all())
    assessments = list(Assessment.objects.select_related("proposal"))
    pairs = {
        "conflict_of_interest": (
            perm.conflict_of_interest,
            lambda u: Proposal.objects.filter(selectors.no_conflict_of_interest(u)),
        ),
        "independent_assessment": (
            perm.independent_assessment,
            lambda u: selectors.not_assessing_in_draft(Proposal.objects.all(), u),
        ),
        "view_score": (perm.can_view_score, selectors.proposals_with_visible_scores),
        "view_assessors": (perm.can_view_assessors, selectors.proposals_with_visible_assessors),
        "vote": (perm.can_vote, selectors.proposals_votable_by),
    }
    answers: dict[str, set[bool]] = {name: set() for name in [*pairs, "read_assessment"]}
    for name, user in people.items():
        for proposal in proposals:
            for rule, (predicate, queryset) in pairs.items():
                verdict = bool(predicate(_fresh(user), proposal))
                assert verdict == _in(queryset(_fresh(user)), proposal), (name, rule, proposal)
                answers[rule].add(verdict)
        readable = selectors.assessments_readable_by(_fresh(user))
        for assessment in assessments:
            verdict = bool(perm.can_read_assessment(_fresh(user), assessment))
            assert verdict == _in(readable, assessment), (name, assessment.pk)
            answers["read_assessment"].add(verdict)
    # The fixture tells both answers apart for every rule (else the test proves nothing).
    assert all(seen == {True, False} for seen in answers.values()), answers


def test_a_bureau_member_does_not_read_the_scores_of_their_own_states_proposal_until_decided(
    people, cases
):
    bureau_fr = people["bureau_fr"]
    refused = perm.can_view_score(bureau_fr, cases["fr_assessing"])
    assert not refused and not refused.state and str(refused) == OWN_STATE
    assert not perm.can_view_assessors(bureau_fr, cases["fr_assessing"])
    assert not perm.can_view_score(bureau_fr, cases["fr_deferred"])  # deferred: not decided
    assert perm.can_view_score(bureau_fr, cases["fr_adopted"])
    # Another state's Bureau member and the Secretariat read it.
    assert perm.can_view_score(people["bureau_chair"], cases["fr_assessing"])
    assert perm.can_view_score(people["secretariat"], cases["fr_assessing"])


def test_an_assessor_reads_the_other_scores_only_once_theirs_is_submitted(people, cases):
    giulia, proposal = people["bureau_it"], cases["fr_assessing"]
    refused = perm.can_view_score(giulia, proposal)
    assert not refused and "once you have submitted your own" in str(refused)
    assert [a.assessor for a in selectors.assessments_readable_by(giulia, proposal)] == [giulia]
    _submit(proposal.assessments.get(assessor=giulia), giulia)
    giulia = _fresh(giulia)
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert perm.can_view_score(giulia, proposal)
    assert selectors.assessments_readable_by(giulia, proposal).count() == 2
    # An expert who has submitted reads the others' scores too; one in draft does not.
    assert perm.can_view_score(people["expert"], proposal)
    assert not perm.can_view_score(people["expert_b"], cases["de_assessing"])


def test_the_ranking_leaves_out_the_proposals_whose_scores_the_user_may_not_read(people, cases):
    budget = year_ranking.year_budget(2017)
    everything = {r.proposal.title for r in year_ranking.ranking(2017, budget)}
    assert {"French proposal under assessment", "German proposal under assessment"} <= everything
    mine = {r.proposal.title for r in year_ranking.ranking(2017, budget, people["bureau_fr"])}
    assert "French proposal under assessment" not in mine
    assert "German proposal under assessment" in mine
    assert year_ranking.ranking_withheld(2017, people["bureau_fr"]) == 1
    assert year_ranking.ranking_withheld(2017, people["secretariat"]) == 0


# --- the Bureau's vote: recusal and the majority of those who may vote --------------


@pytest.fixture
def bureau_of_four(people, states):
    """The chair (Norway), France, Italy and Spain: four current members."""
    return [
        people["bureau_chair"],
        people["bureau_fr"],
        people["bureau_it"],
        bureau_member("bureau_es", "ES"),
    ]


def test_a_bureau_member_of_the_proposing_state_is_recorded_as_recused(
    people, bureau_of_four, programme, django_capture_on_commit_callbacks
):
    for member in bureau_of_four:
        member.email = f"{member.username}@bureau.example"
        member.save()
    with django_capture_on_commit_callbacks(execute=True):
        urgent = submitted(
            people["pc_fr"], programme, route="urgent", year=None, urgency_justification="Now."
        )
    (recusal,) = BureauVote.objects.filter(proposal=urgent)
    assert (recusal.voter, recusal.vote) == (people["bureau_fr"], "recused")
    assert events_of(urgent).filter(kind="vote", actor=people["bureau_fr"]).exists()
    # The call for votes goes to the three who may vote.
    calls = [m for m in mail.outbox if "vote is needed" in m.subject]
    assert sorted(address for m in calls for address in m.to) == [
        "bureau_chair@bureau.example",
        "bureau_es@bureau.example",
        "bureau_it@bureau.example",
    ]
    refused = perm.can_vote(people["bureau_fr"], urgent)
    assert not refused and not refused.state and "recused" in str(refused)
    with pytest.raises(PermissionDenied, match="recused"):
        services.bureau_vote_cast(proposal=urgent, actor=people["bureau_fr"], vote="approve")
    assert BureauVote.objects.get(proposal=urgent, voter=people["bureau_fr"]).vote == "recused"
    assert not selectors.todo(Proposal.objects.all(), people["bureau_fr"], "awaiting_vote")
    assert list(selectors.todo(Proposal.objects.all(), people["bureau_it"], "awaiting_vote")) == [
        urgent
    ]


def test_the_majority_is_counted_on_the_members_who_may_vote(people, bureau_of_four, programme):
    urgent = submitted(
        people["pc_fr"], programme, route="urgent", year=None, urgency_justification="Now."
    )
    # Four members, one recused: two approvals of the three who may vote adopt it
    # (counted on all four, two would not be a majority).
    services.bureau_vote_cast(proposal=urgent, actor=people["bureau_chair"], vote="approve")
    urgent.refresh_from_db()
    assert urgent.status == "bureau_vote"
    services.bureau_vote_cast(proposal=urgent, actor=people["bureau_it"], vote="approve")
    urgent.refresh_from_db()
    assert urgent.status == "adopted"
    decision = urgent.decisions.get()
    assert "2 approve, 0 reject, 0 abstain, of 3 who may vote (1 recused)" in decision.rationale


def test_the_tally_counts_neither_recusals_nor_the_votes_of_recused_members(people, cases):
    urgent = cases["fr_urgent"]
    bureau = selectors.current_bureau()
    voters = selectors.voters_on(urgent, bureau)
    assert voters.recused == {people["bureau_fr"].pk}
    # A ballot the recused member might have left before the rule: not counted.
    BureauVote.objects.filter(proposal=urgent, voter=people["bureau_fr"]).update(vote="approve")
    tally = services.tally_votes(urgent.votes.values_list("voter_id", "vote"), voters)
    assert (tally.approve, tally.size, tally.recused) == (0, len(bureau) - 1, 1)


# --- the API -------------------------------------------------------------------------


def test_the_score_endpoint_refuses_a_bureau_member_of_the_proposing_state(people, cases):
    refused = answer(client_as(people["bureau_fr"]).get(url(cases["fr_assessing"], "score/")), 403)
    assert refused["detail"] == OWN_STATE
    answer(client_as(people["bureau_fr"]).get(url(cases["fr_adopted"], "score/")), 200)
    score = answer(client_as(people["bureau_chair"]).get(url(cases["fr_assessing"], "score/")))
    assert score["submitted"] == 1
    # Giulia Rossi, still in draft, does not read the expert's scores.
    refused = answer(client_as(people["bureau_it"]).get(url(cases["fr_assessing"], "score/")), 403)
    assert "once you have submitted your own" in refused["detail"]


def test_the_assessments_endpoint_follows_both_rules(people, cases):
    fr = cases["fr_assessing"]
    refused = answer(client_as(people["bureau_fr"]).get(url(fr, "assessments/")), 403)
    assert refused["detail"] == OWN_STATE
    own = answer(client_as(people["bureau_it"]).get(url(fr, "assessments/")))
    assert [(a["assessor"], a["status"]) for a in own] == [("bureau_it", "draft")]
    chair = answer(client_as(people["bureau_chair"]).get(url(fr, "assessments/")))
    assert [(a["assessor"], a["status"]) for a in chair] == [("expert", "submitted")]
    expert = answer(client_as(people["expert"]).get(url(fr, "assessments/")))
    assert [a["assessor"] for a in expert] == ["expert"]  # the draft stays Giulia's


def test_a_recused_member_votes_through_the_api_is_403_and_changes_nothing(people, cases):
    urgent = cases["fr_urgent"]
    refused = answer(vote(people["bureau_fr"], urgent, "approve"), 403)
    assert "recused" in refused["detail"]
    assert BureauVote.objects.get(proposal=urgent, voter=people["bureau_fr"]).vote == "recused"
    answer(vote(people["bureau_fr"], cases["de_urgent"], "approve"), 200)
    # A recusal is recorded by the portal, never cast.
    bad = answer(vote(people["bureau_chair"], cases["de_urgent"], "recused"), 400)
    assert "vote" in bad


# --- the pages -----------------------------------------------------------------------


def test_the_proposal_page_says_why_the_scores_are_hidden(people, cases):
    page = client_for(people["bureau_fr"]).get(f"/en/proposals/{cases['fr_assessing'].pk}/")
    html = page.content.decode()
    assert OWN_STATE in html
    assert "Weighted total" not in html
    assert "Giulia Rossi" not in html  # the assessors' names, history included
    page = client_for(people["bureau_chair"]).get(f"/en/proposals/{cases['fr_assessing'].pk}/")
    html = page.content.decode()
    assert "Weighted total" in html and "Giulia Rossi" in html
    page = client_for(people["bureau_it"]).get(f"/en/proposals/{cases['fr_assessing'].pk}/")
    html = page.content.decode()
    assert "once you have submitted your own" in html and "Weighted total" not in html


def test_the_ranking_page_says_a_proposal_is_left_out(people, cases):
    html = client_for(people["bureau_fr"]).get("/en/proposals/ranking/2017/").content.decode()
    assert "French proposal under assessment" not in html
    assert "German proposal under assessment" in html
    assert 'data-testid="withheld"' in html and OWN_STATE in html


def test_the_vote_page_shows_the_recusal(people, cases):
    html = client_for(people["bureau_fr"]).get("/en/proposals/urgent/").content.decode()
    french = html[html.index("French urgent") :]
    french = french[: french.index("</article>")]
    assert "You are recused" in french
    assert 'value="approve"' not in french
    german = html[html.index("German urgent") :]
    assert 'value="approve"' in german[: german.index("</article>")]
    chair = client_for(people["bureau_chair"]).get(f"/en/proposals/{cases['fr_urgent'].pk}/")
    assert "Recused: bureau_fr" in chair.content.decode()
    assert "recused as a member of the proposing member state" in chair.content.decode()
