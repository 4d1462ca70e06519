"""How long the portal keeps what it no longer needs (run daily by beat).

- Feedback links (``evaluation.FeedbackInvitation``) never used, whose request closed
  (its deadline passed) more than ``FEEDBACK_LINK_RETENTION_DAYS`` ago: deleted, with
  the invitee's name and address. An answered link stays with its answer.
- Login records older than ``LOGIN_RECORD_RETENTION_DAYS``: the history's logins,
  logouts, refused logins, lockouts and refused accesses (with their IP addresses),
  and django-axes' database records.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pompidou import audit
from pompidou.models import AuditEvent

LOGIN_KINDS = (
    audit.Kind.LOGIN,
    audit.Kind.LOGOUT,
    audit.Kind.LOGIN_FAILED,
    audit.Kind.LOCKED_OUT,
    audit.Kind.ACCESS_DENIED,
)
AXES_DATED = (
    ("axes.AccessAttempt", "attempt_time"),
    ("axes.AccessLog", "attempt_time"),
    ("axes.AccessFailureLog", "attempt_time"),
)


@transaction.atomic
def apply_retention(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete what is past its retention; how many of each were deleted."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    link_limit = today - dt.timedelta(days=settings.FEEDBACK_LINK_RETENTION_DAYS)
    login_limit = now - dt.timedelta(days=settings.LOGIN_RECORD_RETENTION_DAYS)
    invitation = apps.get_model("evaluation.FeedbackInvitation")
    links, _ = invitation._default_manager.filter(
        used_at__isnull=True, request__deadline__lt=link_limit
    ).delete()
    logins, _ = AuditEvent.objects.filter(kind__in=LOGIN_KINDS, at__lt=login_limit).delete()
    for label, field in AXES_DATED:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        deleted, _ = model._default_manager.filter(**{f"{field}__lt": login_limit}).delete()
        logins += deleted
    return {"feedback_links": links, "login_records": logins}
