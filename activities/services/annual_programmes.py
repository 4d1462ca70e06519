"""Annual programmes of activities: started, filled, capped, adopted, rolled over."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pompidou import audit
from pompidou.errors import DomainError
from pompidou.rules import require
from pompidou.tombstones import touch
from programme.models import Meeting, WorkProgramme

from .. import permissions, visibility
from ..models import Activity, AnnualProgramme, AnnualProgrammeEntry
from ..workflow import ANNUAL_PROGRAMME_WORKFLOW

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _lock_draft(annual_programme: AnnualProgramme) -> AnnualProgramme:
    """The programme's row, locked, if it is still a draft (its entries may change)."""
    ap = AnnualProgramme.objects.select_for_update().get(pk=annual_programme.pk)
    require(permissions.annual_programme_is_open(ap))
    return ap


@transaction.atomic
def annual_programme_create(
    *,
    actor: User,
    work_programme: WorkProgramme,
    year: int,
    budget_ceiling: Decimal = Decimal("0"),
) -> AnnualProgramme:
    require(permissions.can_manage_annual_programmes(actor))
    errors = {}
    if year not in work_programme.years:
        errors["year"] = [
            _("%(year)s is outside the work programme %(first)s–%(last)s.")
            % {"year": year, "first": work_programme.first_year, "last": work_programme.last_year}
        ]
    elif AnnualProgramme.objects.filter(year=year).exists():
        errors["year"] = [_("An annual programme for %(year)s already exists.") % {"year": year}]
    if budget_ceiling is None or Decimal(budget_ceiling) < 0:
        errors["budget_ceiling"] = [_("The budget ceiling cannot be negative.")]
    if errors:
        raise DomainError(errors)
    try:
        with transaction.atomic():
            ap = AnnualProgramme.objects.create(
                work_programme=work_programme, year=year, budget_ceiling=budget_ceiling
            )
    except IntegrityError as exc:  # two people creating the same year at once
        raise DomainError(
            _("An annual programme for %(year)s already exists.") % {"year": year}, field="year"
        ) from exc
    audit.record(
        ap, audit.Kind.CREATED, actor, changes={"budget_ceiling": [None, Decimal(budget_ceiling)]}
    )
    return ap


@transaction.atomic
def annual_programme_set_ceiling(
    *, annual_programme: AnnualProgramme, actor: User, budget_ceiling: Decimal
) -> AnnualProgramme:
    require(permissions.can_manage_annual_programmes(actor))
    ap = _lock_draft(annual_programme)
    if budget_ceiling is None or Decimal(budget_ceiling) < 0:
        raise DomainError(_("The budget ceiling cannot be negative."), field="budget_ceiling")
    old = ap.budget_ceiling
    ap.budget_ceiling = budget_ceiling
    ap.save(update_fields=["budget_ceiling", "updated_at"])
    audit.record(
        ap,
        audit.Kind.UPDATED,
        actor,
        changes={"budget_ceiling": [old, Decimal(budget_ceiling)]},
    )
    return ap


@transaction.atomic
def annual_programme_add_activity(
    *,
    annual_programme: AnnualProgramme,
    activity: Activity,
    actor: User,
    budget: Decimal | None = None,
) -> AnnualProgrammeEntry:
    """Put an activity in a draft annual programme with its budget for that year."""
    require(permissions.can_manage_annual_programmes(actor))
    return _add_entry(
        annual_programme=annual_programme, activity=activity, actor=actor, budget=budget
    )


@transaction.atomic
def annual_programme_add_adopted(
    *, activity: Activity, year: int, actor: User | None, budget: Decimal | None = None
) -> AnnualProgrammeEntry:
    """Enter an adopted proposal's activity in that year's draft annual programme
    (started, with no ceiling yet, if the year has none). Checked by the caller."""
    ap = AnnualProgramme.objects.filter(year=year).first()
    if ap is None:
        ap = AnnualProgramme.objects.create(work_programme=activity.work_programme, year=year)
        audit.record(
            ap, audit.Kind.CREATED, actor, changes={"budget_ceiling": [None, Decimal("0")]}
        )
    return _add_entry(annual_programme=ap, activity=activity, actor=actor, budget=budget)


def _add_entry(
    *,
    annual_programme: AnnualProgramme,
    activity: Activity,
    actor: User | None,
    budget: Decimal | None,
) -> AnnualProgrammeEntry:
    ap = _lock_draft(annual_programme)
    budget = activity.planned_budget if budget is None else Decimal(budget)
    errors = {}
    if activity.work_programme_id != ap.work_programme_id:
        errors["activity"] = [_("The activity belongs to another work programme.")]
    elif ap.year not in activity.years:
        errors["activity"] = [
            _("%(ref)s does not run in %(year)s.") % {"ref": activity.reference, "year": ap.year}
        ]
    elif activity.status == Activity.Status.CANCELLED:
        errors["activity"] = [_("%(ref)s is cancelled.") % {"ref": activity.reference}]
    elif ap.entries.filter(activity=activity).exists():
        errors["activity"] = [
            _("%(ref)s is already in the annual programme %(year)s.")
            % {"ref": activity.reference, "year": ap.year}
        ]
    if budget < 0:
        errors["budget"] = [_("The budget cannot be negative.")]
    if errors:
        raise DomainError(errors)
    entry = AnnualProgrammeEntry.objects.create(
        annual_programme=ap, activity=activity, budget=budget
    )
    visibility.refresh_public([activity.pk])
    touch(AnnualProgramme, [ap.pk])  # its record lists its entries
    audit.record(ap, audit.Kind.ENTRY_ADDED, actor, changes={activity.reference: [None, budget]})
    return entry


@transaction.atomic
def annual_programme_remove_activity(*, entry: AnnualProgrammeEntry, actor: User) -> None:
    require(permissions.can_manage_annual_programmes(actor))
    ap = _lock_draft(entry.annual_programme)
    reference, budget = entry.activity.reference, entry.budget
    activity_id = entry.activity_id
    entry.delete()
    visibility.refresh_public([activity_id])
    touch(AnnualProgramme, [ap.pk])
    audit.record(ap, audit.Kind.ENTRY_REMOVED, actor, changes={reference: [budget, None]})


@transaction.atomic
def annual_programme_adopt(
    *,
    annual_programme: AnnualProgramme,
    actor: User,
    meeting: Meeting,
    adopted_on: dt.date | None = None,
) -> AnnualProgramme:
    """Record the Permanent Correspondents' adoption; the entries are frozen from then on."""
    require(permissions.can_manage_annual_programmes(actor))
    ap = _lock_draft(annual_programme)
    if meeting is None:
        raise DomainError(_("Name the meeting that adopted the programme."), field="meeting")
    if meeting.kind != Meeting.Kind.PC_PLENARY:
        raise DomainError(
            _("Annual programmes are adopted by the Permanent Correspondents in plenary."),
            field="meeting",
        )
    if not ap.entries.exists():
        raise DomainError(_("The annual programme has no activities yet."))
    # Its activities become public: a syncing visitor fetches them as changed.
    touch(Activity, ap.entries.values("activity"))
    adopted = ANNUAL_PROGRAMME_WORKFLOW.move(
        ap,
        AnnualProgramme.Status.ADOPTED,
        actor,
        kind=audit.Kind.ADOPTED,
        changes={"meeting": [None, str(meeting)]},
        adopting_meeting=meeting,
        adopted_on=adopted_on or meeting.date,
    )
    # Its activities are adopted with it: the public sees them from now on.
    visibility.refresh_public_of_programme(adopted.pk)
    return adopted


@transaction.atomic
def annual_programme_roll_over(
    *, annual_programme: AnnualProgramme, actor: User, budget_ceiling: Decimal | None = None
) -> AnnualProgramme:
    """Start next year's draft with every permanent-format activity still running then."""
    require(permissions.can_manage_annual_programmes(actor, annual_programme))
    year = annual_programme.year + 1
    nxt = annual_programme_create(
        actor=actor,
        work_programme=annual_programme.work_programme,
        year=year,
        budget_ceiling=annual_programme.budget_ceiling
        if budget_ceiling is None
        else budget_ceiling,
    )
    previous = dict(annual_programme.entries.values_list("activity_id", "budget"))
    running = (
        Activity.objects.filter(
            work_programme=annual_programme.work_programme, permanent_format__isnull=False
        )
        .active()
        .running_in(year)
        .order_by("reference")
    )
    entries = [
        AnnualProgrammeEntry(
            annual_programme=nxt, activity=a, budget=previous.get(a.pk, a.planned_budget)
        )
        for a in running
    ]
    AnnualProgrammeEntry.objects.bulk_create(entries)
    visibility.refresh_public_of_programme(nxt.pk)
    audit.record(
        nxt,
        audit.Kind.ROLLED_OVER,
        actor,
        changes={
            "from": [None, annual_programme.year],
            "entries": [None, [e.activity.reference for e in entries]],
        },
    )
    return nxt
