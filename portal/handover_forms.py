"""Forms of the adoption and hand-over pages (portal/handover.py). Input and widgets
only: the services (programme.handover, proposals.handover) check and word the rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.handover import ActivityRow
from activities.models import Activity
from pompidou.forms import DayMonthYearInput, Form
from programme.handover import suggested_format, suggested_priorities
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme
from proposals.handover import CLOSE, MOVE, ProposalRow
from proposals.models import Proposal


class AdoptionForm(Form):
    """What the Ministerial Conference adopted (the service says what is missing)."""

    adopted_by_en = forms.CharField(
        label=_("Conference (English)"),
        max_length=200,
        required=False,
        help_text=_("As the document names it: “6th Ministerial Conference of the Group”."),
    )
    adopted_by_fr = forms.CharField(
        label=_("Conference (French)"),
        max_length=200,
        required=False,
        help_text=_("Left empty, French pages show the English name."),
    )
    conference_number = forms.IntegerField(label=_("Number of the Conference"), required=False)
    adopted_place = forms.CharField(label=_("Place"), max_length=100, required=False)
    conference_start = forms.DateField(
        label=_("First day"), required=False, widget=DayMonthYearInput()
    )
    adopted_on = forms.DateField(
        label=_("Last day (day of adoption)"), required=False, widget=DayMonthYearInput()
    )
    reference = forms.CharField(
        label=_("Reference of the adopted document"),
        max_length=40,
        required=False,
        help_text=_("For example P-PG/MinConf (2018) 4."),
    )


@dataclass(frozen=True)
class Choices:
    """The new programme's priorities and formats, read once for every row of the page
    (a model choice field would read them again for each row)."""

    priorities: list[ThematicPriority]
    formats: list[PermanentFormat]

    @classmethod
    def of(cls, programme: WorkProgramme) -> Choices:
        return cls(
            list(programme.priorities.order_by("number")),
            list(programme.formats.order_by("number")),
        )


class _MappingForm(Form):
    """The new programme's priorities (several, as an activity has) and format."""

    shown = forms.BooleanField(widget=forms.HiddenInput, initial=True, required=False)
    thematic_priorities = forms.TypedMultipleChoiceField(
        label=_("Priorities in the new programme"),
        widget=forms.CheckboxSelectMultiple,
        coerce=int,
        required=False,
    )
    permanent_format = forms.TypedChoiceField(
        label=_("Format in the new programme"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, choices: Choices, source: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.source = source
        priorities = cast(forms.TypedMultipleChoiceField, self.fields["thematic_priorities"])
        priorities.choices = [(p.pk, f"{p.number} {p.title}") for p in choices.priorities]
        fmt = cast(forms.TypedChoiceField, self.fields["permanent_format"])
        fmt.choices = [
            ("", _("— none (time-limited activity) —")),
            *((f.pk, f"{f.number} {f.short_name or f.name}") for f in choices.formats),
        ]
        suggested = suggested_priorities(source.thematic_priorities.all(), choices.priorities)
        self.initial.setdefault("thematic_priorities", [p.pk for p in suggested])
        match = suggested_format(source.permanent_format, choices.formats)
        self.initial.setdefault("permanent_format", match.pk if match else None)

    def mapping(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "thematic_priorities": list(data.get("thematic_priorities") or []),
            "permanent_format": data.get("permanent_format"),
        }

    @property
    def was_shown(self) -> bool:
        return bool(self.cleaned_data.get("shown"))


class ActivityRowForm(_MappingForm):
    """One running activity: carried over (with its new priorities and format) or not."""

    carry_over = forms.BooleanField(
        label=_("Carry over to the new programme"), required=False, initial=True
    )
    field_order = ["shown", "carry_over", "thematic_priorities", "permanent_format"]

    def __init__(self, *args: Any, activity: Activity, choices: Choices, **kwargs: Any):
        kwargs.setdefault("prefix", f"activity-{activity.pk}")
        super().__init__(*args, choices=choices, source=activity, **kwargs)

    def row(self) -> ActivityRow:
        return ActivityRow(
            activity=self.source.pk, carry_over=self.cleaned_data["carry_over"], **self.mapping()
        )


class ProposalRowForm(_MappingForm):
    """One open proposal: moved to the new programme (mapped) or closed with a reason."""

    action = forms.ChoiceField(
        label=_("What becomes of it"),
        choices=[
            (MOVE, _("Move it to the new programme")),
            (CLOSE, _("Close it with a reason")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        required=False,
    )
    year = forms.TypedChoiceField(
        label=_("Year of the annual programme"), coerce=int, required=False, empty_value=None
    )
    reason = forms.CharField(
        label=_("Reason for closing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when it is closed; the proposing delegation reads it."),
    )
    field_order = ["shown", "action", "thematic_priorities", "permanent_format", "year", "reason"]

    def __init__(
        self, *args: Any, proposal: Proposal, new: WorkProgramme, choices: Choices, **kwargs: Any
    ):
        kwargs.setdefault("prefix", f"proposal-{proposal.pk}")
        super().__init__(*args, choices=choices, source=proposal, **kwargs)
        if proposal.route == Proposal.Route.ANNUAL:
            year = cast(forms.TypedChoiceField, self.fields["year"])
            year.choices = [("", "—"), *((y, str(y)) for y in new.years)]
            in_new = proposal.year if proposal.year in new.years else new.first_year
            self.initial.setdefault("year", in_new)
        else:
            del self.fields["year"]
        self.initial.setdefault("action", MOVE)

    def row(self) -> ProposalRow:
        data = self.cleaned_data
        return ProposalRow(
            proposal=self.source.pk,
            action=data.get("action") or "",
            year=data.get("year"),
            reason=data.get("reason") or "",
            **self.mapping(),
        )
