"""Names sorted as a reader of the current language expects them: « Égypte »
among the E and before « Émirats arabes unis », « Österreich » beside « Norway »,
whatever the case or the accents.

On PostgreSQL the ordering is the database's ICU collation of the language
(``fr-x-icu``, ``en-x-icu``). SQLite has no ICU: ``register_sqlite_collations``
gives each connection collations of the same names backed by ``sort_key`` (the
same order for the names the portal holds), so ``order_by_name`` is one queryset
on both databases.
"""

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Model, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Collate, NullIf
from django.utils.translation import get_language

T = TypeVar("T")
M = TypeVar("M", bound=Model)

# Letters NFKD does not decompose, spelt out as dictionaries sort them.
_SPELT_OUT = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}
)


def sort_key(text: str) -> tuple[str, str, str]:
    """Letters first (accents and case ignored), then accents (unaccented first),
    then case (lower first): the three levels of the Unicode collation algorithm,
    for the Latin names the portal holds."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELT_OUT))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (letters.casefold(), decomposed.casefold(), decomposed.swapcase())


def sorted_by_name(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """``items`` sorted by ``key(item)`` with ``sort_key``: for lists already in memory."""
    return sorted(items, key=lambda item: sort_key(key(item)))


def language_code(language: str | None = None) -> str:
    """One of ``settings.LANGUAGES`` (``fr`` for ``fr-ch``), the default otherwise."""
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def collation(language: str | None = None) -> str:
    return f"{language_code(language)}-x-icu"


def translated_name(field: str = "name", language: str | None = None) -> Combinable:
    """The value of translated ``field`` (``lead_member_state__name`` too) in the
    language, or in the default language where it is missing, as reading the
    attribute answers it (``MODELTRANSLATION_FALLBACK_LANGUAGES``)."""
    code = language_code(language)
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if code == default:
        return F(f"{field}_{default}")
    return Coalesce(NullIf(F(f"{field}_{code}"), Value("")), F(f"{field}_{default}"))


def order_by_name(
    queryset: QuerySet[M], field: str = "name", language: str | None = None
) -> QuerySet[M]:
    """``queryset`` ordered by the translated ``field`` in the current language,
    with that language's collation (then by id, so equal names keep one order)."""
    expression = Collate(translated_name(field, language), collation(language))
    return queryset.order_by(expression, "pk")


def _compare(left: str | None, right: str | None) -> int:
    a, b = sort_key(left or ""), sort_key(right or "")
    return (a > b) - (a < b)


def register_sqlite_collations(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: the collations ``order_by_name`` names,
    on SQLite, backed by ``sort_key``."""
    if connection.vendor != "sqlite":
        return
    for code, _label in settings.LANGUAGES:
        connection.connection.create_collation(f"{code}-x-icu", _compare)
