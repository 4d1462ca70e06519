"""Filters shared by the apps' FilterSets."""

from typing import Any

import django_filters
from django import forms

# Years the portal can hold: the work programmes start in the 2000s; a wide margin
# either side, and still far inside what ``datetime.date`` accepts (1–9999).
MIN_YEAR = 1900
MAX_YEAR = 2200


class YearFilter(django_filters.NumberFilter):
    """A calendar year, a whole number from MIN_YEAR to MAX_YEAR: ``?year=0``,
    ``-5``, ``10000`` or ``1e-7`` is a form error (a 400), never a date out of range."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)
