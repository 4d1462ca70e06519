"""The frame of the generated record: the programme and member states (loaded when
absent), four work programmes covering 2011–2026 (the loaded one and three copies of
its structure), the plenaries and Bureau meetings of those years, and accounts for
every role."""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models

from programme.demo import load_demo_accounts
from programme.models import (
    AdoptionCriterion,
    BureauMandate,
    FormatAim,
    FormatExpectedResult,
    FormatObjective,
    Meeting,
    MemberState,
    PermanentFormat,
    PriorityAim,
    ProgrammeAim,
    ThematicPriority,
    WorkProgramme,
)
from programme.services import account_create

FIRST_YEAR, LAST_YEAR = 2011, 2026
# The loaded programme is 2015–2018; the others copy its structure for their years.
PERIODS = [(2011, 2014), (2015, 2018), (2019, 2022), (2023, 2026)]
EXTRA_EXPERTS = 6


@dataclass
class Frame:
    """What the activities and proposals are generated against."""

    programmes: dict[int, WorkProgramme]  # by first year
    priorities: dict[int, list[int]]  # WP id → priority ids
    formats: dict[int, list[int]]  # WP id → format ids
    criteria: dict[int, list[int]]  # WP id → ids of the scored criteria
    states: list[int]
    correspondents: dict[int, int]  # member state id → a correspondent's user id
    bureau: list[tuple[int, int]]  # (user id, member state id)
    experts: list[int]
    secretariat: int
    pc_meetings: list[Meeting] = field(default_factory=list)
    bureau_meetings: list[Meeting] = field(default_factory=list)

    def programme_of(self, year: int) -> WorkProgramme:
        first = max(f for f in self.programmes if f <= max(year, FIRST_YEAR))
        return self.programmes[first]


def _copy_values(obj: models.Model, skip: set[str]) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.name not in skip
    }


def _clone_children(
    source: models.Model,
    target: models.Model,
    model: type[models.Model],
    fk: str,
    children: tuple[tuple[type[models.Model], str], ...] = (),
) -> None:
    """Copy ``model`` rows of ``source`` (FK ``fk``) to ``target``, then their own
    children (model, fk) pairs, generically over the concrete fields (the translated
    columns included)."""
    for row in model._default_manager.filter(**{fk: source}).order_by("pk"):
        copy = model._default_manager.create(**_copy_values(row, {fk}), **{fk: target})
        for child_model, child_fk in children:
            _clone_children(row, copy, child_model, child_fk)


def _clone_programme(source: WorkProgramme, first: int, last: int, status: str) -> WorkProgramme:
    values = _copy_values(source, {"reference", "adopting_meeting", "created_at", "updated_at"})
    old = f"{source.first_year}–{source.last_year}"
    for key, value in list(values.items()):
        if isinstance(value, str) and old in value:
            values[key] = value.replace(old, f"{first}–{last}")
    values.update(
        first_year=first,
        last_year=last,
        status=status,
        adopted_on=dt.date(first - 1, 11, 20),
        conference_start=dt.date(first - 1, 11, 19),
        conference_number=(source.conference_number or 16) + (first - source.first_year) // 4,
    )
    wp = WorkProgramme.objects.create(reference=f"P-PG/MinConf ({first - 1}) 4", **values)
    _clone_children(source, wp, ProgrammeAim, "work_programme")
    _clone_children(source, wp, ThematicPriority, "work_programme", ((PriorityAim, "priority"),))
    _clone_children(
        source,
        wp,
        PermanentFormat,
        "work_programme",
        ((FormatAim, "format"), (FormatObjective, "format"), (FormatExpectedResult, "format")),
    )
    PermanentFormat.objects.filter(work_programme=wp, first_year__isnull=False).update(
        first_year=first, last_year=last
    )
    _clone_children(source, wp, AdoptionCriterion, "work_programme")
    return wp


def _programmes(today: dt.date) -> dict[int, WorkProgramme]:
    if not WorkProgramme.objects.exists():
        call_command("load_work_programme", stdout=io.StringIO())
    loaded = WorkProgramme.objects.order_by("first_year").first()
    assert loaded is not None
    by_first = {wp.first_year: wp for wp in WorkProgramme.objects.all()}
    current = max(first for first, last in PERIODS if first <= today.year)
    for first, last in PERIODS:
        if first in by_first:
            continue
        by_first[first] = _clone_programme(loaded, first, last, WorkProgramme.Status.CLOSED)
    # One programme in force: the one whose period holds today (the others closed).
    WorkProgramme.objects.exclude(pk=by_first[current].pk).update(
        status=WorkProgramme.Status.CLOSED
    )
    WorkProgramme.objects.filter(pk=by_first[current].pk).update(
        status=WorkProgramme.Status.IN_FORCE
    )
    return {first: WorkProgramme.objects.get(pk=wp.pk) for first, wp in by_first.items()}


def _meetings(today: dt.date) -> tuple[list[Meeting], list[Meeting]]:
    """Two plenaries a year (numbered as the real ones: the 76th in May 2015) and four
    Bureau meetings a year, from the year before the first programme to the last."""
    existing = set(Meeting.objects.values_list("kind", "number"))
    rows = []
    for year in range(FIRST_YEAR - 1, LAST_YEAR + 1):
        for i, (month, day) in enumerate([(5, 20), (11, 25)]):
            number = 76 + (year - 2015) * 2 + i
            rows.append((Meeting.Kind.PC_PLENARY, number, dt.date(year, month, day)))
        for i, month in enumerate([2, 4, 9, 12]):
            number = (year - FIRST_YEAR + 1) * 4 + i + 1
            rows.append((Meeting.Kind.BUREAU, number, dt.date(year, month, 10)))
    Meeting.objects.bulk_create(
        [
            Meeting(
                kind=kind,
                number=number,
                date=day,
                end_date=day + dt.timedelta(days=1) if kind == Meeting.Kind.PC_PLENARY else None,
                status=Meeting.Status.CLOSED if day < today else Meeting.Status.PLANNED,
            )
            for kind, number, day in rows
            if (kind, number) not in existing
        ]
    )
    pc = list(Meeting.objects.filter(kind=Meeting.Kind.PC_PLENARY).order_by("date"))
    bureau = list(Meeting.objects.filter(kind=Meeting.Kind.BUREAU).order_by("date"))
    return pc, bureau


def _accounts(states: list[MemberState], current: WorkProgramme) -> None:
    """The demo accounts (every role, the Bureau's supervision in the programme in
    force), a correspondent for each other member state and a few more experts."""
    load_demo_accounts()
    User = get_user_model()
    taken = set(User.objects.values_list("username", flat=True))
    for state in states:
        username = f"pc_{state.code.lower()}"
        if username not in taken:
            account_create(username=username, role="correspondent", member_state_code=state.code)
    for n in range(1, EXTRA_EXPERTS + 1):
        if f"expert_{n}" not in taken:
            account_create(username=f"expert_{n}", role="expert")


def build_frame(today: dt.date) -> Frame:
    if not MemberState.objects.exists():
        call_command("load_member_states", stdout=io.StringIO())
    programmes = _programmes(today)
    states = list(MemberState.objects.order_by("code"))
    current = next(wp for wp in programmes.values() if wp.status == WorkProgramme.Status.IN_FORCE)
    _accounts(states, current)
    pc, bureau_meetings = _meetings(today)
    User = get_user_model()
    correspondents: dict[int, int] = {}
    for user_id, state_id in (
        User.objects.filter(groups__name="correspondent", profile__member_state__isnull=False)
        .values_list("id", "profile__member_state_id")
        .order_by("username")
    ):
        correspondents.setdefault(state_id, user_id)
    bureau = list(
        BureauMandate.objects.current(today)
        .order_by("user__username")
        .values_list("user_id", "user__profile__member_state_id")
    )
    wp_ids = [wp.pk for wp in programmes.values()]
    return Frame(
        programmes=programmes,
        priorities=_ids_by_programme(ThematicPriority, wp_ids),
        formats=_ids_by_programme(PermanentFormat, wp_ids),
        criteria=_ids_by_programme(AdoptionCriterion.objects.filter(computed=False), wp_ids),
        states=[s.pk for s in states],
        correspondents=correspondents,
        bureau=bureau,
        experts=list(
            User.objects.filter(groups__name="expert")
            .order_by("username")
            .values_list("id", flat=True)
        ),
        secretariat=User.objects.filter(groups__name="secretariat")
        .order_by("username")
        .values_list("id", flat=True)[0],
        pc_meetings=pc,
        bureau_meetings=bureau_meetings,
    )


def _ids_by_programme(
    model_or_qs: type[models.Model] | models.QuerySet, wp_ids: list[int]
) -> dict[int, list[int]]:
    qs = (
        model_or_qs
        if isinstance(model_or_qs, models.QuerySet)
        else model_or_qs._default_manager.all()
    )
    out: dict[int, list[int]] = {pk: [] for pk in wp_ids}
    for pk, wp_id in (
        qs.filter(work_programme_id__in=wp_ids)
        .order_by("pk")
        .values_list("pk", "work_programme_id")
    ):
        out[wp_id].append(pk)
    return out
