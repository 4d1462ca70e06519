"""Carrying the running activities of the programme in force over to the next one.

Called by ``proposals.handover.programme_put_in_force`` inside its transaction: first
``carry_over_errors`` for every row (nothing written), then ``carry_over`` writes them.
An activity not carried over stays with the old programme as it is: it finishes there,
and once that programme is closed nothing of it is "overdue" any more
(``ActivityQuerySet.not_history``); the Secretariat still completes or cancels it on
its page. The hand-over records that choice in its history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pompidou import audit
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from .models import Activity
from .workflow import ACTIVITY_WORKFLOW


@dataclass(frozen=True)
class ActivityRow:
    """What the Secretariat confirmed for one running activity."""

    activity: int
    carry_over: bool
    thematic_priorities: Sequence[int] = field(default_factory=tuple)
    permanent_format: int | None = None


def running_activities(programme: WorkProgramme) -> QuerySet[Activity]:
    """The activities of ``programme`` not finished yet (the workflow's "running" group),
    with what the hand-over page shows of each."""
    return (
        Activity.objects.filter(
            work_programme=programme, status__in=ACTIVITY_WORKFLOW.group("running")
        )
        .select_related("permanent_format", "lead_member_state")
        .prefetch_related("thematic_priorities")
        .order_by("reference")
    )


def row_key(activity_id: int, name: str | None = None) -> str:
    """The error key of a row (``activity-12``) or of one of its fields."""
    return f"activity-{activity_id}" + (f".{name}" if name else "")


def carry_over_errors(
    *, old: WorkProgramme | None, new: WorkProgramme, rows: Iterable[ActivityRow]
) -> dict[str, list[str]]:
    """Every problem of the rows, keyed by row and field; locks the running activities."""
    rows = list(rows)
    errors: dict[str, list[str]] = {}
    running = (
        {
            a.pk: a
            for a in Activity.objects.select_for_update().filter(
                work_programme=old, status__in=ACTIVITY_WORKFLOW.group("running")
            )
        }
        if old is not None
        else {}
    )
    priorities = dict(
        ThematicPriority.objects.filter(work_programme=new).values_list("pk", "number")
    )
    formats = set(PermanentFormat.objects.filter(work_programme=new).values_list("pk", flat=True))
    seen = set()
    for row in rows:
        activity = running.get(row.activity)
        if activity is None:
            errors[row_key(row.activity)] = [
                _(
                    "Activity %(id)s is no longer a running activity of the programme in "
                    "force: it was changed meanwhile. Reload the page."
                )
                % {"id": row.activity}
            ]
            continue
        seen.add(activity.pk)
        if not row.carry_over:
            continue
        ref = activity.reference
        if not row.thematic_priorities:
            errors[row_key(activity.pk, "thematic_priorities")] = [
                _("%(ref)s: choose at least one priority of the new programme.") % {"ref": ref}
            ]
        elif any(pk not in priorities for pk in row.thematic_priorities):
            errors[row_key(activity.pk, "thematic_priorities")] = [
                _("%(ref)s: a priority chosen is not one of the new programme's.") % {"ref": ref}
            ]
        if row.permanent_format is not None and row.permanent_format not in formats:
            errors[row_key(activity.pk, "permanent_format")] = [
                _("%(ref)s: the format chosen is not one of the new programme's.") % {"ref": ref}
            ]
    for activity in running.values():
        if activity.pk not in seen:
            errors[row_key(activity.pk)] = [
                _(
                    "%(ref)s became a running activity meanwhile: reload the page and say "
                    "whether it is carried over."
                )
                % {"ref": activity.reference}
            ]
    return errors


def carry_over(
    *, old: WorkProgramme, new: WorkProgramme, rows: Iterable[ActivityRow], by: Any
) -> list[Activity]:
    """Move the carried-over activities to ``new`` (programme, priorities, format), each
    with an event in its history; record the others as left with ``old``. Rows checked
    by ``carry_over_errors``. Returns the activities moved."""
    rows = list(rows)
    activities = Activity.objects.in_bulk([r.activity for r in rows])
    priorities = ThematicPriority.objects.in_bulk(
        [pk for r in rows if r.carry_over for pk in r.thematic_priorities]
    )
    formats = PermanentFormat.objects.in_bulk(
        [r.permanent_format for r in rows if r.carry_over and r.permanent_format]
    )
    moved = []
    for row in rows:
        activity = activities[row.activity]
        if not row.carry_over:
            audit.record(
                activity,
                audit.Kind.UPDATED,
                by,
                comment=_("Not carried over to %(new)s: it stays with %(old)s.")
                % {"new": new.reference, "old": old.reference},
            )
            continue
        fmt = formats.get(row.permanent_format) if row.permanent_format else None
        chosen = [priorities[pk] for pk in row.thematic_priorities]
        before = {
            "work_programme": activity.work_programme,
            "permanent_format": activity.permanent_format,
            "thematic_priorities": list(activity.thematic_priorities.all()),
        }
        after = {"work_programme": new, "permanent_format": fmt, "thematic_priorities": chosen}
        activity.work_programme = new
        activity.permanent_format = fmt
        activity.save(update_fields=["work_programme", "permanent_format", "updated_at"])
        activity.thematic_priorities.set(chosen)
        audit.record(
            activity,
            audit.Kind.UPDATED,
            by,
            changes=audit.diff(before, after),
            comment=_("Carried over from %(old)s to %(new)s.")
            % {"old": old.reference, "new": new.reference},
        )
        moved.append(activity)
    return moved
