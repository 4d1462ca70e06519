"""Generated activities with their priorities, states, milestones and annual
programmes (entries near each year's ceiling)."""

import datetime as dt
import random
from decimal import Decimal

from activities.models import Activity, AnnualProgramme, AnnualProgrammeEntry, Milestone

from . import vocabulary as words
from .bulk import insert, insert_links, moment
from .programmes import FIRST_YEAR, LAST_YEAR, Frame

S = Activity.Status
R = Activity.Route
FRENCH = 0.15


def _year_counts(n: int) -> dict[int, int]:
    """``n`` activities over the years, a few more each year (largest remainders)."""
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    weights = [1 + 0.06 * (y - FIRST_YEAR) for y in years]
    total = sum(weights)
    shares = [n * w / total for w in weights]
    counts = {y: int(s) for y, s in zip(years, shares, strict=True)}
    rest = n - sum(counts.values())
    by_remainder = sorted(years, key=lambda y: shares[y - FIRST_YEAR] % 1, reverse=True)
    for y in by_remainder[:rest]:
        counts[y] += 1
    return counts


def _dates(rng: random.Random, year: int, permanent: bool) -> tuple[dt.date, dt.date]:
    if permanent and rng.random() < 0.7:  # a format's yearly run
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    return start, start + dt.timedelta(days=rng.randrange(60, 730))


def _status(rng: random.Random, start: dt.date, end: dt.date, today: dt.date) -> str:
    r = rng.random()
    if end < today:
        return S.COMPLETED if r < 0.86 else S.CANCELLED if r < 0.96 else S.SUSPENDED
    if start <= today:
        return (
            S.ONGOING
            if r < 0.78
            else S.SUSPENDED
            if r < 0.88
            else S.PLANNED
            if r < 0.96
            else S.CANCELLED
        )
    return S.PLANNED if r < 0.94 else S.CANCELLED


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low // 500, high // 500) * 500)


def build_activity(rng: random.Random, frame: Frame, year: int, today: dt.date) -> Activity:
    wp = frame.programme_of(year)
    fmt = rng.choice(frame.formats[wp.pk]) if rng.random() < 0.7 else None
    start, end = _dates(rng, year, fmt is not None)
    status = _status(rng, start, end, today)
    r = rng.random()
    route = R.ANNUAL if r < 0.6 else R.AD_HOC if r < 0.92 else R.URGENT
    budget = _money(rng, 5_000, 250_000)
    if status == S.COMPLETED:
        spent = (budget * Decimal(rng.randrange(70, 106)) / 100).quantize(Decimal("1"))
    elif status in (S.ONGOING, S.SUSPENDED):
        spent = (budget * Decimal(rng.randrange(5, 80)) / 100).quantize(Decimal("1"))
    else:
        spent = Decimal("0")
    french = rng.random() < FRENCH
    stated = status != S.PLANNED or rng.random() < 0.6
    entered = start - dt.timedelta(days=rng.randrange(20, 90))
    touched = min(today, max(entered, end if end < today else start))
    return Activity(
        title=words.title(rng, french)[:300],
        description=words.description(rng, french, rng.randrange(2, 6)),
        work_programme_id=wp.pk,
        permanent_format_id=fmt,
        adoption_route=route,
        lead_member_state_id=rng.choice(frame.states) if rng.random() < 0.8 else None,
        supervisor_id=rng.choice(frame.bureau)[0] if frame.bureau and rng.random() < 0.5 else None,
        start_date=start,
        end_date=end,
        carried_over=end.year > wp.last_year,
        status=status,
        planned_budget=budget,
        spent=spent,
        terms_of_reference=words.description(rng, False, 2) if rng.random() < 0.5 else "",
        expected_results=words.pick(rng, words.RESULTS_EN, rng.randrange(1, 3)),
        human_rights_considerations=words.pick(rng, words.HUMAN_RIGHTS_EN) if stated else "",
        gender_considerations=words.pick(rng, words.GENDER_EN) if stated else "",
        ungass_relevance="Operational recommendations on health and human rights."
        if rng.random() < 0.3
        else "",
        created_at=moment(min(entered, today)),
        updated_at=moment(touched, 16),
    )


def generate_activities(rng: random.Random, frame: Frame, n: int, today: dt.date) -> list[Activity]:
    """``n`` activities, references PG-<start year>-<nnn> in order of their start."""
    activities = []
    for year, count in _year_counts(n).items():
        batch = [build_activity(rng, frame, year, today) for _ in range(count)]
        batch.sort(key=lambda a: a.start_date)
        for number, activity in enumerate(batch, start=1):
            activity.reference = f"PG-{year}-{number:03d}"
        activities.extend(batch)
    activities = insert(activities)
    _links(rng, frame, activities)
    _milestones(rng, activities, today)
    return activities


def _links(rng: random.Random, frame: Frame, activities: list[Activity]) -> None:
    priorities, states = [], []
    for a in activities:
        pool = frame.priorities[a.work_programme_id]
        for p in rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 2, 3)))):
            priorities.append((a.pk, p))
        k = rng.choice((0, 0, 1, 2, 3, 4, 6, 9))
        for s in rng.sample(frame.states, k):
            if s != a.lead_member_state_id:
                states.append((a.pk, s))
    insert_links(Activity.thematic_priorities.through, priorities, "activity", "thematicpriority")
    insert_links(Activity.participating_states.through, states, "activity", "memberstate")


def _milestones(rng: random.Random, activities: list[Activity], today: dt.date) -> None:
    rows = []
    for a in activities:
        span = (a.end_date - a.start_date).days
        for title in rng.sample(words.MILESTONES_EN, rng.randrange(1, 5)):
            due = a.start_date + dt.timedelta(days=rng.randrange(span + 1))
            if due >= today or a.status == S.PLANNED:
                done = False
            elif a.status == S.COMPLETED:
                done = True
            else:
                done = rng.random() < 0.75
            rows.append(Milestone(activity_id=a.pk, title=title, due_date=due, done=done))
    insert(rows)


def generate_annual_programmes(
    rng: random.Random, frame: Frame, activities: list[Activity], today: dt.date
) -> list[AnnualProgramme]:
    """One annual programme a year: adopted at the autumn plenary before its year, the
    current year's still a draft; its entries are the year's annual-route activities
    (not cancelled) with their share of the budget, the ceiling just above the total
    (a few years just over it)."""
    plenaries = {m.date.year: m for m in frame.pc_meetings if m.date.month >= 9}
    last = LAST_YEAR
    by_year: dict[int, list[tuple[int, Decimal]]] = {}
    for a in activities:
        if a.adoption_route != R.ANNUAL or a.status == S.CANCELLED:
            continue
        years = range(a.start_date.year, min(a.end_date.year, last) + 1)
        share = (a.planned_budget / len(years)).quantize(Decimal("1"))
        for y in years:
            by_year.setdefault(y, []).append((a.pk, share))
    programmes = []
    for year in range(FIRST_YEAR, last + 1):
        total = sum((b for _, b in by_year.get(year, [])), Decimal("0"))
        factor = Decimal(rng.randrange(97, 106)) / 100
        ceiling = (total * factor / 1000).quantize(Decimal("1")) * 1000
        meeting = plenaries.get(year - 1)
        adopted = year < today.year and meeting is not None
        programmes.append(
            AnnualProgramme(
                work_programme_id=frame.programme_of(year).pk,
                year=year,
                status=AnnualProgramme.Status.ADOPTED if adopted else AnnualProgramme.Status.DRAFT,
                budget_ceiling=ceiling,
                adopting_meeting=meeting if adopted else None,
                adopted_on=meeting.date if adopted and meeting else None,
                created_at=moment(dt.date(year - 1, 9, 15)),
                updated_at=moment(
                    meeting.date if adopted and meeting else dt.date(year - 1, 10, 1)
                ),
            )
        )
    programmes = insert(programmes)
    entries = [
        AnnualProgrammeEntry(annual_programme_id=ap.pk, activity_id=pk, budget=budget)
        for ap in programmes
        for pk, budget in by_year.get(ap.year, [])
    ]
    insert(entries)
    return programmes
