"""Past proposals with their decisions: matched on their reference (PR-2016-0003).

A past proposal arrives decided: its status is the decision's outcome (adopted,
rejected, deferred) or withdrawn. Its fields are checked by the drafting service's
own rules (``_check_fields``: title, dates, cost, route, the year within the work
programme's years, priorities and format of that programme), the decision by those
of ``decision_record`` (a rationale, a known outcome) and the model's own checks; an
adopted proposal names the activity it became (the database wants it: one activity
per adopted proposal). A proposal already in the portal and still open takes the
row's decision through the proposal workflow; a decided one is never changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity
from pompidou import audit
from pompidou.errors import NON_FIELD, DomainError
from pompidou.sequences import PROPOSAL
from programme.models import WorkProgramme
from proposals.models import Decision, Proposal, Support
from proposals.permissions import own_delegation_support
from proposals.services.drafting import _check_fields
from proposals.workflow import PROPOSAL_WORKFLOW

from ..columns import Column, parse_date, parse_int, text
from .base import CREATED, UNCHANGED, UPDATED, Errors, ImportKind, choice_parser
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
    upper,
)

S = Proposal.Status


class Outcome(models.TextChoices):
    """What became of a past proposal: a decision's outcome, or its withdrawal."""

    ADOPTED = "adopted", gettext_lazy("Adopted")
    REJECTED = "rejected", gettext_lazy("Rejected")
    DEFERRED = "deferred", gettext_lazy("Deferred")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


COLUMNS = (
    reference_column(
        gettext_lazy("PR-YEAR-NUMBER, e.g. PR-2016-0003: the proposal's natural key.")
    ),
    Column("title", "Title", "Titre", gettext_lazy("The proposal's title."), required=True),
    programme_column(
        gettext_lazy("Its reference; empty: the programme whose years include the year.")
    ),
    Column(
        "member_state",
        "Proposing member state",
        "État proposant",
        gettext_lazy("ISO code, e.g. FR."),
        required=True,
        parse=upper,
    ),
    states_column("supporting_states", "Supporting states", "États soutenant la proposition"),
    choice_column(
        "route",
        "Route",
        "Voie",
        gettext_lazy("annual, ad_hoc or urgent (empty: annual)."),
        Proposal.Route,
    ),
    Column(
        "year",
        "Year",
        "Année",
        gettext_lazy("The annual programme it was for, e.g. 2016 (annual route)."),
        parse=parse_int,
    ),
    THEMATIC_PRIORITIES,
    format_column(gettext_lazy("The format's number (4.1 … 4.9); empty for none.")),
    *dates(required=False),
    amount_column("estimated_cost", "Estimated cost (EUR)", "Coût estimé (EUR)"),
    Column("scope", "Scope", "Portée"),
    Column("purpose", "Purpose", "Objet"),
    Column("expected_outcome", "Expected outcome", "Résultat attendu"),
    Column(
        "human_rights_statement",
        "Human-rights considerations",
        "Considérations relatives aux droits humains",
    ),
    Column("gender_statement", "Gender considerations", "Considérations de genre"),
    Column(
        "submitted",
        "Submitted",
        "Soumise le",
        gettext_lazy("The date it was submitted."),
        required=True,
        parse=parse_date,
    ),
    Column(
        "outcome",
        "Decision",
        "Décision",
        gettext_lazy("adopted, rejected, deferred or withdrawn."),
        required=True,
        parse=choice_parser(Outcome),
        choices=tuple(Outcome.values),
    ),
    Column(
        "decided_on",
        "Decision date",
        "Date de la décision",
        gettext_lazy("Required for a decision; not before the submission."),
        parse=parse_date,
    ),
    choice_column(
        "body",
        "Decided by",
        "Décidée par",
        gettext_lazy("pc (Permanent Correspondents) or bureau (empty: pc)."),
        Decision.Body,
    ),
    Column(
        "rationale",
        "Rationale",
        "Motifs",
        gettext_lazy("Why it was decided so; required for a decision."),
    ),
    Column(
        "activity",
        "Activity reference",
        "Référence de l'activité",
        gettext_lazy("Adopted: the activity it became, already in the portal (PG-2016-014)."),
        parse=upper,
    ),
)

TEXT_FIELDS = (
    "title",
    "scope",
    "purpose",
    "expected_outcome",
    "human_rights_statement",
    "gender_statement",
)
# The fields compared when a row names a proposal already in the portal.
COMPARED = (
    *TEXT_FIELDS,
    "work_programme",
    "member_state",
    "route",
    "year",
    "start_date",
    "end_date",
    "estimated_cost",
    "permanent_format",
    "thematic_priorities",
)


def _submitted_at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class ProposalImport(ImportKind):
    name = "proposals"
    label = gettext_lazy("Proposals with their decisions")
    columns = COLUMNS
    key_column = "reference"

    def __init__(self) -> None:
        super().__init__()
        self.references = References("PR", PROPOSAL, "PR-2016-0003")
        self.existing: dict[str, Proposal] = {}
        self.activities: dict[str, Activity] = {}
        self.linked: dict[str, str] = {}  # activity reference → proposal of this file

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        self.existing = {
            str(p.reference): p
            for p in Proposal.objects.filter(reference__in=[row["reference"] for row in rows])
            .select_related("work_programme", "member_state", "permanent_format", "activity")
            .prefetch_related("thematic_priorities", "decisions")
        }
        wanted = [row["activity"] for row in rows if row.get("activity")]
        self.activities = {
            a.reference: a
            for a in Activity.objects.filter(reference__in=wanted).select_related("proposal")
        }

    def finish(self) -> None:
        self.references.continue_sequence()

    # --- from cells to the proposal's fields ----------------------------------

    def _programme(self, values: dict[str, Any], errors: Errors) -> WorkProgramme | None:
        wanted = text(values.get("work_programme"))
        if wanted:
            return programme_named(self.programmes(), wanted, errors)
        year = values.get("year") or (values.get("submitted") or dt.date.min).year
        running = [wp for wp in self.programmes() if year in wp.years]
        if running:
            return running[-1]
        field = "year" if values.get("year") else "work_programme"
        errors.setdefault(field, []).append(
            _("No work programme covers the year %(year)s; name it in the column.") % {"year": year}
        )
        return None

    def fields(self, values: dict[str, Any], errors: Errors) -> dict[str, Any]:
        fields: dict[str, Any] = {f: values.get(f) or "" for f in TEXT_FIELDS}
        for f in ("year", "start_date", "end_date", "estimated_cost"):
            fields[f] = values.get(f)
        fields["route"] = values.get("route") or Proposal.Route.ANNUAL
        code = values["member_state"]
        fields["member_state"] = self.member_state(code, "member_state", errors)
        wp = fields["work_programme"] = self._programme(values, errors)
        fields["thematic_priorities"] = []
        fields["permanent_format"] = None
        if wp is None:
            return fields
        numbers = values.get("thematic_priorities") or []
        fields["thematic_priorities"] = priorities_in(wp, numbers, errors)
        fields["permanent_format"] = format_in(wp, values.get("permanent_format"), errors)
        if fields["route"] == Proposal.Route.ANNUAL and fields["year"] is None:
            # The rule of a submission (``missing_for_submission``).
            errors.setdefault("year", []).append(
                _("Say which year's annual programme it should join.")
            )
        for field, messages in _check_fields(fields, wp).items():
            errors.setdefault(field, []).extend(messages)
        return fields

    def _supporters(self, values: dict[str, Any], proposing: Any, errors: Errors) -> list[Any]:
        codes = values.get("supporting_states") or []
        supporters = self.member_states(codes, "supporting_states", errors)
        if proposing is not None and proposing in supporters:
            errors.setdefault("supporting_states", []).append(own_delegation_support(proposing))
        return supporters

    def _decision(self, values: dict[str, Any], reference: str, errors: Errors) -> Activity | None:
        """The decision's own rules; the activity an adoption names."""
        outcome, decided_on = values["outcome"], values.get("decided_on")
        submitted = values["submitted"]
        if outcome != Outcome.WITHDRAWN:
            if decided_on is None:
                errors.setdefault("decided_on", []).append(_("Give the date of the decision."))
            if not text(values.get("rationale")):
                errors.setdefault("rationale", []).append(_("Give the rationale of the decision."))
        if decided_on is not None and decided_on < submitted:
            errors.setdefault("decided_on", []).append(
                _("The decision (%(decided)s) is before the submission (%(submitted)s).")
                % {"decided": decided_on.isoformat(), "submitted": submitted.isoformat()}
            )
        wanted = values.get("activity") or ""
        if outcome != Outcome.ADOPTED:
            if wanted:
                errors.setdefault("activity", []).append(
                    _("Only an adopted proposal names the activity it became.")
                )
            return None
        if not wanted:
            errors.setdefault("activity", []).append(
                _("Name the activity the adopted proposal became (import the activities first).")
            )
            return None
        activity = self.activities.get(wanted)
        if activity is None:
            errors.setdefault("activity", []).append(
                _("No activity has the reference %(ref)s; import the activities first.")
                % {"ref": wanted}
            )
            return None
        owner = getattr(activity, "proposal", None)
        other = owner.reference if owner is not None else self.linked.get(wanted)
        if other and other != reference:
            errors.setdefault("activity", []).append(
                _("The activity %(activity)s is already the adoption of %(other)s.")
                % {"activity": wanted, "other": other}
            )
        return activity

    # --- writing ----------------------------------------------------------------

    def apply(self, values: dict[str, Any], actor: Any) -> str:
        errors: Errors = {}
        reference = values["reference"]
        numbered = self.references.check(reference, errors)
        if actor is None or not getattr(actor, "is_authenticated", False):
            errors.setdefault(NON_FIELD, []).append(
                _("A proposal is recorded as proposed by the person who imports it: sign in.")
            )
        fields = self.fields(values, errors)
        supporters = self._supporters(values, fields["member_state"], errors)
        activity = self._decision(values, reference, errors)
        if errors:
            raise DomainError(errors)
        if activity is not None:
            self.linked[activity.reference] = reference
        proposal = self.existing.get(reference)
        if proposal is None:
            created = self._create(reference, fields, values, activity, actor)
            Support.objects.bulk_create(
                Support(proposal=created, member_state=s, note=_("imported")) for s in supporters
            )
            self.references.taken(numbered)
            return CREATED
        return self._decide_existing(proposal, fields, values, activity, actor)

    def _create(
        self,
        reference: str,
        fields: dict[str, Any],
        values: dict[str, Any],
        activity: Activity | None,
        actor: Any,
    ) -> Proposal:
        priorities = fields.pop("thematic_priorities")
        outcome = values["outcome"]
        proposal = Proposal(
            reference=reference,
            proposer=actor,
            status=outcome,
            submitted_at=_submitted_at(values["submitted"]),
            activity=activity,
            **fields,
        )
        # The references were looked up (the file's and the portal's), the activity's
        # owner too, and the constraints' rules checked above; the database still
        # enforces them. What is left is each field's own validators.
        proposal.full_clean(
            exclude=["proposer", "work_programme", "member_state", "activity", "permanent_format"],
            validate_unique=False,
            validate_constraints=False,
        )
        proposal.save()
        proposal.thematic_priorities.set(priorities)
        if outcome != Outcome.WITHDRAWN:
            self._record_decision(proposal, values, actor)
        audit.record(
            proposal,
            audit.Kind.CREATED,
            actor,
            changes={"reference": [None, reference], "status": [None, outcome]},
            comment=_("Imported from a spreadsheet."),
        )
        return proposal

    def _record_decision(self, proposal: Proposal, values: dict[str, Any], actor: Any) -> None:
        decision = Decision(
            proposal=proposal,
            outcome=values["outcome"],
            body=values.get("body") or Decision.Body.PERMANENT_CORRESPONDENTS,
            decided_on=values["decided_on"],
            rationale=text(values.get("rationale")),
            recorded_by=actor,
        )
        decision.full_clean(
            exclude=["proposal", "recorded_by", "meeting"],
            validate_unique=False,
            validate_constraints=False,
        )
        decision.save()

    def _differences(
        self, proposal: Proposal, fields: dict[str, Any], values: dict[str, Any]
    ) -> list[str]:
        current = {f: getattr(proposal, f) for f in COMPARED if f != "thematic_priorities"}
        current["thematic_priorities"] = list(proposal.thematic_priorities.all())
        # Only what the file says: a column it does not have changes nothing.
        wanted = {f: fields[f] for f in COMPARED if f in values or f == "work_programme"}
        return sorted(audit.diff(current, wanted))

    def _decide_existing(
        self,
        proposal: Proposal,
        fields: dict[str, Any],
        values: dict[str, Any],
        activity: Activity | None,
        actor: Any,
    ) -> str:
        """The row's proposal is in the portal: unchanged if it says the same; an open
        one takes the row's decision through the workflow; nothing else changes."""
        differences = self._differences(proposal, fields, values)
        if differences:
            raise DomainError(
                _(
                    "%(ref)s is already in the portal with other values (%(fields)s); an "
                    "import does not change a submitted proposal."
                )
                % {"ref": proposal.reference, "fields": ", ".join(differences)},
                field=differences[0] if differences[0] in values else NON_FIELD,
            )
        outcome = values["outcome"]
        if proposal.status == outcome:
            if self._same_decision(proposal, values, activity):
                return UNCHANGED
            raise DomainError(
                _("%(ref)s was already decided otherwise; an import does not change a decision.")
                % {"ref": proposal.reference},
                field="decided_on",
            )
        if not PROPOSAL_WORKFLOW.can_move(proposal.status, outcome):
            raise PROPOSAL_WORKFLOW.refuse(proposal.status, outcome)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if outcome != Outcome.WITHDRAWN:
            self._record_decision(proposal, values, actor)
        extra: dict[str, Any] = {"activity": activity} if activity is not None else {}
        PROPOSAL_WORKFLOW.move(
            proposal,
            outcome,
            actor,
            check_permission=False,
            comment=_("Imported from a spreadsheet."),
            **extra,
        )
        return UPDATED

    def _same_decision(
        self, proposal: Proposal, values: dict[str, Any], activity: Activity | None
    ) -> bool:
        if proposal.activity_id != (activity.pk if activity else None):
            return False
        if values["outcome"] == Outcome.WITHDRAWN:
            return True
        body = values.get("body") or Decision.Body.PERMANENT_CORRESPONDENTS
        return any(
            d.outcome == values["outcome"]
            and d.decided_on == values["decided_on"]
            and d.body == body
            and d.rationale == text(values.get("rationale"))
            for d in proposal.decisions.all()
        )
