"""The form of "Suggest a programme within budget": the year, a minimum per thematic
priority, a maximum per format, proposals to include or leave out, and whether only
proposals above the threshold may be chosen. The rules are the service's."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pompidou.forms import Form
from programme.models import PermanentFormat, ThematicPriority

from .prioritise import Candidate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Enough for any programme, small enough that a typo (5000) is a form error.
MOST = 500


def _name(prefix: str, number: str) -> str:
    return f"{prefix}_{number.replace('.', '_')}"


def _proposals(label: "StrOrPromise", help_text: "StrOrPromise") -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=MOST, required=False)


class PrioritiseForm(Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    include = _proposals(_("Must include"), _("These proposals are in every suggestion."))
    exclude = _proposals(_("Must leave out"), _("These proposals are in no suggestion."))
    above_threshold_only = forms.BooleanField(
        label=_("Only proposals above the threshold (recommended)"), required=False
    )

    def __init__(
        self,
        *args: Any,
        years: list[int],
        priorities: list[ThematicPriority],
        formats: list[PermanentFormat],
        candidates: list[Candidate],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        choices = [(c.pk, f"{c.reference} {c.title}") for c in candidates]
        self.fields["include"].choices = choices  # type: ignore[attr-defined]
        self.fields["exclude"].choices = choices  # type: ignore[attr-defined]
        self.minimums = {_name("min", p.number): p for p in priorities}
        self.maximums = {_name("max", f.number): f for f in formats}
        for name, priority in self.minimums.items():
            self.fields[name] = _count(f"{priority.number} {priority.title}")
        for name, format_ in self.maximums.items():
            self.fields[name] = _count(f"{format_.number} {format_.name}")

    def minimum_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.minimums]

    def maximum_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.maximums]

    def service_kwargs(self) -> dict[str, Any]:
        """The service's arguments; an empty box is no constraint."""
        data = self.cleaned_data

        def counts(fields: dict) -> dict[str, int]:
            return {
                obj.number: data[name] for name, obj in fields.items() if data[name] is not None
            }

        return {
            "year": data["year"],
            "min_per_priority": counts(self.minimums),
            "max_per_format": counts(self.maximums),
            "include": data["include"],
            "exclude": data["exclude"],
            "above_threshold_only": data["above_threshold_only"],
        }
