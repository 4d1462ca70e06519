"""Generated proposals in every state of their workflow, with supports, assessments
and their criterion scores, decisions and the Bureau's votes. An adopted proposal
takes the place of an activity's origin: it is linked to an activity of its route that
starts after it, and carries that activity's title, dates and cost."""

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from activities.models import Activity
from proposals.models import (
    Assessment,
    BureauVote,
    CriterionScore,
    Decision,
    Proposal,
    Support,
)

from . import vocabulary as words
from .bulk import insert, insert_links, moment
from .programmes import FIRST_YEAR, Frame

P = Proposal.Status
FINAL = [(P.ADOPTED, 45), (P.REJECTED, 30), (P.WITHDRAWN, 25)]
RECENT = [
    (P.DRAFT, 15),
    (P.SUBMITTED, 14),
    (P.UNDER_ASSESSMENT, 20),
    (P.BUREAU_VOTE, 5),
    (P.ADOPTED, 20),
    (P.REJECTED, 10),
    (P.DEFERRED, 9),
    (P.WITHDRAWN, 7),
]
HALVES = [Decimal(n) / 2 for n in range(2, 11)]


def _weighted(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    return rng.choices([s for s, _ in table], weights=[w for _, w in table])[0]


def _year(start: dt.date, last: int, status: str, today: dt.date) -> int:
    """The annual programme asked for: the start's year within the programme's period;
    an open proposal asks for the current year's programme (the draft) at the
    earliest."""
    year = min(start.year, last)
    if status in (P.SUBMITTED, P.UNDER_ASSESSMENT, P.DEFERRED, P.DRAFT):
        year = max(year, min(today.year, last))
    return year


def _pool(rng: random.Random, activities: list[Activity]) -> dict[tuple[str, int], list[Activity]]:
    pool: dict[tuple[str, int], list[Activity]] = {}
    for a in activities:
        pool.setdefault((a.adoption_route, a.start_date.year), []).append(a)
    for items in pool.values():
        rng.shuffle(items)
    return pool


def _build(
    rng: random.Random,
    frame: Frame,
    created: dt.date,
    today: dt.date,
    pool: dict[tuple[str, int], list[Activity]],
    status: str | None = None,
) -> Proposal:
    recent = created.year >= today.year - 1
    status = status or _weighted(rng, RECENT if recent else FINAL)
    r = rng.random()
    route = "annual" if r < 0.6 else "ad_hoc" if r < 0.9 else "urgent"
    if status == P.BUREAU_VOTE:
        route = "urgent"
    elif route == "urgent" and status in (P.UNDER_ASSESSMENT, P.DEFERRED):
        route = "ad_hoc"
    wp = frame.programme_of(created.year)
    state = rng.choice(frame.states)
    french = rng.random() < 0.15
    start = created + dt.timedelta(days=rng.randrange(60, 400))
    proposal = Proposal(
        work_programme_id=wp.pk,
        member_state_id=state,
        proposer_id=frame.correspondents.get(state, frame.secretariat),
        title=words.title(rng, french)[:300],
        scope=words.description(rng, french, 2),
        purpose=words.description(rng, french, 2),
        expected_outcome=words.pick(rng, words.RESULTS_EN, 2),
        start_date=start,
        end_date=start + dt.timedelta(days=rng.randrange(60, 700)),
        permanent_format_id=rng.choice(frame.formats[wp.pk]) if rng.random() < 0.6 else None,
        estimated_cost=Decimal(rng.randrange(10, 500) * 500),
        route=route,
        year=_year(start, wp.last_year, status, today) if route == "annual" else None,
        urgency_justification="A sudden rise in overdoses calls for action now."
        if route == "urgent"
        else "",
        human_rights_statement=words.pick(rng, words.HUMAN_RIGHTS_EN),
        gender_statement=words.pick(rng, words.GENDER_EN),
        status=status,
        created_at=moment(created),
        updated_at=moment(created),
    )
    if status != P.DRAFT:
        proposal.submitted_at = moment(
            min(today, created + dt.timedelta(days=rng.randrange(1, 30)))
        )
        if route == "urgent":
            proposal.vote_deadline = proposal.submitted_at.date() + dt.timedelta(days=14)
        else:
            proposal.support_deadline = proposal.submitted_at.date() + dt.timedelta(days=42)
    if status == P.ADOPTED:
        candidates = pool.get((route, created.year + 1)) or pool.get((route, created.year))
        if candidates:
            a = candidates.pop()
            proposal.activity_id = a.pk
            proposal.title, proposal.start_date, proposal.end_date = (
                a.title,
                a.start_date,
                a.end_date,
            )
            proposal.permanent_format_id = a.permanent_format_id
            proposal.estimated_cost = a.planned_budget
            proposal.year = a.start_date.year if route == "annual" else None
        else:
            proposal.status = P.REJECTED
    return proposal


def generate_proposals(
    rng: random.Random, frame: Frame, activities: list[Activity], m: int, today: dt.date
) -> dict[str, int]:
    pool = _pool(rng, activities)
    span = (today - dt.date(FIRST_YEAR, 1, 1)).days
    created = sorted(
        dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(span)) for _ in range(m)
    )
    # The latest ones take every state in turn, so that even a small record has them all.
    forced = [None] * max(0, m - len(RECENT)) + [s for s, _ in RECENT][max(0, len(RECENT) - m) :]
    proposals = [
        _build(rng, frame, day, today, pool, status)
        for day, status in zip(created, forced, strict=True)
    ]
    numbers: dict[int, int] = {}
    for p in proposals:
        year = p.created_at.year
        numbers[year] = numbers.get(year, 0) + 1
        p.reference = f"PR-{year}-{numbers[year]:04d}"
    proposals = insert(proposals)
    links = []
    for p in proposals:
        pool_ids = frame.priorities[p.work_programme_id]
        for pk in rng.sample(pool_ids, min(len(pool_ids), rng.randrange(1, 3))):
            links.append((p.pk, pk))
    insert_links(Proposal.thematic_priorities.through, links, "proposal", "thematicpriority")
    counts = {
        "proposals": len(proposals),
        "proposals_adopted": sum(p.status == P.ADOPTED for p in proposals),
    }
    counts.update(_around(rng, frame, proposals, today))
    return counts


def _around(rng: random.Random, frame: Frame, proposals: list[Proposal], today: dt.date) -> dict:
    supports, assessments, decisions, votes = [], [], [], []
    assessors = frame.experts + [u for u, _ in frame.bureau]
    for p in proposals:
        if p.status == P.DRAFT or p.submitted_at is None:
            continue
        submitted = p.submitted_at.date()
        if p.route != "urgent":
            others = [s for s in frame.states if s != p.member_state_id]
            for s in rng.sample(others, rng.choice((0, 1, 1, 2, 3, 4))):
                day = min(today, submitted + dt.timedelta(days=rng.randrange(1, 40)))
                supports.append(
                    Support(
                        proposal_id=p.pk,
                        member_state_id=s,
                        supporter_id=frame.correspondents.get(s),
                        created_at=moment(day),
                    )
                )
        decided = p.status in (P.ADOPTED, P.REJECTED, P.DEFERRED)
        if p.route != "urgent" and (decided or p.status == P.UNDER_ASSESSMENT):
            for user in rng.sample(assessors, min(len(assessors), rng.randrange(2, 4))):
                done = decided or rng.random() < 0.5
                due = submitted + dt.timedelta(days=rng.randrange(20, 60))
                at = moment(min(today, due - dt.timedelta(days=rng.randrange(0, 15))))
                assessments.append(
                    Assessment(
                        proposal_id=p.pk,
                        assessor_id=user,
                        assigned_by_id=frame.secretariat,
                        status="submitted" if done else "draft",
                        submitted_at=at if done else None,
                        due_date=due,
                        created_at=moment(submitted),
                        updated_at=at,
                    )
                )
        if p.route == "urgent" and p.status in (P.BUREAU_VOTE, P.ADOPTED, P.REJECTED):
            votes.extend(_votes(rng, frame, p))
        if decided:
            decisions.extend(_decisions(rng, frame, p, today))
    insert(supports)
    assessments = insert(assessments)
    criteria = frame.criteria
    wp_of = {p.pk: p.work_programme_id for p in proposals}
    scores = [
        CriterionScore(
            assessment_id=a.pk,
            criterion_id=c,
            score=rng.choice(HALVES),
            comment="Clear objectives." if rng.random() < 0.2 else "",
        )
        for a in assessments
        if a.status == "submitted"
        for c in criteria[wp_of[a.proposal_id]]
    ]
    insert(scores)
    insert(decisions)
    insert(votes)
    return {
        "supports": len(supports),
        "assessments": len(assessments),
        "criterion_scores": len(scores),
        "decisions": len(decisions),
        "bureau_votes": len(votes),
    }


def _votes(rng: random.Random, frame: Frame, p: Proposal) -> list[BureauVote]:
    out = []
    assert p.submitted_at is not None  # a vote follows the submission
    voted = p.submitted_at
    majority = {"adopted": "approve", "rejected": "reject"}.get(p.status)
    for user, state in frame.bureau:
        if state == p.member_state_id:
            vote = "recused"
        elif majority:
            vote = majority if rng.random() < 0.8 else rng.choice(["approve", "reject", "abstain"])
        elif rng.random() < 0.5:
            vote = rng.choice(["approve", "reject", "abstain"])
        else:
            continue
        out.append(BureauVote(proposal_id=p.pk, voter_id=user, vote=vote, updated_at=voted))
    return out


def _decisions(rng: random.Random, frame: Frame, p: Proposal, today: dt.date) -> list[Decision]:
    assert p.submitted_at is not None
    submitted = p.submitted_at.date()
    if p.route == "urgent":
        assert p.vote_deadline is not None
        day = min(today, p.vote_deadline)
        return [
            Decision(
                proposal_id=p.pk,
                outcome=p.status,
                body="bureau",
                decided_on=day,
                created_at=moment(day),
            )
        ]
    plenaries = [
        m for m in frame.pc_meetings if submitted + dt.timedelta(days=45) <= m.date <= today
    ]
    out = []
    outcomes = [p.status]
    if p.status != P.DEFERRED and rng.random() < 0.1:
        outcomes.insert(0, P.DEFERRED)
    for i, outcome in enumerate(outcomes):
        meeting = plenaries[i] if i < len(plenaries) else None
        out.append(
            Decision(
                proposal_id=p.pk,
                outcome=outcome,
                body="pc",
                meeting_id=meeting.pk if meeting else None,
                decided_on=meeting.date if meeting else today,
                rationale="Meets the criteria of section 2.2." if outcome == "adopted" else "",
                recorded_by_id=frame.secretariat,
                created_at=moment(meeting.date if meeting else today),
            )
        )
    return out
