"""The words and numbers of the compiled evaluation report, in the active language:
the labels of its states and the formats of its figures. The PDF and the Word file
print the same strings, made here once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from activities.models import Activity

from .models import ProgressReport

# The RAG states in the order the report reads them, "none" for no report in the period.
RAG_ORDER = ("on_track", "at_risk", "off_track", "none")
RATINGS = ("relevance", "quality", "usefulness", "impact")


def rag_label(key: str) -> str:
    if key == "none":
        return _("No report")
    return str(dict(ProgressReport.Status.choices).get(key, key))


def status_label(key: str) -> str:
    return str(dict(Activity.Status.choices).get(key, key))


def rating_label(key: str) -> str:
    """A rated aspect in a sentence (lower case)."""
    return {
        "relevance": _("relevance"),
        "quality": _("quality"),
        "usefulness": _("usefulness"),
        "impact": _("likely impact"),
    }[key]


def rating_heading(key: str) -> str:
    """A rated aspect as a column heading."""
    return {
        "relevance": _("Relevance"),
        "quality": _("Quality"),
        "usefulness": _("Usefulness"),
        "impact": _("Likely impact"),
    }[key]


def num(value: int | float | Decimal | None, places: int = 0) -> str:
    """A number as the active language writes it (grouped thousands; a decimal comma
    in French); a dash for none."""
    if value is None:
        return "—"
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def decimal(value: int | float | Decimal | None) -> str:
    """A stored decimal (a baseline, a measurement) without trailing zeros."""
    if value is None:
        return "—"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return num(value, places)


def euros(value: int | float | Decimal) -> str:
    return _("€%(amount)s") % {"amount": num(value)}


def percent(value: int | float | Decimal | None) -> str:
    if value is None:
        return "—"
    return _("%(value)s%%") % {"value": num(value, 1)}


def share(part: int | float | Decimal, whole: int | float | Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` (to one decimal), none of nothing."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def day(value: dt.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def and_list(items: list[str]) -> str:
    """ "a, b and c" in the active language."""
    return str(get_text_list(items, _("and")))


def yes_no(value: bool | None) -> str:
    if value is None:
        return "—"
    return _("yes") if value else _("no")


def period_label(first_year: int, last_year: int) -> str:
    """The years a report covers: "2016" or "2016–2017"."""
    return str(first_year) if first_year == last_year else f"{first_year}–{last_year}"


def title(first_year: int, last_year: int) -> str:
    # The same words as the report's page (evaluation.report_views).
    if first_year == last_year:
        return _("Evaluation report %(year)s") % {"year": first_year}
    return _("Evaluation report %(a)s–%(b)s") % {"a": first_year, "b": last_year}


def period_text(first_year: int, last_year: int) -> str:
    """The period on the cover: "1 January 2016 to 31 December 2017"."""
    return _("%(start)s to %(end)s") % {
        "start": day(dt.date(first_year, 1, 1)),
        "end": day(dt.date(last_year, 12, 31)),
    }
