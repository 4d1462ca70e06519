"""Recording and changing activities: their fields, their status, their reference."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pompidou import audit, tombstones
from pompidou.errors import DomainError
from pompidou.lib.files import original_name, validate_document
from pompidou.rules import require
from pompidou.tombstones import touch
from programme.models import BureauMandate, WorkProgramme

from .. import permissions, visibility
from ..models import Activity, AnnualProgramme, AnnualProgrammeEntry, Milestone
from ..workflow import ACTIVITY_WORKFLOW

if TYPE_CHECKING:
    from django.contrib.auth.models import User

S = Activity.Status
FIELDS = Activity.EDITABLE_FIELDS
M2M_FIELDS = Activity.MANY_TO_MANY_FIELDS
SCALAR_FIELDS = tuple(f for f in FIELDS if f not in M2M_FIELDS)


def _refuse_unknown(fields: Iterable[str]) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})


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


@transaction.atomic
def activity_create(
    *, actor: User, milestones: Iterable[dict[str, Any]] = (), **fields: Any
) -> Activity:
    """Create an activity with a new reference PG-<start year>-<nnn>."""
    require(permissions.can_edit_activity(actor))
    return _activity_create(actor=actor, milestones=milestones, fields=fields)


@transaction.atomic
def activity_create_adopted(*, actor: User | None, source: str, **fields: Any) -> Activity:
    """Create the activity an adopted proposal becomes.

    Who may adopt (the Secretariat recording the PCs' decision, or a Bureau
    majority) is checked by the proposal's service, which calls this one.
    """
    return _activity_create(
        actor=actor, milestones=(), fields=fields, changes={"source": [None, source]}
    )


def _activity_create(
    *,
    actor: User | None,
    milestones: Iterable[dict[str, Any]],
    fields: dict[str, Any],
    changes: dict[str, Any] | None = None,
) -> Activity:
    values = {
        "adoption_route": Activity.Route.ANNUAL,
        "planned_budget": Decimal("0"),
        "spent": Decimal("0"),
        "carried_over": False,
        **fields,
    }
    _refuse_unknown(values)
    _validate_activity(values)
    activity = Activity(**{k: v for k, v in values.items() if k in SCALAR_FIELDS})
    activity.terms_of_reference_name = original_name(activity.terms_of_reference_file)
    activity.reference = _next_reference(activity.start_date.year)
    activity.save()
    activity.thematic_priorities.set(values["thematic_priorities"])
    activity.participating_states.set(values.get("participating_states") or [])
    for milestone in milestones:
        Milestone.objects.create(activity=activity, **milestone)
    visibility.refresh_public([activity.pk])
    activity.refresh_from_db(fields=["is_public", "updated_at"])
    audit.record(
        activity,
        audit.Kind.CREATED,
        actor,
        changes={"reference": [None, activity.reference], **(changes or {})},
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor: User, **changes: Any) -> Activity:
    """Change an activity's fields; the history keeps each old and new value."""
    require(permissions.can_edit_activity(actor, activity))
    _refuse_unknown(changes)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _apply_changes(activity=activity, actor=actor, changes=changes)
    return activity


def current_values(activity: Activity) -> dict[str, Any]:
    """Every editable field of ``activity`` as the service compares them."""
    current: dict[str, Any] = {f: getattr(activity, f) for f in SCALAR_FIELDS}
    for field in M2M_FIELDS:
        current[field] = list(getattr(activity, field).all())
    return current


def _apply_changes(
    *, activity: Activity, actor: User | None, changes: dict[str, Any], comment: str = ""
) -> dict[str, list[Any]]:
    """Validate and write ``changes`` on a locked ``activity``; returns the diff
    recorded in its history (empty: nothing changed). Shared with the import of
    past records (records.kinds.activities), whose caller checks who may."""
    current = current_values(activity)
    _validate_activity({**current, **changes})
    diff = audit.diff(current, changes)
    if not diff:
        return diff
    scalar = [f for f in diff if f in SCALAR_FIELDS]
    for field in scalar:
        setattr(activity, field, changes[field])
    if "terms_of_reference_file" in scalar:
        # The uploader's name names the download; the stored name is generated.
        activity.terms_of_reference_name = original_name(activity.terms_of_reference_file)
        scalar.append("terms_of_reference_name")
    was_public = (
        "adoption_route" in diff and Activity.objects.public().filter(pk=activity.pk).exists()
    )
    # Saved even when only its priorities or states change: ``updated_at`` moves, so a
    # syncing client fetches the activity again (pompidou/sync.py).
    activity.save(update_fields=[*scalar, "updated_at"])
    for field in M2M_FIELDS:
        if field in diff:
            getattr(activity, field).set(changes[field])
    if "adoption_route" in diff:
        visibility.refresh_public([activity.pk])
        activity.refresh_from_db(fields=["is_public", "updated_at"])
    if {"title", "reference"} & diff.keys():  # the annual programmes' rows show them
        touch(AnnualProgramme, activity.annual_entries.values("annual_programme"))
    if was_public and not Activity.objects.public().filter(pk=activity.pk).exists():
        tombstones.record_departure([activity], tombstones.Reason.UNPUBLISHED)
    audit.record(activity, audit.Kind.UPDATED, actor, changes=diff, comment=comment)
    if "planned_budget" in diff:
        _sync_entry_budgets(
            activity=activity,
            actor=actor,
            old=current["planned_budget"],
            new=changes["planned_budget"],
        )
    return diff


def _sync_entry_budgets(
    *, activity: Activity, actor: User | None, old: Decimal, new: Decimal
) -> None:
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
        touch(AnnualProgramme, [entry.annual_programme_id])
        audit.record(
            entry.annual_programme,
            audit.Kind.ENTRY_BUDGET,
            actor,
            changes={activity.reference: [Decimal(old), Decimal(new)]},
        )


def _transversal_missing(activity: Activity) -> list[str]:
    """The transversal considerations (priority 3.1) the activity has not stated yet."""
    return [
        label
        for label, text in (
            (_("human-rights considerations"), activity.human_rights_considerations),
            (_("gender considerations"), activity.gender_considerations),
        )
        if not text.strip()
    ]


@transaction.atomic
def activity_change_status(
    *, activity: Activity, actor: User, status: str, comment: str = ""
) -> Activity:
    """Move an activity along ACTIVITY_WORKFLOW (activities/workflow.py)."""
    require(permissions.can_change_activity_status(actor), field="status")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if status in S.values and not ACTIVITY_WORKFLOW.can_move(activity.status, status):
        raise ACTIVITY_WORKFLOW.refuse(activity.status, status)
    if status == S.ONGOING and _transversal_missing(activity):
        raise DomainError(
            _("State the %(missing)s before the activity starts (priority 3.1 is transversal).")
            % {"missing": _(" and ").join(_transversal_missing(activity))},
            field="status",
        )
    return ACTIVITY_WORKFLOW.move(activity, status, actor, comment=comment)
