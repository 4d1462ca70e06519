"""Filters shared by the apps' FilterSets."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

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


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend (the API lists' filters), which skips building the
    FilterSet, its filters' copies and its form (about a millisecond a request) when
    the request names none of its parameters, for a FilterSet that says what it does
    then: its ``unfiltered(queryset)`` classmethod (every filter left empty does
    nothing; the FilterSet's own ordering still applies). A parameter counts when its
    name begins with a filter's (a range's ``_min``/``_after`` halves)."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        unfiltered = getattr(filterset_class, "unfiltered", None)
        if unfiltered is not None and not names_a_filter(filterset_class, request.query_params):
            return unfiltered(queryset)
        return super().filter_queryset(request, queryset, view)


def names_a_filter(filterset_class: Any, params: Any) -> bool:
    """Whether the query ``params`` name any filter of ``filterset_class``."""
    names = tuple(filterset_class.base_filters)
    return any(param.startswith(names) for param in params)
