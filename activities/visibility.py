"""Which activities the public sees, stored on each row (``Activity.is_public``).

The rule: an activity is public once adopted. Ad hoc and urgent activities are adopted
when they are created (by the Permanent Correspondents or the Bureau); an annual-route
activity is adopted when it stands in an adopted annual programme. Asking that rule
row by row (an ``OR`` with an ``EXISTS`` over the entries) is a sequential scan that no
index serves, so every list counted the whole table; the flag, indexed, is what the
lists filter on, and ``refresh_public`` is the one place that writes it.

Every service that changes an input of the rule (an activity's creation or route, an
entry added to or removed from an annual programme, an annual programme's adoption)
calls ``refresh_public`` with the activities it touched; bulk loaders call it with
no argument once they are done.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from pompidou.listing import lists_changed

from .models import Activity, AnnualProgramme, AnnualProgrammeEntry

PUBLIC_ROUTES = (Activity.Route.AD_HOC, Activity.Route.URGENT)


def public_rule() -> Q:
    """The rule itself, as a condition on activities (read by ``refresh_public`` only:
    the lists read the stored flag)."""
    in_adopted_programme = AnnualProgrammeEntry.objects.filter(
        activity=OuterRef("pk"), annual_programme__status=AnnualProgramme.Status.ADOPTED
    )
    return Q(adoption_route__in=PUBLIC_ROUTES) | Q(Exists(in_adopted_programme))


def refresh_public(activity_ids: Iterable[int] | None = None) -> int:
    """Store the rule's answer on the activities ``activity_ids`` (every activity when
    None, as after a bulk load). Two updates touching only the rows whose answer
    changed; a row that changes also gets a new ``updated_at`` (it appears to, or
    leaves, the public). Returns how many rows changed."""
    qs = Activity.objects.all()
    if activity_ids is not None:
        ids = list(activity_ids)
        if not ids:
            return 0
        qs = qs.filter(pk__in=ids)
    now = timezone.now()
    rule = public_rule()
    shown = qs.filter(is_public=False).filter(rule).update(is_public=True, updated_at=now)
    hidden = qs.filter(is_public=True).exclude(rule).update(is_public=False, updated_at=now)
    if shown or hidden:
        lists_changed()  # the public lists' cached counts
    return shown + hidden


def refresh_public_of_programme(annual_programme_id: int) -> int:
    """The activities of one annual programme, after its entries or status changed."""
    ids = AnnualProgrammeEntry.objects.filter(annual_programme_id=annual_programme_id).values_list(
        "activity_id", flat=True
    )
    return refresh_public(ids)
