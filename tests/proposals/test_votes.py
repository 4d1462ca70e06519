import datetime as dt
import threading

import pytest
from django.db import connection, connections

from activities.models import Activity
from pompidou.audit import events_of
from pompidou.errors import DomainError, PermissionDenied
from programme.models import Meeting
from programme.services import account_create
from proposals import services
from proposals.models import BureauVote, Decision, Proposal
from tests.programme.factories import MemberStateFactory
from tests.proposals.factories import full_scores, submitted

OFFICES = ["vice_chair"] + ["field_coordinator"] * 6


@pytest.fixture
def bureau(bureau_chair, states):
    """The full Bureau of 8: the chair (NO) and seven more."""
    members = [bureau_chair]
    for index, office in enumerate(OFFICES):
        state = MemberStateFactory(code=f"Q{chr(65 + index)}", name=f"State Q{index}")
        members.append(
            account_create(
                username=f"bureau_{index}",
                role="bureau",
                member_state_code=state.code,
                office=office,
                password="x" * 12,
                validate=False,
                mandate_start=dt.date(2015, 1, 1),
            )
        )
    return members


@pytest.fixture
def urgent(pc_fr, programme):
    return submitted(
        pc_fr,
        programme,
        route="urgent",
        year=None,
        urgency_justification="A new synthetic opioid is spreading.",
    )


def test_a_majority_of_the_current_bureau_adopts_an_urgent_proposal(bureau, urgent):
    for member in bureau[:4]:
        services.bureau_vote_cast(proposal=urgent, actor=member, vote="approve")
    urgent.refresh_from_db()
    assert urgent.status == "bureau_vote"  # 4 of 8 is not a majority
    services.bureau_vote_cast(proposal=urgent, actor=bureau[4], vote="approve")
    urgent.refresh_from_db()
    assert urgent.status == "adopted"
    assert urgent.activity.adoption_route == "urgent"
    decision = Decision.objects.get(proposal=urgent)
    assert (decision.body, decision.outcome) == ("bureau", "adopted")
    with pytest.raises(DomainError, match="vote is closed"):
        services.bureau_vote_cast(proposal=urgent, actor=bureau[5], vote="reject")


def test_rejections_that_make_a_majority_impossible_reject_it(bureau, urgent):
    for member in bureau[:3]:
        services.bureau_vote_cast(proposal=urgent, actor=member, vote="reject")
    urgent.refresh_from_db()
    assert urgent.status == "bureau_vote"  # 5 could still approve
    services.bureau_vote_cast(proposal=urgent, actor=bureau[3], vote="reject")
    urgent.refresh_from_db()
    assert urgent.status == "rejected"
    assert not Activity.objects.exists()


def test_a_vote_may_change_until_the_outcome(bureau, urgent):
    services.bureau_vote_cast(proposal=urgent, actor=bureau[0], vote="reject")
    services.bureau_vote_cast(
        proposal=urgent, actor=bureau[0], vote="approve", comment="Convinced by the figures."
    )
    assert list(BureauVote.objects.filter(proposal=urgent).values_list("vote", flat=True)) == [
        "approve"
    ]


def test_abstentions_leave_no_majority_and_reject_once_all_have_voted(bureau, urgent):
    for member in bureau[:4]:
        services.bureau_vote_cast(proposal=urgent, actor=member, vote="approve")
    for member in bureau[4:7]:
        services.bureau_vote_cast(proposal=urgent, actor=member, vote="abstain")
    urgent.refresh_from_db()
    assert urgent.status == "bureau_vote"
    services.bureau_vote_cast(proposal=urgent, actor=bureau[7], vote="abstain")
    urgent.refresh_from_db()
    assert urgent.status == "rejected"


def test_only_current_bureau_members_vote(bureau, urgent, pc_de, secretariat):
    with pytest.raises(PermissionDenied):
        services.bureau_vote_cast(proposal=urgent, actor=pc_de, vote="approve")
    with pytest.raises(PermissionDenied):
        services.bureau_vote_cast(proposal=urgent, actor=secretariat, vote="approve")
    mandate = bureau[1].bureau_mandates.get()
    mandate.end_date = dt.date(2016, 1, 1)
    mandate.save()
    from programme.roles import forget_roles

    forget_roles(bureau[1])
    with pytest.raises(PermissionDenied):
        services.bureau_vote_cast(proposal=urgent, actor=bureau[1], vote="approve")
    assert not BureauVote.objects.exists()


def test_the_bureau_votes_on_urgent_proposals_only(bureau, pc_fr, programme):
    annual = submitted(pc_fr, programme)
    with pytest.raises(DomainError, match="urgent proposals only"):
        services.bureau_vote_cast(proposal=annual, actor=bureau[0], vote="approve")


# --- real concurrent transactions (PostgreSQL) -------------------------------------


def _run_at_once(calls):
    """Run each call in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each got
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.fixture
def postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL (set DATABASE_URL)")


@pytest.mark.postgres
def test_eight_bureau_members_voting_at_once_reach_exactly_one_outcome(
    postgres_only, bureau, urgent
):
    outcomes = _run_at_once(
        [
            (lambda m=m: services.bureau_vote_cast(proposal=urgent, actor=m, vote="approve"))
            for m in bureau
        ]
    )
    urgent.refresh_from_db()
    assert urgent.status == "adopted"
    assert Decision.objects.filter(proposal=urgent).count() == 1
    assert Activity.objects.count() == 1
    recorded = [o for o in outcomes if isinstance(o, BureauVote)]
    closed = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(recorded) >= 5 and len(recorded) + len(closed) == 8
    assert all("vote is closed" in str(e) for e in closed)


@pytest.mark.postgres
def test_the_last_two_votes_arriving_together_adopt_once(postgres_only, bureau, urgent):
    for member in bureau[:4]:
        services.bureau_vote_cast(proposal=urgent, actor=member, vote="approve")
    outcomes = _run_at_once(
        [
            lambda: services.bureau_vote_cast(proposal=urgent, actor=bureau[4], vote="approve"),
            lambda: services.bureau_vote_cast(proposal=urgent, actor=bureau[5], vote="approve"),
        ]
    )
    assert Decision.objects.filter(proposal=urgent).count() == 1
    assert Activity.objects.count() == 1
    assert sum(isinstance(o, BureauVote) for o in outcomes) == 1
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1


@pytest.mark.postgres
def test_two_secretaries_adopting_at_once_create_one_activity(
    postgres_only, pc_fr, pc_de, secretariat, expert, programme
):
    other = account_create(
        username="secretariat2", role="secretariat", password="x" * 12, validate=False
    )
    proposal = submitted(pc_fr, programme)
    services.support_add(proposal=proposal, actor=pc_de)
    a = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    services.assessment_save(assessment=a, actor=expert, scores=full_scores(proposal), submit=True)
    meeting = Meeting.objects.create(kind="pc_plenary", number=79, date=dt.date(2016, 11, 29))
    outcomes = _run_at_once(
        [
            lambda who=who: services.decision_record(
                proposal=proposal,
                actor=who,
                outcome="adopted",
                meeting=meeting,
                rationale="Adopted.",
            )
            for who in (secretariat, other)
        ]
    )
    assert Activity.objects.count() == 1
    assert Decision.objects.filter(proposal=proposal).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).status == "adopted"
    assert sum(isinstance(o, Decision) for o in outcomes) == 1
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1


# --- deadline, comments, the badge and the decided list ----------------------------


def test_going_to_the_bureau_vote_sets_a_deadline_ten_days_ahead(urgent):
    assert urgent.status == "bureau_vote"
    assert urgent.vote_deadline == dt.date.today() + dt.timedelta(days=10)


def test_a_vote_past_its_deadline_without_majority_goes_to_the_next_pc_plenary(bureau, urgent):
    services.bureau_vote_cast(proposal=urgent, actor=bureau[0], vote="approve")
    later = urgent.vote_deadline + dt.timedelta(days=1)
    # A programme still running then (the 2015–2018 one would be history).
    type(urgent.work_programme).objects.filter(pk=urgent.work_programme_id).update(
        last_year=later.year
    )
    past = Meeting.objects.create(kind="pc_plenary", number=90, date=later - dt.timedelta(days=30))
    next_one = Meeting.objects.create(
        kind="pc_plenary", number=91, date=later + dt.timedelta(days=20)
    )
    assert services.bureau_votes_close_expired(today=urgent.vote_deadline) == 0  # still open
    assert services.bureau_votes_close_expired(today=later) == 1
    urgent.refresh_from_db()
    assert urgent.status == "deferred"
    decision = Decision.objects.get(proposal=urgent)
    assert (decision.outcome, decision.body, decision.meeting) == ("deferred", "bureau", next_one)
    assert decision.meeting != past
    assert "1 approve" in decision.rationale
    assert events_of(urgent).filter(kind="referred").exists()
    assert services.bureau_votes_close_expired(today=later) == 0  # idempotent
    with pytest.raises(DomainError, match="vote is closed"):
        services.bureau_vote_cast(proposal=urgent, actor=bureau[1], vote="approve")


def test_a_vote_of_a_programme_whose_period_ended_is_history_not_referred(bureau, urgent):
    services.bureau_vote_cast(proposal=urgent, actor=bureau[0], vote="approve")
    later = urgent.vote_deadline + dt.timedelta(days=1)
    Meeting.objects.create(kind="pc_plenary", number=91, date=later + dt.timedelta(days=20))
    assert urgent.work_programme.last_year < later.year  # 2015–2018, today
    assert services.bureau_votes_close_expired(today=later) == 0
    urgent.refresh_from_db()
    assert urgent.status == "bureau_vote"
    assert not Decision.objects.filter(proposal=urgent).exists()


def test_a_vote_decided_before_its_deadline_is_not_referred(bureau, urgent):
    for member in bureau[:5]:
        services.bureau_vote_cast(proposal=urgent, actor=member, vote="approve")
    later = urgent.vote_deadline + dt.timedelta(days=1)
    assert services.bureau_votes_close_expired(today=later) == 0
    urgent.refresh_from_db()
    assert urgent.status == "adopted"


def test_the_vote_page_takes_a_comment_and_answers_with_the_badge_out_of_band(bureau, urgent):
    from tests.conftest import client_for

    client = client_for(bureau[0])
    page = client.get("/en/proposals/urgent/").content.decode()
    assert "1 awaits your vote" in page
    assert 'name="comment"' in page
    response = client.post(
        f"/en/proposals/{urgent.pk}/vote/",
        {"vote": "approve", "comment": "Deaths reported: act now."},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert BureauVote.objects.get(voter=bureau[0]).comment == "Deaths reported: act now."
    assert 'id="pending-votes" data-testid="pending-votes" hx-swap-oob="true"' in html
    assert "awaits your vote" not in html  # the badge is now empty
    assert "Deaths reported: act now." in html


def test_the_votes_page_lists_the_decided_items_with_their_tally(bureau, urgent):
    from tests.conftest import client_for

    for member in bureau[:5]:
        services.bureau_vote_cast(proposal=urgent, actor=member, vote="approve")
    services_page = client_for(bureau[6]).get("/en/proposals/urgent/").content.decode()
    decided = services_page.split('data-testid="decided-list"')[1].split("</table>")[0]
    assert urgent.reference in decided
    assert "Adopted" in decided
    assert "<td>5</td><td>0</td><td>0</td>" in decided


def test_the_votes_page_reads_a_fixed_number_of_queries_for_open_and_decided_votes(
    bureau, pc_fr, programme
):
    """Nothing per card or per decided row: the same queries for 1 and for 4 of each."""
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import client_for

    def urgent_one(n):
        return submitted(
            pc_fr,
            programme,
            route="urgent",
            year=None,
            title=f"Urgent {n}",
            urgency_justification="Spreading fast.",
        )

    client = client_for(bureau[7])
    counts = []
    for size in (1, 4):
        while Proposal.objects.filter(status="bureau_vote").count() < size:
            open_one = urgent_one(Proposal.objects.count())
            services.bureau_vote_cast(proposal=open_one, actor=bureau[0], vote="abstain")
        while Proposal.objects.filter(status="adopted").count() < size:
            decided = urgent_one(Proposal.objects.count())
            for member in bureau[:5]:
                services.bureau_vote_cast(
                    proposal=decided, actor=member, vote="approve", comment="Yes."
                )
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/en/proposals/urgent/").content.decode()
        counts.append(len(queries))
        assert page.count('data-testid="vote-card"') == size
        assert page.count('data-testid="decided-row"') == size
    # 1 session, 2 user, 3–5 roles (groups, profile, mandates), 6 the current Bureau,
    # 7 the open votes with their counts, 8 their priorities, 9 their ballots, 10 the
    # decided ones, 11 their ballots, 12 their decisions, 13 the votes awaiting mine
    # (the badge), 14 the unread notices (the nav's Inbox), 15–17 the session's idle
    # timeout renewed (savepoint, update, release).
    assert counts == [17, 17], counts
