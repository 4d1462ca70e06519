"""A believable 2015–2018 record of activities and annual programmes (``load_demo``).

Each step runs at its date (``replay_at``): an activity is entered two months before
it starts, starts and ends on its dates, an annual programme is drafted in the
autumn before its year and adopted at its plenary."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from pompidou.lib.clock import replay_at
from programme.models import (
    BureauMandate,
    Meeting,
    MemberState,
    PermanentFormat,
    ThematicPriority,
    WorkProgramme,
)

from . import services
from .models import Activity

D = Decimal

# Which priorities each permanent format serves, who leads it, its yearly budget.
FORMATS = {
    "4.1": (["3.2"], None, D("45000")),
    "4.2": (["3.3", "3.4"], "NL", D("60000")),
    "4.3": (["3.3"], "FR", D("38000")),
    "4.4": (["3.1", "3.2"], None, D("52000")),
    "4.5": (["3.1", "3.3"], "MA", D("120000")),
    "4.6": (["3.2", "3.3"], "HR", D("40000")),
    "4.7": (["3.2"], "DE", D("30000")),
    "4.9": (["3.1", "3.3"], "PT", D("35000")),
}

# Time-limited activities: title, priorities, lead, start, end, budget.
TIME_LIMITED = [
    (
        "Human rights benchmarks for drug policies",
        ["3.1"],
        "NO",
        "2015-03-01",
        "2016-12-31",
        "42000",
    ),
    (
        "Opioid substitution treatment in prisons: a review of practice",
        ["3.1"],
        "CH",
        "2015-09-01",
        "2016-06-30",
        "28000",
    ),
    (
        "Gender-sensitive drug treatment services",
        ["3.1"],
        "SE",
        "2016-01-15",
        "2017-06-30",
        "33000",
    ),
    (
        "Costs and unintended consequences of drug control policies",
        ["3.2"],
        "PL",
        "2015-05-01",
        "2016-12-31",
        "47000",
    ),
    (
        "Policy coherence between demand and supply reduction",
        ["3.2"],
        "ES",
        "2017-01-01",
        "2018-06-30",
        "31000",
    ),
    (
        "New psychoactive substances: responses in changing environments",
        ["3.3"],
        "GB",
        "2015-02-01",
        "2016-03-31",
        "39000",
    ),
    (
        "Risk prevention and harm reduction in nightlife settings",
        ["3.3"],
        "BE",
        "2016-04-01",
        "2017-12-31",
        "26000",
    ),
    (
        "Treatment and social reintegration of young drug users",
        ["3.3"],
        "IT",
        "2017-03-01",
        "2018-12-31",
        "36000",
    ),
    (
        "Illicit drug markets on the darknet: training for law enforcement",
        ["3.4"],
        "DE",
        "2015-06-01",
        "2016-11-30",
        "44000",
    ),
    (
        "Online prevention and e-health tools: an inventory",
        ["3.4"],
        "FI",
        "2016-02-01",
        "2017-05-31",
        "24000",
    ),
    (
        "Cyber-crime, payment systems and drug trafficking",
        ["3.4"],
        "NL",
        "2017-04-01",
        "2018-12-31",
        "41000",
    ),
    (
        "Mainstreaming human rights in drug policy evaluation",
        ["3.1", "3.2"],
        "FR",
        "2018-01-01",
        "2018-12-31",
        "29000",
    ),
]

AD_HOC = [
    (
        "ad_hoc",
        "Drug-related deaths: an expert seminar",
        ["3.3"],
        "IE",
        "2016-06-01",
        "2016-11-30",
        "15000",
    ),
    (
        "ad_hoc",
        "Contribution to the UNGASS 2016 preparations",
        ["3.1", "3.2"],
        "NO",
        "2015-10-01",
        "2016-04-30",
        "20000",
    ),
    (
        "ad_hoc",
        "Cannabis regulation developments: a round table",
        ["3.2", "3.3"],
        "PT",
        "2017-09-01",
        "2017-12-15",
        "12000",
    ),
    (
        "urgent",
        "Fentanyl and synthetic opioids: rapid information exchange",
        ["3.3"],
        "SE",
        "2017-05-15",
        "2017-12-31",
        "18000",
    ),
    (
        "urgent",
        "Migrants and refugees: access to drug services",
        ["3.1"],
        "GR",
        "2016-02-15",
        "2016-10-31",
        "22000",
    ),
]

ANNUAL = {  # year: (ceiling, adopting meeting number or None for a draft)
    2015: (D("900000"), 75),
    2016: (D("950000"), 77),
    2017: (D("950000"), 79),
    2018: (D("500000"), None),  # a draft, over its ceiling
}

HR = (
    "The activity respects the rights of people who use drugs, including in detention, "
    "and avoids stigmatising language and practices."
)
GENDER = (
    "Data are collected by sex; women and men are represented among speakers and "
    "participants; gender-specific needs are addressed."
)


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


@transaction.atomic
def load_demo_activities() -> int:
    if Activity.objects.exists():
        return 0
    wp = WorkProgramme.objects.in_force().first()
    actor = get_user_model().objects.filter(username="secretariat").first()
    if wp is None or actor is None:
        return 0
    Meeting.objects.get_or_create(
        kind=Meeting.Kind.PC_PLENARY,
        number=75,
        defaults={"date": dt.date(2014, 11, 25), "place": "Strasbourg"},
    )
    prio = {p.number: p for p in ThematicPriority.objects.filter(work_programme=wp)}
    formats = {f.number: f for f in PermanentFormat.objects.filter(work_programme=wp)}
    states = {s.code: s for s in MemberState.objects.all()}
    supervisors = {}
    for mandate in BureauMandate.objects.prefetch_related(
        "supervised_formats", "supervised_priorities"
    ):
        for f in mandate.supervised_formats.all():
            supervisors[f.number] = mandate.user
        for p in mandate.supervised_priorities.all():
            supervisors.setdefault(p.number, mandate.user)

    created: list[Activity] = []
    by_year: dict[int, list[Activity]] = {y: [] for y in ANNUAL}

    def make(title, numbers, lead, start, end, budget, route="annual", fmt=None, **extra):
        with replay_at(start - dt.timedelta(days=60)):
            activity = services.activity_create(
                actor=actor,
                title=title,
                work_programme=wp,
                permanent_format=fmt,
                adoption_route=route,
                thematic_priorities=[prio[n] for n in numbers],
                lead_member_state=states.get(lead) if lead else None,
                participating_states=[
                    s
                    for c, s in states.items()
                    if c in ("FR", "DE", "IT", "ES", "PL", "NO", "MA", "PT")
                ][: 3 + len(title) % 4],
                supervisor=supervisors.get(fmt.number if fmt else numbers[0]),
                start_date=start,
                end_date=end,
                planned_budget=D(budget),
                description=extra.pop(
                    "description",
                    f"{title}: exchanges of experience, an expert meeting and a written output for the member States.",
                ),
                expected_results=extra.pop(
                    "expected_results",
                    "A report with recommendations; a seminar for practitioners.",
                ),
                human_rights_considerations=HR,
                gender_considerations=GENDER,
                ungass_relevance="Findings fed into the UNGASS 2016 follow-up."
                if start.year <= 2016
                else "",
                terms_of_reference=f"Terms of reference adopted with the activity ({start.year}).",
            )
        created.append(activity)
        return activity

    for number, (numbers, lead, yearly_budget) in FORMATS.items():
        fmt = formats[number]
        for year in range(2015, 2019):
            a = make(
                f"{fmt.short_name or fmt.name} {year}",
                numbers,
                lead,
                dt.date(year, 1, 1),
                dt.date(year, 12, 31),
                yearly_budget + 1000 * (year - 2015),
                fmt=fmt,
                expected_results="\n".join(fmt.expected_results.values_list("text", flat=True)),
            )
            by_year[year].append(a)
    cj = make(
        "Criminal justice responses to drug dependent prisoners (Eastern Partnership)",
        ["3.1"],
        None,
        dt.date(2015, 3, 1),
        dt.date(2017, 12, 31),
        "210000",
        fmt=formats["4.8"],
    )
    for year in (2015, 2016, 2017):
        by_year[year].append(cj)
    for title, numbers, lead, start, end, budget in TIME_LIMITED:
        a = make(title, numbers, lead, _date(start), _date(end), budget)
        for year in a.years:
            by_year[year].append(a)
    for route, title, numbers, lead, start, end, budget in AD_HOC:
        make(title, numbers, lead, _date(start), _date(end), budget, route=route)

    # Milestones: a terms-of-reference step and a final report for each activity
    # that is not a yearly format; some of 2018 are overdue.
    for a in created:
        if a.permanent_format and a.permanent_format.kind == "permanent":
            continue
        with replay_at(a.start_date - dt.timedelta(days=60)):
            services.milestone_add(
                activity=a,
                actor=actor,
                title="Terms of reference agreed",
                due_date=a.start_date + dt.timedelta(days=45),
            )
            services.milestone_add(
                activity=a, actor=actor, title="Final report circulated", due_date=a.end_date
            )

    # Statuses as they stood at the end of 2018: past activities completed, the
    # running ones ongoing, one suspended, one cancelled.
    for a in created:
        with replay_at(a.start_date):
            services.activity_change_status(activity=a, actor=actor, status="ongoing")
        for m in a.milestones.all():
            if m.due_date.year < 2018:
                with replay_at(m.due_date):
                    services.milestone_set_done(milestone=m, actor=actor)
        if a.end_date.year < 2018:
            with replay_at(a.end_date, hour=17):
                services.activity_change_status(activity=a, actor=actor, status="completed")
    suspended = next(a for a in created if a.title.startswith("Treatment and social"))
    with replay_at(dt.date(2018, 6, 15)):
        services.activity_change_status(
            activity=suspended,
            actor=actor,
            status="suspended",
            comment="Lead expert unavailable; resumes after the summer.",
        )

    # Annual programmes: 2015–2017 adopted, 2018 a draft.
    for year, (ceiling, meeting_number) in ANNUAL.items():
        with replay_at(dt.date(year - 1, 10, 1)):
            ap = services.annual_programme_create(
                actor=actor, work_programme=wp, year=year, budget_ceiling=ceiling
            )
        for a in sorted(by_year[year], key=lambda x: x.reference):
            share = (
                a.planned_budget / len(a.years)
                if a.permanent_format is None or a.permanent_format.kind != "permanent"
                else a.planned_budget
            )
            with replay_at(dt.date(year - 1, 10, 15)):
                services.annual_programme_add_activity(
                    annual_programme=ap, activity=a, actor=actor, budget=share.quantize(D("1"))
                )
        if meeting_number:
            meeting = Meeting.objects.get(kind=Meeting.Kind.PC_PLENARY, number=meeting_number)
            with replay_at(meeting.date, hour=16):
                services.annual_programme_adopt(annual_programme=ap, actor=actor, meeting=meeting)
    return len(created)
