"""The coverage section of the evaluation overview: the work programme and the year it
shows (its own two fields beside the overview's), and its figures (evaluation/coverage.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programme.models import WorkProgramme

from .coverage import coverage, coverage_chart


class CoverageForm(forms.Form):
    """The programme and the year of the coverage section (``coverage_programme``,
    ``coverage_year`` in the overview's address)."""

    coverage_programme = forms.ModelChoiceField(
        queryset=WorkProgramme.objects.none(),
        label=gettext_lazy("Work programme"),
        required=False,
        empty_label=None,
    )
    coverage_year = forms.IntegerField(label=gettext_lazy("Year"), required=False)

    def __init__(self, data, *, programmes: QuerySet[WorkProgramme], default, year: int | None):
        super().__init__(data)
        self.fields["coverage_programme"].queryset = programmes
        self.default, self.default_year = default, year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wp = data.get("coverage_programme") or self.default
        data["coverage_programme"] = wp
        year = data.get("coverage_year") or self.default_year
        if wp is not None and (year is None or year not in wp.years):
            if self.data.get("coverage_year"):
                self.add_error(
                    "coverage_year",
                    _("Choose a year of the work programme, %(first)s to %(last)s.")
                    % {"first": wp.first_year, "last": wp.last_year},
                )
            year = wp.last_year if year is None or year > wp.last_year else wp.first_year
        data["coverage_year"] = year
        return data


def coverage_for_overview(
    params: Any, *, programmes: QuerySet[WorkProgramme], default, year: int | None
) -> dict[str, Any]:
    """The overview's coverage section: its form, and the figures when the form is valid."""
    form = CoverageForm(params, programmes=programmes, default=default, year=year)
    if not form.is_valid() or form.cleaned_data["coverage_programme"] is None:
        return {"coverage_form": form, "coverage": None}
    cov = coverage(form.cleaned_data["coverage_programme"], form.cleaned_data["coverage_year"])
    return {
        "coverage_form": form,
        "coverage": cov,
        "coverage_chart": coverage_chart(cov),
        "coverage_tables": [
            (_("By activity format"), cov.by_format, "coverage-by-format"),
            (_("By lead member state"), cov.by_state, "coverage-by-state"),
        ],
    }
