"""Entries of annual programmes: matched on (year, activity reference). A new entry
goes in through ``annual_programme_add_adopted`` (the year's draft is started when
there is none; the activity must run that year, belong to the programme and not be
cancelled). An adopted programme's entries are frozen: a row that would change one
is refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity, AnnualProgramme, AnnualProgrammeEntry
from activities.services import annual_programme_add_adopted
from pompidou import audit
from pompidou.errors import DomainError

from ..columns import Column, parse_decimal, parse_int, text
from .base import CREATED, UNCHANGED, UPDATED, ImportKind

COLUMNS = (
    Column(
        "year",
        "Year",
        "Année",
        gettext_lazy("The year of the annual programme, e.g. 2016."),
        required=True,
        parse=parse_int,
    ),
    Column(
        "activity",
        "Activity reference",
        "Référence de l'activité",
        gettext_lazy("The reference of an activity already in the portal, e.g. PG-2016-014."),
        required=True,
        parse=lambda value: text(value).upper(),
    ),
    Column(
        "budget",
        "Budget for the year (EUR)",
        "Budget de l'année (EUR)",
        gettext_lazy("Empty: the activity's planned budget."),
        parse=parse_decimal,
    ),
)


class AnnualProgrammeImport(ImportKind):
    name = "annual-programmes"
    label = gettext_lazy("Annual-programme entries")
    columns = COLUMNS
    key_column = "activity"

    def key_of(self, values: dict[str, Any]) -> str:
        return f"{values.get('year')} {text(values.get('activity'))}"

    def apply(self, values: dict[str, Any], actor: Any) -> str:
        year, reference = values["year"], values["activity"]
        activity = Activity.objects.filter(reference=reference).first()
        if activity is None:
            raise DomainError(
                _("No activity has the reference %(ref)s; import the activities first.")
                % {"ref": reference},
                field="activity",
            )
        budget = values.get("budget")
        if budget is not None and budget < 0:
            raise DomainError(_("The budget cannot be negative."), field="budget")
        entry = (
            AnnualProgrammeEntry.objects.filter(annual_programme__year=year, activity=activity)
            .select_related("annual_programme")
            .first()
        )
        if entry is None:
            annual_programme_add_adopted(activity=activity, year=year, actor=actor, budget=budget)
            return CREATED
        wanted = activity.planned_budget if budget is None else Decimal(budget)
        if entry.budget == wanted:
            return UNCHANGED
        if entry.annual_programme.status == AnnualProgramme.Status.ADOPTED:
            raise DomainError(
                _("The annual programme %(year)s is adopted: its budgets are frozen.")
                % {"year": year},
                field="budget",
            )
        old = entry.budget
        entry.budget = wanted
        entry.save(update_fields=["budget"])
        audit.record(
            entry.annual_programme,
            audit.Kind.UPDATED,
            actor,
            changes={reference: [old, wanted]},
            comment="import",
        )
        return UPDATED
