"""Every change to activities and annual programmes: checked, in a transaction, recorded."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from pompidou.errors import DomainError, PermissionDenied
from pompidou.lib.files import validate_document
from programme.models import BureauMandate, Meeting, WorkProgramme

from . import permissions
from .models import (
    Activity,
    AnnualProgramme,
    AnnualProgrammeDocument,
    AnnualProgrammeEntry,
    ChangeRecord,
    Milestone,
)

S = Activity.Status
# The one table of allowed status changes of an activity.
ACTIVITY_TRANSITIONS: dict[str, set[str]] = {
    S.PLANNED: {S.ONGOING, S.CANCELLED, S.SUSPENDED},
    S.ONGOING: {S.COMPLETED, S.SUSPENDED, S.CANCELLED},
    S.SUSPENDED: {S.ONGOING, S.CANCELLED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}

SCALAR_FIELDS = (
    "title",
    "description",
    "work_programme",
    "permanent_format",
    "adoption_route",
    "lead_member_state",
    "supervisor",
    "start_date",
    "end_date",
    "carried_over",
    "planned_budget",
    "spent",
    "terms_of_reference",
    "terms_of_reference_file",
    "expected_results",
    "human_rights_considerations",
    "gender_considerations",
    "ungass_relevance",
)
M2M_FIELDS = ("thematic_priorities", "participating_states")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _shown(value: Any) -> Any:
    """A value as the history shows it (JSON-safe)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Model):
        # A person by name (the supervisor), anything else as it names itself.
        full_name = getattr(value, "get_full_name", None)
        return (full_name() or str(value)) if full_name else str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    if hasattr(value, "name"):  # a file
        return value.name or ""
    return str(value)


def _validate_activity(values: dict[str, Any]) -> None:
    """All the rules of an activity's fields, every problem reported at once."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    wp: WorkProgramme | None = values.get("work_programme")
    if not (values.get("title") or "").strip():
        add("title", _("Give the activity a title."))
    if wp is None:
        add("work_programme", _("Choose the work programme."))
    start, end = values.get("start_date"), values.get("end_date")
    if start is None:
        add("start_date", _("Give the start date."))
    if end is None:
        add("end_date", _("Give the end date."))
    if start and end:
        if end < start:
            add("end_date", _("The end date is before the start date."))
        elif wp and not values.get("carried_over"):
            if start.year < wp.first_year or start.year > wp.last_year:
                add(
                    "start_date",
                    _("The activity must start within %(first)s–%(last)s.")
                    % {"first": wp.first_year, "last": wp.last_year},
                )
            if end.year > wp.last_year:
                add(
                    "end_date",
                    _(
                        "The activity ends after %(last)s, the last year of its work "
                        "programme; mark it as carried over if that is intended."
                    )
                    % {"last": wp.last_year},
                )
    priorities = list(values.get("thematic_priorities") or [])
    if not priorities:
        add("thematic_priorities", _("Link at least one thematic priority."))
    elif wp and any(p.work_programme_id != wp.pk for p in priorities):
        add(
            "thematic_priorities",
            _("Every thematic priority must belong to the activity's work programme."),
        )
    fmt = values.get("permanent_format")
    if fmt is not None and wp and fmt.work_programme_id != wp.pk:
        add("permanent_format", _("The format belongs to another work programme."))
    for field in ("planned_budget", "spent"):
        amount = values.get(field)
        if amount is None:
            add(field, _("Give an amount (0 if none)."))
        elif Decimal(amount) < 0:
            add(field, _("The amount cannot be negative."))
    if values.get("adoption_route") not in Activity.Route.values:
        add("adoption_route", _("Choose how the activity was adopted."))
    supervisor = values.get("supervisor")
    if supervisor is not None and not BureauMandate.objects.filter(user=supervisor).exists():
        add("supervisor", _("The supervisor must be a member of the Bureau."))
    upload = values.get("terms_of_reference_file")
    if upload and hasattr(upload, "size") and not getattr(upload, "_committed", False):
        try:
            validate_document(upload)
        except ValidationError as exc:
            add("terms_of_reference_file", " ".join(exc.messages))
    if errors:
        raise DomainError(errors)


def _next_reference(year: int) -> str:
    """PG-<year>-<nnn> from the one reference sequence (never reused)."""
    from pompidou.sequences import ACTIVITY, next_number

    return f"PG-{year}-{next_number(ACTIVITY, year):03d}"


def _record(
    *, actor, action: str, activity=None, annual_programme=None, changes=None, comment: str = ""
) -> ChangeRecord:
    return ChangeRecord.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        activity=activity,
        annual_programme=annual_programme,
        action=action,
        changes=changes or {},
        comment=comment,
    )


@transaction.atomic
def activity_create(*, actor, milestones: Iterable[dict] = (), **fields) -> Activity:
    """Create an activity with a new reference PG-<start year>-<nnn>."""
    _require(permissions.can_edit_activities(actor), _("Only the Secretariat records activities."))
    return _activity_create(actor=actor, milestones=milestones, fields=fields)


@transaction.atomic
def activity_create_adopted(*, actor, source: str, **fields) -> Activity:
    """Create the activity an adopted proposal becomes.

    Who may adopt (the Secretariat recording the PCs' decision, or a Bureau
    majority) is checked by the proposal's service, which calls this one.
    """
    return _activity_create(
        actor=actor, milestones=(), fields=fields, changes={"source": [None, source]}
    )


def _activity_create(*, actor, milestones, fields, changes=None) -> Activity:
    values = {
        "adoption_route": Activity.Route.ANNUAL,
        "planned_budget": Decimal("0"),
        "spent": Decimal("0"),
        "carried_over": False,
        **fields,
    }
    unknown = set(values) - set(SCALAR_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _validate_activity(values)
    activity = Activity(**{k: v for k, v in values.items() if k in SCALAR_FIELDS})
    activity.reference = _next_reference(activity.start_date.year)
    activity.save()
    activity.thematic_priorities.set(values["thematic_priorities"])
    activity.participating_states.set(values.get("participating_states") or [])
    for milestone in milestones:
        Milestone.objects.create(activity=activity, **milestone)
    _record(
        actor=actor,
        action="created",
        activity=activity,
        changes={"reference": [None, activity.reference], **(changes or {})},
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor, **changes) -> Activity:
    """Change an activity's fields; the history keeps each old and new value."""
    _require(permissions.can_edit_activities(actor), _("Only the Secretariat changes activities."))
    unknown = set(changes) - set(SCALAR_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    current: dict[str, Any] = {f: getattr(activity, f) for f in SCALAR_FIELDS}
    current["thematic_priorities"] = list(activity.thematic_priorities.all())
    current["participating_states"] = list(activity.participating_states.all())
    values = {**current, **changes}
    _validate_activity(values)
    diff = {}
    for field, new in changes.items():
        old = current[field]
        if _shown(old) != _shown(new):
            diff[field] = [_shown(old), _shown(new)]
    if not diff:
        return activity
    scalar = [f for f in diff if f in SCALAR_FIELDS]
    for field in scalar:
        setattr(activity, field, changes[field])
    if scalar:
        activity.save(update_fields=[*scalar, "updated_at"])
    for field in M2M_FIELDS:
        if field in diff:
            getattr(activity, field).set(changes[field])
    _record(actor=actor, action="updated", activity=activity, changes=diff)
    if "planned_budget" in diff:
        _sync_entry_budgets(
            activity=activity,
            actor=actor,
            old=current["planned_budget"],
            new=changes["planned_budget"],
        )
    return activity


def _sync_entry_budgets(*, activity: Activity, actor, old: Decimal, new: Decimal) -> None:
    """Carry a changed planned budget into the activity's annual-programme entries.

    The rule: an entry of a *draft* annual programme that carries the planned
    budget (its amount equals the old planned budget, as when it was entered
    without an amount of its own) follows the new one, recorded in that
    programme's history. An entry given its own amount for the year (a
    multi-year activity split over its years) keeps it: it was never the
    planned budget. Entries of an *adopted* annual programme are frozen: the
    Permanent Correspondents adopted that amount, so it stays, and the activity
    page shows the difference next to it.
    """
    entries = (
        AnnualProgrammeEntry.objects.select_for_update()
        .filter(
            activity=activity,
            annual_programme__status=AnnualProgramme.Status.DRAFT,
            budget=old,
        )
        .select_related("annual_programme")
    )
    for entry in entries:
        entry.budget = new
        entry.save(update_fields=["budget"])
        _record(
            actor=actor,
            action="entry_budget",
            annual_programme=entry.annual_programme,
            changes={activity.reference: [_shown(Decimal(old)), _shown(Decimal(new))]},
        )


@transaction.atomic
def activity_change_status(
    *, activity: Activity, actor, status: str, comment: str = ""
) -> Activity:
    """Move an activity along ACTIVITY_TRANSITIONS."""
    _require(
        permissions.can_edit_activities(actor),
        _("Only the Secretariat changes the status of activities."),
    )
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if status not in Activity.Status.values:
        raise DomainError(_("Unknown status %(s)r.") % {"s": status}, field="status")
    if status not in ACTIVITY_TRANSITIONS[activity.status]:
        allowed = ", ".join(
            str(Activity.Status(s).label) for s in sorted(ACTIVITY_TRANSITIONS[activity.status])
        ) or _("none")
        raise DomainError(
            _("A %(old)s activity cannot become %(new)s (allowed: %(allowed)s).")
            % {
                "old": activity.get_status_display().lower(),
                "new": str(Activity.Status(status).label).lower(),
                "allowed": allowed,
            },
            field="status",
        )
    if status == S.ONGOING and not activity.transversal_stated:
        missing = [
            label
            for label, text in (
                (_("human-rights considerations"), activity.human_rights_considerations),
                (_("gender considerations"), activity.gender_considerations),
            )
            if not text.strip()
        ]
        raise DomainError(
            _("State the %(missing)s before the activity starts (priority 3.1 is transversal).")
            % {"missing": _(" and ").join(missing)},
            field="status",
        )
    old = activity.status
    activity.status = status
    activity.save(update_fields=["status", "updated_at"])
    _record(
        actor=actor,
        action="status",
        activity=activity,
        changes={"status": [old, status]},
        comment=comment,
    )
    return activity


@transaction.atomic
def milestone_add(*, activity: Activity, actor, title: str, due_date: dt.date) -> Milestone:
    _require(permissions.can_edit_activities(actor), _("Only the Secretariat adds milestones."))
    if not title.strip():
        raise DomainError(_("Give the milestone a title."), field="title")
    milestone = Milestone.objects.create(activity=activity, title=title, due_date=due_date)
    _record(
        actor=actor,
        action="milestone",
        activity=activity,
        changes={"milestone": [None, f"{title} ({due_date.isoformat()})"]},
    )
    return milestone


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, actor, done: bool = True) -> Milestone:
    _require(permissions.can_edit_activities(actor), _("Only the Secretariat updates milestones."))
    if milestone.done != done:
        milestone.done = done
        milestone.save(update_fields=["done"])
        _record(
            actor=actor,
            action="milestone",
            activity=milestone.activity,
            changes={milestone.title: [not done, done]},
        )
    return milestone


# --- annual programmes --------------------------------------------------------


def _lock_draft(annual_programme: AnnualProgramme) -> AnnualProgramme:
    ap = AnnualProgramme.objects.select_for_update().get(pk=annual_programme.pk)
    if not ap.is_draft:
        raise DomainError(
            _("The annual programme %(year)s is adopted; its entries can no longer change.")
            % {"year": ap.year}
        )
    return ap


@transaction.atomic
def annual_programme_create(
    *, actor, work_programme: WorkProgramme, year: int, budget_ceiling: Decimal = Decimal("0")
) -> AnnualProgramme:
    _require(
        permissions.can_manage_annual_programmes(actor),
        _("Only the Secretariat prepares annual programmes."),
    )
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
    _record(
        actor=actor,
        action="created",
        annual_programme=ap,
        changes={"budget_ceiling": [None, _shown(Decimal(budget_ceiling))]},
    )
    return ap


@transaction.atomic
def annual_programme_set_ceiling(
    *, annual_programme: AnnualProgramme, actor, budget_ceiling: Decimal
) -> AnnualProgramme:
    _require(
        permissions.can_manage_annual_programmes(actor),
        _("Only the Secretariat changes annual programmes."),
    )
    ap = _lock_draft(annual_programme)
    if budget_ceiling is None or Decimal(budget_ceiling) < 0:
        raise DomainError(_("The budget ceiling cannot be negative."), field="budget_ceiling")
    old = ap.budget_ceiling
    ap.budget_ceiling = budget_ceiling
    ap.save(update_fields=["budget_ceiling", "updated_at"])
    _record(
        actor=actor,
        action="updated",
        annual_programme=ap,
        changes={"budget_ceiling": [_shown(old), _shown(Decimal(budget_ceiling))]},
    )
    return ap


@transaction.atomic
def annual_programme_add_activity(
    *, annual_programme: AnnualProgramme, activity: Activity, actor, budget: Decimal | None = None
) -> AnnualProgrammeEntry:
    """Put an activity in a draft annual programme with its budget for that year."""
    _require(
        permissions.can_manage_annual_programmes(actor),
        _("Only the Secretariat changes annual programmes."),
    )
    return _add_entry(
        annual_programme=annual_programme, activity=activity, actor=actor, budget=budget
    )


@transaction.atomic
def annual_programme_add_adopted(
    *, activity: Activity, year: int, actor, budget: Decimal | None = None
) -> AnnualProgrammeEntry:
    """Enter an adopted proposal's activity in that year's draft annual programme
    (started, with no ceiling yet, if the year has none). Checked by the caller."""
    ap = AnnualProgramme.objects.filter(year=year).first()
    if ap is None:
        ap = AnnualProgramme.objects.create(work_programme=activity.work_programme, year=year)
        _record(
            actor=actor,
            action="created",
            annual_programme=ap,
            changes={"budget_ceiling": [None, "0.00"]},
        )
    return _add_entry(annual_programme=ap, activity=activity, actor=actor, budget=budget)


def _add_entry(*, annual_programme, activity, actor, budget) -> AnnualProgrammeEntry:
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
    _record(
        actor=actor,
        action="entry_added",
        annual_programme=ap,
        changes={activity.reference: [None, _shown(budget)]},
    )
    return entry


@transaction.atomic
def annual_programme_remove_activity(*, entry: AnnualProgrammeEntry, actor) -> None:
    _require(
        permissions.can_manage_annual_programmes(actor),
        _("Only the Secretariat changes annual programmes."),
    )
    ap = _lock_draft(entry.annual_programme)
    reference, budget = entry.activity.reference, entry.budget
    entry.delete()
    _record(
        actor=actor,
        action="entry_removed",
        annual_programme=ap,
        changes={reference: [_shown(budget), None]},
    )


@transaction.atomic
def annual_programme_adopt(
    *, annual_programme: AnnualProgramme, actor, meeting: Meeting, adopted_on: dt.date | None = None
) -> AnnualProgramme:
    """Record the Permanent Correspondents' adoption; the entries are frozen from then on."""
    _require(
        permissions.can_manage_annual_programmes(actor),
        _("Only the Secretariat records the adoption of annual programmes."),
    )
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
    ap.status = AnnualProgramme.Status.ADOPTED
    ap.adopting_meeting = meeting
    ap.adopted_on = adopted_on or meeting.date
    ap.save(update_fields=["status", "adopting_meeting", "adopted_on", "updated_at"])
    _record(
        actor=actor,
        action="adopted",
        annual_programme=ap,
        changes={"status": ["draft", "adopted"], "meeting": [None, str(meeting)]},
    )
    return ap


@transaction.atomic
def annual_programme_roll_over(
    *, annual_programme: AnnualProgramme, actor, budget_ceiling: Decimal | None = None
) -> AnnualProgramme:
    """Start next year's draft with every permanent-format activity still running then."""
    _require(
        permissions.can_manage_annual_programmes(actor),
        _("Only the Secretariat prepares annual programmes."),
    )
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
    _record(
        actor=actor,
        action="rolled_over",
        annual_programme=nxt,
        changes={
            "from": [None, annual_programme.year],
            "entries": [None, [e.activity.reference for e in entries]],
        },
    )
    return nxt


def today() -> dt.date:
    return timezone.localdate()


# --- compiled documents ---------------------------------------------------------------


def annual_programme_compile(
    *, annual_programme: AnnualProgramme, actor: User
) -> tuple[AnnualProgrammeDocument, bool]:
    """Ask for the annual programme as PDF and DOCX; returns (document, created).

    While a compilation of this programme is queued or running, asking again
    returns that one instead of starting a second.
    """
    from .jobs import ANNUAL_PROGRAMME

    _require(
        permissions.can_compile_annual_programme(actor, annual_programme),
        _("The Secretariat compiles the annual programme."),
    )
    return ANNUAL_PROGRAMME.request(actor=actor, annual_programme=annual_programme)


def annual_programme_compile_retry(
    *, document: AnnualProgrammeDocument, actor: User
) -> AnnualProgrammeDocument:
    from .jobs import ANNUAL_PROGRAMME

    _require(
        permissions.can_compile_annual_programme(actor, document.annual_programme),
        _("The Secretariat compiles the annual programme."),
    )
    return ANNUAL_PROGRAMME.retry(document, actor=actor)


def annual_programme_document_run(document_id: int) -> str:
    """Compile one document (called by the Celery task; idempotent)."""
    from .jobs import ANNUAL_PROGRAMME

    return ANNUAL_PROGRAMME.run(document_id)
