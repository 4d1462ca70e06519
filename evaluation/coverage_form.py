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
from .overdue import SHOWN


class CoverageForm(forms.Form):
    """The programme and the year of the coverage section (``coverage_programme``,
    ``coverage_year`` in the overview's address). The programmes are read once, as a
    list: the select and the cleaning both use it."""

    coverage_programme = forms.TypedChoiceField(
        label=gettext_lazy("Work programme"), coerce=int, required=False
    )
    coverage_year = forms.IntegerField(label=gettext_lazy("Year"), required=False)

    def __init__(self, data, *, programmes: list[WorkProgramme], year: int | None):
        super().__init__(data)
        self.programmes = {wp.pk: wp for wp in programmes}
        field = self.fields["coverage_programme"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(wp.pk, str(wp)) for wp in programmes]
        in_force = next((wp for wp in programmes if wp.status == wp.Status.IN_FORCE), None)
        self.default = in_force or (programmes[0] if programmes else None)
        field.initial = self.default.pk if self.default else None
        self.default_year = year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wp = self.programmes.get(data.get("coverage_programme") or 0, self.default)
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
    params: Any, *, programmes: QuerySet[WorkProgramme], year: int | None
) -> dict[str, Any]:
    """The overview's coverage section: its form, and the figures when the form is valid
    (six queries: the programmes, then ``coverage``'s five)."""
    form = CoverageForm(params, programmes=list(programmes), year=year)
    if not form.is_valid() or form.cleaned_data["coverage_programme"] is None:
        return {"coverage_form": form, "coverage": None}
    # The page lists the first of the activities lacking either consideration; the
    # activity list (its link) shows them all, a page at a time.
    cov = coverage(
        form.cleaned_data["coverage_programme"], form.cleaned_data["coverage_year"], SHOWN
    )
    return {
        "coverage_form": form,
        "coverage": cov,
        "coverage_chart": coverage_chart(cov),
        "coverage_tables": [
            (_("By activity format"), cov.by_format, "coverage-by-format"),
            (_("By lead member state"), cov.by_state, "coverage-by-state"),
        ],
    }
