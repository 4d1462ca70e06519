"""Past activities: matched on their reference (PG-2016-014), written under the rules
of ``activities.services`` (the one validation of an activity's fields, the
transversal considerations before it runs, the status workflow)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity
from activities.services.activities import (
    SCALAR_FIELDS,
    _apply_changes,
    _transversal_missing,
    _validate_activity,
    current_values,
)
from activities.visibility import refresh_public
from activities.workflow import ACTIVITY_WORKFLOW
from pompidou import audit
from pompidou.errors import DomainError
from pompidou.models import AuditEvent
from pompidou.sequences import ACTIVITY
from programme.models import WorkProgramme

from ..columns import (
    Column,
    parse_bool,
    parse_decimal,
    text,
)
from .base import CREATED, UNCHANGED, UPDATED, Errors, ImportKind
from .shared import (
    THEMATIC_PRIORITIES,
    References,
    amount_column,
    choice_column,
    dates,
    format_column,
    format_in,
    priorities_in,
    programme_column,
    programme_named,
    reference_column,
    states_column,
)

# Statuses in which the activity has started: priority 3.1 wants the transversal
# considerations stated by then (the rule of ``activity_change_status``).
STARTED = {Activity.Status.ONGOING, Activity.Status.COMPLETED, Activity.Status.SUSPENDED}


COLUMNS = (
    reference_column(gettext_lazy("PG-YEAR-NUMBER, e.g. PG-2016-014: the activity's natural key.")),
    Column("title", "Title", "Titre", gettext_lazy("The activity's title."), required=True),
    Column("description", "Description", "Description"),
    programme_column(
        gettext_lazy("Its reference; empty: the programme whose years include the start.")
    ),
    format_column(
        gettext_lazy("The format's number (4.1 … 4.9); empty for a time-limited activity.")
    ),
    choice_column(
        "adoption_route",
        "Adopted by",
        "Adoptée par",
        gettext_lazy("annual, ad_hoc or urgent (empty: annual)."),
        Activity.Route,
    ),
    THEMATIC_PRIORITIES,
    Column(
        "lead_member_state",
        "Lead member state",
        "État chef de file",
        gettext_lazy("ISO code, e.g. FR."),
    ),
    states_column("participating_states", "Participating states", "États participants"),
    *dates(required=True),
    choice_column(
        "status",
        "Status",
        "Statut",
        gettext_lazy("planned, ongoing, completed, cancelled or suspended (empty: planned)."),
        Activity.Status,
    ),
    amount_column("planned_budget", "Planned budget (EUR)", "Budget prévu (EUR)"),
    Column("spent", "Spent (EUR)", "Dépensé (EUR)", parse=parse_decimal),
    Column(
        "carried_over",
        "Carried over",
        "Reportée",
        gettext_lazy("yes if it runs beyond its work programme's years."),
        parse=parse_bool,
        choices=("yes", "no"),
    ),
    Column("expected_results", "Expected results", "Résultats attendus"),
    Column(
        "human_rights_considerations",
        "Human-rights considerations",
        "Considérations relatives aux droits humains",
        gettext_lazy("Required once the activity has started (priority 3.1)."),
    ),
    Column(
        "gender_considerations",
        "Gender considerations",
        "Considérations de genre",
        gettext_lazy("Required once the activity has started (priority 3.1)."),
    ),
    Column("ungass_relevance", "Relevance to UNGASS 2016", "Pertinence pour l'UNGASS 2016"),
)

DEFAULTS: dict[str, Any] = {
    "description": "",
    "permanent_format": None,
    "adoption_route": Activity.Route.ANNUAL,
    "lead_member_state": None,
    "participating_states": [],
    "planned_budget": Decimal("0"),
    "spent": Decimal("0"),
    "carried_over": False,
    "expected_results": "",
    "human_rights_considerations": "",
    "gender_considerations": "",
    "ungass_relevance": "",
}
TEXT_FIELDS = (
    "title",
    "description",
    "expected_results",
    "human_rights_considerations",
    "gender_considerations",
    "ungass_relevance",
)


class ActivityImport(ImportKind):
    name = "activities"
    label = gettext_lazy("Activities")
    columns = COLUMNS
    key_column = "reference"

    def __init__(self) -> None:
        super().__init__()
        self.references = References("PG", ACTIVITY, "PG-2016-014")
        self.existing: dict[str, Activity] = {}
        # New activities of the chunk with their priorities and states, inserted by flush.
        self.pending: list[tuple[Activity, dict[str, list[Any]]]] = []

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        references = [row["reference"] for row in rows]
        self.existing = {
            a.reference: a
            for a in Activity.objects.filter(reference__in=references)
            # The diff reads every field: the related ones too, in these few queries.
            .select_related("work_programme", "permanent_format", "lead_member_state", "supervisor")
            .prefetch_related(*Activity.MANY_TO_MANY_FIELDS)
        }

    def discard(self) -> None:
        self.pending = []

    def flush(self, actor: Any) -> None:
        """The chunk's new activities: one insert for the activities, one per
        relation, one for their history."""
        if not self.pending:
            return
        activities = Activity.objects.bulk_create([a for a, _links in self.pending])
        refresh_public([a.pk for a in activities])
        for field in Activity.MANY_TO_MANY_FIELDS:
            relation = getattr(Activity, field).field
            through = relation.remote_field.through
            source, target = relation.m2m_column_name(), relation.m2m_reverse_name()
            through.objects.bulk_create(
                through(**{source: activity.pk, target: obj.pk})
                for activity, (_a, links) in zip(activities, self.pending, strict=True)
                for obj in links[field]
            )
        AuditEvent.objects.bulk_create(
            audit.event(
                activity,
                audit.Kind.CREATED,
                actor,
                changes={
                    "reference": [None, activity.reference],
                    "status": [None, activity.status],
                    "source": [None, "import"],
                },
            )
            for activity in activities
        )
        self.pending = []

    # --- from cells to the activity's fields ---------------------------------

    def _programme(self, values: dict[str, Any], errors: Errors) -> WorkProgramme | None:
        wanted = text(values.get("work_programme"))
        if wanted:
            return programme_named(self.programmes(), wanted, errors)
        start = values.get("start_date")
        running = [wp for wp in self.programmes() if start and start.year in wp.years]
        if running:
            return running[-1]
        errors.setdefault("work_programme", []).append(
            _("No work programme covers the start date; name it in the column.")
        )
        return None

    def fields(self, values: dict[str, Any], errors: Errors) -> dict[str, Any]:
        """The activity's fields from the row's values; only the columns the file has."""
        fields: dict[str, Any] = {f: values[f] for f in TEXT_FIELDS if f in values}
        for f in ("start_date", "end_date", "carried_over"):
            if f in values:
                fields[f] = values[f]
        for f in ("planned_budget", "spent"):
            if f in values:
                fields[f] = Decimal("0") if values[f] is None else values[f]
        if "adoption_route" in values:
            fields["adoption_route"] = values["adoption_route"] or Activity.Route.ANNUAL
        wp = self._programme(values, errors)
        fields["work_programme"] = wp
        if wp is not None:
            numbers = values.get("thematic_priorities") or []
            fields["thematic_priorities"] = priorities_in(wp, numbers, errors)
            if "permanent_format" in values:
                fields["permanent_format"] = format_in(wp, values["permanent_format"], errors)
        if "lead_member_state" in values:
            code = text(values["lead_member_state"])
            fields["lead_member_state"] = (
                self.member_state(code, "lead_member_state", errors) if code else None
            )
        if "participating_states" in values:
            fields["participating_states"] = self.member_states(
                values["participating_states"], "participating_states", errors
            )
        return fields

    # --- writing ---------------------------------------------------------------

    def apply(self, values: dict[str, Any], actor: Any) -> str:
        errors: Errors = {}
        reference = values["reference"]
        numbered = self.references.check(reference, errors)
        fields = self.fields(values, errors)
        status = values.get("status")
        if errors:
            raise DomainError(errors)
        activity = self.existing.get(reference)
        if activity is None:
            self._create(reference, fields, status or Activity.Status.PLANNED, actor)
            self.references.taken(numbered)
            return CREATED
        return self._update(activity, fields, status, actor)

    def _check_started(self, values: dict[str, Any], status: str) -> None:
        probe = Activity(**{k: values.get(k, "") for k in TEXT_FIELDS})
        missing = _transversal_missing(probe)
        if status in STARTED and missing:
            raise DomainError(
                _("A %(status)s activity states its %(missing)s (priority 3.1 is transversal).")
                % {
                    "status": ACTIVITY_WORKFLOW.label(status).lower(),
                    "missing": _(" and ").join(missing),
                },
                field="human_rights_considerations",
            )

    def _create(self, reference: str, fields: dict[str, Any], status: str, actor: Any) -> None:
        values = {**DEFAULTS, **fields}
        _validate_activity(values)
        self._check_started(values, status)
        activity = Activity(
            reference=reference,
            status=status,
            **{k: v for k, v in values.items() if k in SCALAR_FIELDS},
        )
        # The foreign keys come from the programme's own lists (read once), the
        # reference was looked up and the constraints are the database's: what is
        # left to check is each field's own validators.
        activity.full_clean(
            exclude=[
                "terms_of_reference_file",
                "work_programme",
                "permanent_format",
                "lead_member_state",
                "supervisor",
            ],
            validate_unique=False,
            validate_constraints=False,
        )
        self.pending.append((activity, {f: list(values[f]) for f in Activity.MANY_TO_MANY_FIELDS}))

    def _update(
        self, activity: Activity, fields: dict[str, Any], status: str | None, actor: Any
    ) -> str:
        current = current_values(activity)
        diff = audit.diff(current, fields)
        moves = status is not None and status != activity.status
        if not diff and not moves:
            return UNCHANGED
        values = {**current, **fields}
        target = status if moves else activity.status
        assert target is not None
        self._check_started(values, target)
        if diff:
            activity = Activity.objects.select_for_update().get(pk=activity.pk)
            _apply_changes(activity=activity, actor=actor, changes=fields, comment="import")
        if moves:
            assert status is not None
            if not ACTIVITY_WORKFLOW.can_move(activity.status, status):
                raise ACTIVITY_WORKFLOW.refuse(activity.status, status)
            ACTIVITY_WORKFLOW.move(
                activity, status, actor, check_permission=False, comment="import"
            )
        return UPDATED

    def finish(self) -> None:
        self.references.continue_sequence()
