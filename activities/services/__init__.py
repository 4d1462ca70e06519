"""Every change to activities and annual programmes: checked, in a transaction, recorded
in the one history (pompidou.audit). One module per concern; the public functions are
re-exported here, so callers write ``services.activity_create(...)``."""

import datetime as dt

from django.utils import timezone

from pompidou.errors import DomainError, PermissionDenied

from .activities import (
    _next_reference,
    activity_change_status,
    activity_create,
    activity_create_adopted,
    activity_update,
)
from .annual_programmes import (
    annual_programme_add_activity,
    annual_programme_add_adopted,
    annual_programme_adopt,
    annual_programme_create,
    annual_programme_remove_activity,
    annual_programme_roll_over,
    annual_programme_set_ceiling,
)
from .documents import (
    annual_programme_compile,
    annual_programme_compile_retry,
    annual_programme_document_run,
)
from .milestones import milestone_add, milestone_set_done


def today() -> dt.date:
    return timezone.localdate()


__all__ = [
    "DomainError",
    "PermissionDenied",
    "_next_reference",
    "activity_change_status",
    "activity_create",
    "activity_create_adopted",
    "activity_update",
    "annual_programme_add_activity",
    "annual_programme_add_adopted",
    "annual_programme_adopt",
    "annual_programme_compile",
    "annual_programme_compile_retry",
    "annual_programme_create",
    "annual_programme_document_run",
    "annual_programme_remove_activity",
    "annual_programme_roll_over",
    "annual_programme_set_ceiling",
    "milestone_add",
    "milestone_set_done",
    "today",
]
