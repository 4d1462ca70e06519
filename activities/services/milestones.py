"""The milestones of an activity: added and marked done by the Secretariat."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from pompidou import audit
from pompidou.errors import DomainError
from pompidou.rules import require
from pompidou.tombstones import touch

from .. import permissions
from ..models import Activity, Milestone

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def milestone_add(*, activity: Activity, actor: User, title: str, due_date: dt.date) -> Milestone:
    require(permissions.can_edit_activity(actor, activity))
    if not title.strip():
        raise DomainError(_("Give the milestone a title."), field="title")
    milestone = Milestone.objects.create(activity=activity, title=title, due_date=due_date)
    touch(Activity, [activity.pk])  # the activity's record shows its milestones
    audit.record(
        activity,
        audit.Kind.MILESTONE,
        actor,
        changes={"milestone": [None, f"{title} ({due_date.isoformat()})"]},
    )
    return milestone


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, actor: User, done: bool = True) -> Milestone:
    require(permissions.can_edit_activity(actor, milestone.activity))
    if milestone.done != done:
        milestone.done = done
        milestone.save(update_fields=["done"])
        touch(Activity, [milestone.activity_id])
        audit.record(
            milestone.activity,
            audit.Kind.MILESTONE,
            actor,
            changes={milestone.title: [not done, done]},
        )
    return milestone
