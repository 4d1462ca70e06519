"""Filters shared by the apps' FilterSets."""

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

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


class StrictNullBooleanField(forms.NullBooleanField):
    """``true`` or ``false`` (``1``/``0``, any case); anything else is a form error (a
    400), where Django's own field reads it as "no filter" and the client never learns
    that its value was ignored."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: no filter
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError(_("Give true or false."), code="invalid") from None

    def validate(self, value: Any) -> None:
        pass


class BooleanFilter(django_filters.BooleanFilter):
    """django-filter's BooleanFilter, refusing a value that is neither true nor false."""

    field_class = StrictNullBooleanField
