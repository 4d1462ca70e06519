"""Decisions and the Bureau's vote from the pages, the dashboard's counts, and the
query budgets of the lists."""

import re
from decimal import Decimal

from django.contrib.auth.models import Group

from activities.models import Activity, AnnualProgramme
from programme import roles
from proposals import services
from proposals.models import BureauVote, Decision
from tests.conftest import client_for
from tests.programme.factories import UserFactory
from tests.proposals.conftest import assign, scores_of
from tests.proposals.factories import full_scores, submitted

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
    assign(world, personas)
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
    assessment = assign(world, personas)
    services.assessment_save(
        assessment=assessment, actor=personas["expert"], scores=scores_of(world), submit=True
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
    personas, world, programme, django_assert_num_queries
):
    client = client_for(personas["secretariat"])
    for size in (3, 30):
        _more_proposals(personas, programme, size)
        # session, user, roles (groups, profile, mandates; cached for the nav), count,
        # the programme in force (ranking links), filter form choices (priorities,
        # formats, member states), page of rows, their priorities, their counts of
        # supports and assessments (over the page's ids), the unread notices (the nav),
        # session save (savepoint, update, release)
        with django_assert_num_queries(17):
            response = client.get("/en/proposals/")
        assert response.status_code == 200


def test_the_ranking_answers_in_a_constant_number_of_queries(
    personas, world, programme, django_assert_num_queries
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
        # entries commit, rows, their priorities, their counts, scores (criteria,
        # assessments, scores, supports), the programme in force (the year links), the
        # count of proposals withheld from the user (conflict of interest, own draft),
        # the unread notices (the nav), the stored similar items (overlap: one query, the
        # reader's visibility and the proposer's marks as subqueries of it), session
        # save (savepoint, update, release)
        with django_assert_num_queries(21):
            response = client.get("/en/proposals/ranking/2017/")
        assert response.status_code == 200
        # 30,000 EUR each: three fit under the ceiling of 100,000.
        assert response.content.decode().count('data-testid="beyond"') == max(0, total - 3)


def test_the_detail_page_with_its_score_answers_in_a_constant_number_of_queries(
    personas, world, programme, states, django_assert_num_queries
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
        for _ in range(size):
            remark = services.comment_post(proposal=proposal, actor=personas["pc_de"], body="?")
            services.comment_post(
                proposal=proposal, actor=personas["secretariat"], body="!", parent=remark
            )
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
        # (annual programme, committed); the discussion (comments with their authors,
        # mentions, earlier versions); the unread notices (the nav); the similar items,
        # listed live with their passages (overlap, 12 whatever the size: whether terms
        # were counted, the marks, the query's lexemes twice, the corpus, its terms, the
        # activity and proposal shortlists, their lexemes, their terms, the proposals
        # found, their words' lexemes); session save (savepoint, update, release)
        with django_assert_num_queries(41):
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


def test_the_lists_counts_are_those_of_the_pages_rows_counted_over_their_ids_alone(
    personas, world, programme, monkeypatch
):
    """The supports and assessments of a page's rows come from one query over the
    page's ids: nothing aggregates the whole list before its LIMIT."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proposals.views import drafting

    monkeypatch.setattr(drafting, "PAGE_SIZE", 2)
    newest = submitted(personas["pc_de"], programme, title="Newest")
    services.support_add(proposal=newest, actor=personas["pc_fr"])
    first = services.assessor_assign(
        proposal=newest, assessor=personas["expert"], actor=personas["secretariat"]
    )
    services.assessor_assign(
        proposal=newest, assessor=personas["bureau_chair"], actor=personas["secretariat"]
    )
    services.assessment_save(
        assessment=first, actor=personas["expert"], scores=full_scores(newest), submit=True
    )
    client = client_for(personas["secretariat"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/proposals/")
    assert response.context["page"].paginator.count > 2  # more than the page
    rows = list(response.context["page"].object_list)
    assert [p.pk for p in rows][:1] == [newest.pk]
    assert (rows[0].support_count, rows[0].submitted_assessments, rows[0].assessment_count) == (
        1,
        1,
        2,
    )
    counting = [q["sql"] for q in queries.captured_queries if "proposals_support" in q["sql"]]
    assert len(counting) == 1, counting
    ids = re.search(r'"proposals_proposal"."id" IN \(([\d, ]+)\)', counting[0])
    assert ids is not None and sorted(map(int, ids.group(1).split(", "))) == sorted(
        p.pk for p in rows
    )
    assert '<td class="text-end text-nowrap">1 / 2</td>' in response.content.decode()
