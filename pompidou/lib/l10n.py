"""Numbers and ordinals written in the reader's language, for the strings Python
builds (messages, model names, documents); templates localise numbers themselves.

``ordinal``: Django's humanize ``ordinal`` is right in English but not in French,
where it writes "21<sup>er</sup>" (French writes "21e": only one takes "er"/"re"),
knows no feminine ("1re réunion") and returns HTML, which a plain-text name or a
Word document cannot hold. French rules (Lexique des règles typographiques en
usage à l'Imprimerie nationale): 1er, 1re, then 2e, 3e … 21e, 77e, 101e.
"""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language


def number(
    value: Decimal | float | int | str, places: int | None = None, *, grouping: bool = True
) -> str:
    """``value`` as the active language writes it: "12 345,5" in French (narrow
    no-break space, decimal comma), "12,345.5" in English; ``places`` decimals."""
    return formats.number_format(value, places, use_l10n=True, force_grouping=grouping)


def ordinal(value: int, *, feminine: bool = False, language: str | None = None) -> str:
    """ "77th" / "77e"; in French "1er", or "1re" for a feminine noun (« réunion »,
    « Conférence »). Plain text."""
    n = int(value)
    code = (language or get_language() or "en").split("-")[0].lower()
    if code == "fr":
        if n == 1:
            return "1re" if feminine else "1er"
        return f"{n}e"
    teen = n % 100 in (11, 12, 13)
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
