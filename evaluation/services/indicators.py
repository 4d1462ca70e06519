"""Indicators of an activity's expected results and their measurements."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity
from pompidou import audit
from pompidou.errors import DomainError
from pompidou.rules import require
from pompidou.tombstones import touch

from .. import permissions
from ..models import Indicator, Measurement
from ._common import decimal_or_error


@transaction.atomic
def indicator_add(
    *,
    activity: Activity,
    actor: User,
    name: str,
    baseline: Any,
    target: Any,
    unit: str = "",
    direction: str = Indicator.Direction.HIGHER,
) -> Indicator:
    """Add an indicator, with its baseline and target, to an activity."""
    require(permissions.can_manage_indicators(actor, activity))
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Name the indicator.")]
    base = decimal_or_error(baseline, "baseline", errors)
    goal = decimal_or_error(target, "target", errors)
    if direction not in Indicator.Direction.values:
        errors["direction"] = [_("Say whether higher or lower is better.")]
    if errors or base is None or goal is None:  # None comes with an error
        raise DomainError(errors)
    indicator = Indicator.objects.create(
        activity=activity, name=name, unit=unit, baseline=base, target=goal, direction=direction
    )
    audit.record(indicator, audit.Kind.CREATED, actor)
    return indicator


@transaction.atomic
def measurement_add(
    *, indicator: Indicator, actor: User, date: dt.date, value: Any, note: str = ""
) -> Measurement:
    """Record a measurement of an indicator (never in the future)."""
    require(permissions.can_manage_indicators(actor, indicator.activity))
    errors: dict[str, list[str]] = {}
    amount = decimal_or_error(value, "value", errors)
    if date is None:
        errors["date"] = [_("Give the date of the measurement.")]
    elif date > timezone.localdate():
        errors["date"] = [_("A measurement cannot be dated in the future.")]
    if errors or amount is None:  # None comes with an error
        raise DomainError(errors)
    measurement = Measurement.objects.create(
        indicator=indicator, date=date, value=amount, note=note
    )
    touch(Indicator, [indicator.pk])  # the indicator's record shows its measurements
    audit.record(
        measurement,
        audit.Kind.CREATED,
        actor,
        changes={"value": [None, amount], "date": [None, date]},
    )
    return measurement
