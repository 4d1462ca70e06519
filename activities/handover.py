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
from programme.handover import Mapping, confirm_list, field_key, remap
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from . import visibility
from .models import Activity
from .workflow import ACTIVITY_WORKFLOW

KIND = "activity"


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


def carry_over_errors(
    *, old: WorkProgramme | None, new: WorkProgramme, rows: Iterable[ActivityRow]
) -> dict[str, list[str]]:
    """Every problem of the rows, keyed by row and field; locks the running activities."""
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
    errors, matched = confirm_list(
        KIND,
        running,
        rows,
        gone=_(
            "Activity %(id)s is no longer a running activity of the programme in force: it "
            "was changed meanwhile. Reload the page."
        ),
        added=lambda a: (
            _(
                "%(ref)s became a running activity meanwhile: reload the page and say whether it "
                "is carried over."
            )
            % {"ref": a.reference}
        ),
    )
    mapping = Mapping.of(new)
    for row, activity in matched:
        if row.carry_over:
            errors |= mapping.errors(
                activity.reference,
                field_key(KIND, activity.pk),
                row.thematic_priorities,
                row.permanent_format,
            )
    return errors


def carry_over(
    *, old: WorkProgramme, new: WorkProgramme, rows: Iterable[ActivityRow], by: Any
) -> list[Activity]:
    """Move the carried-over activities to ``new`` (programme, priorities, format), each
    with an event in its history; record the others as left with ``old``. Rows checked
    by ``carry_over_errors``. Returns the activities moved."""
    rows = list(rows)
    activities = (
        Activity.objects.select_related("work_programme", "permanent_format")
        .prefetch_related("thematic_priorities")
        .in_bulk([r.activity for r in rows])
    )
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
        remap(
            activity,
            new=new,
            fmt=fmt,
            priorities=chosen,
            by=by,
            comment=_("Carried over from %(old)s to %(new)s.")
            % {"old": old.reference, "new": new.reference},
        )
        moved.append(activity)
    # The rule does not read the work programme today; asked again all the same, so a
    # rule that comes to read it cannot leave a carried-over activity's flag stale.
    visibility.refresh_public([a.pk for a in moved])
    return moved
