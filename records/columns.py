"""The columns of an import: their names in English and French, and how a cell is read.

A cell is read the way people type it in a spreadsheet: dates as ISO (2016-03-31) or
dd/mm/yyyy (31/03/2016) or a real date cell; amounts with a decimal point or comma and
spaces or points between the thousands; lists separated by ";" or ",".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EMPTY = ("", None)


class CellError(ValueError):
    """A cell that cannot be read: the message names what was expected."""


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if not raw:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise CellError(
        _("%(value)s is not a date: write it as 2016-03-31 or 31/03/2016.") % {"value": raw}
    )


_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")


def parse_decimal(value: Any) -> Decimal | None:
    """1234.5, 1234,5, 1 234,50, 1.234,50, 1,234.50 and numeric cells."""
    if isinstance(value, bool):
        raise CellError(_("%(value)s is not a number.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    raw = text(value)
    if not raw:
        return None
    cleaned = re.sub(r"[\s\u00a0\u202f']|EUR|€", "", raw, flags=re.IGNORECASE)
    if "," in cleaned and "." in cleaned:
        # The last of the two separates the decimals; the other groups the thousands.
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not _AMOUNT.match(cleaned):
        raise CellError(_("%(value)s is not a number.") % {"value": raw})
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above guards it
        raise CellError(_("%(value)s is not a number.") % {"value": raw}) from exc


def parse_int(value: Any) -> int | None:
    amount = parse_decimal(value)
    if amount is None:
        return None
    if amount != amount.to_integral_value():
        raise CellError(_("%(value)s is not a whole number.") % {"value": text(value)})
    return int(amount)


def parse_list(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", text(value)) if part.strip()]


TRUE = {"yes", "y", "oui", "o", "true", "vrai", "1", "x"}
FALSE = {"no", "n", "non", "false", "faux", "0", ""}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise CellError(_("%(value)s is neither yes nor no.") % {"value": text(value)})


def fold(label: str) -> str:
    """A header or a choice as compared: no accents, no case, no marks around it."""
    label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", label.lower()).strip()


@dataclass(frozen=True)
class Column:
    """One column of a template: ``key`` is what the kind reads, ``en``/``fr`` the headers."""

    key: str
    en: str
    fr: str
    help: str | Promise = ""
    required: bool = False
    parse: Callable[[Any], Any] = text
    choices: tuple[str, ...] = field(default_factory=tuple)  # allowed values, for the template

    def header(self, language: str) -> str:
        return self.fr if language == "fr" else self.en

    def names(self) -> set[str]:
        return {fold(self.key), fold(self.en), fold(self.fr)}


REQUIRED = gettext_lazy("Required.")
