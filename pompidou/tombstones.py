"""The writes the API's sync relies on (``pompidou.sync``, ``pompidou.changes``):
``touch`` moves a row's ``updated_at`` when what it shows through a relation changes,
and the tombstones the changes feed reports (``pompidou.models.Tombstone``).

One place per kind of departure:

- a deletion, whatever deletes the row (a service, the back office, a cascade):
  ``record_deletion``, connected to ``post_delete`` of every model the API lists
  (``connect``, from ``PompidouConfig.ready``);
- a record leaving some readers' sight while it stays (a proposal withdrawn, an
  activity no longer public): ``record_departure``, called by the app's service that
  makes that change.

The apps call into this module; it imports none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_delete
from django.utils import timezone

from .listing import lists_changed
from .models import ReportJob, Tombstone

Reason = Tombstone.Reason

# The fields a record is named by in the API, besides its id (activities by
# reference, member states by code, annual programmes by year).
KEY_FIELDS = ("reference", "code", "year")


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def keys_of(instance: Model) -> dict[str, Any]:
    names = {f.name for f in instance._meta.concrete_fields}
    keys: dict[str, Any] = {"id": instance.pk}
    for name in KEY_FIELDS:
        if name in names:
            keys[name] = getattr(instance, name)
    return keys


def record_departure(instances: Iterable[Model], reason: str) -> None:
    """The records ``instances`` left some readers' sight (``reason``: withdrawn,
    unpublished). Called inside the service's transaction."""
    Tombstone.objects.bulk_create(
        Tombstone(
            model=label(type(instance)),
            object_id=instance.pk,
            keys=keys_of(instance),
            reason=reason,
        )
        for instance in instances
    )


def record_deletion(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """``post_delete`` receiver: one tombstone per deleted row of a listed model."""
    if instance.pk is None:
        return
    record_departure([instance], Reason.DELETED)


def synced_models() -> list[type[Model]]:
    """The models whose rows the API lists and a client mirrors: those with an
    ``updated_at`` (compiled documents excepted: they are jobs, not list rows)."""
    return [
        model
        for model in apps.get_models()
        if any(f.name == "updated_at" for f in model._meta.concrete_fields)
        and not issubclass(model, ReportJob)
    ]


def connect() -> None:
    # One receiver per model, not one for every sender: a receiver for all senders
    # would turn every bulk delete of the portal (purges, cascades) into a row by row
    # one, since Django fast-deletes only models nobody listens to.
    for model in synced_models():
        post_delete.connect(record_deletion, sender=model, dispatch_uid=f"tomb-{label(model)}")


def touch(model: type[Model], pks: Any) -> None:
    """Move ``updated_at`` of the rows ``pks`` of ``model``: a service calls it when it
    changes what a row shows through a relation (an activity's milestones, a
    proposal's supports), so a syncing client fetches the row again."""
    model._default_manager.filter(pk__in=pks).update(updated_at=timezone.now())
    lists_changed()  # an update() sends no signal; the lists' cached figures are stale


def horizon(now: dt.datetime | None = None) -> dt.datetime:
    """The oldest moment the feed still knows every deletion after."""
    days = settings.SYNC_TOMBSTONE_RETENTION_DAYS
    return (now or timezone.now()) - dt.timedelta(days=days)


def purge(now: dt.datetime | None = None) -> int:
    """Delete tombstones past the retention (run nightly by beat); returns how many."""
    deleted, _by_model = Tombstone.objects.filter(at__lt=horizon(now)).delete()
    return deleted
