"""Member states' names in every language of the portal, from ISO 3166 as
django-countries maintains it (its English short names and their French
translations), never typed by hand.

Where the Council of Europe writes a state's name differently from ISO's short
name, ``COUNCIL_OF_EUROPE_NAMES`` gives its usage for that code, in each
language where it differs, with the reason beside it.
"""

import functools

from django.conf import settings
from django.utils import translation
from django_countries import countries

from .collation import language_code

COUNCIL_OF_EUROPE_NAMES: dict[str, dict[str, str]] = {
    # The Council of Europe's list of its member states keeps "Czech Republic"
    # (ISO's short name is "Czechia"); the French "République tchèque" is ISO's.
    "CZ": {"en": "Czech Republic"},
    # The Council of Europe wrote "Russian Federation" / "Fédération de Russie"
    # while Russia was a member and in the Pompidou Group (ISO: "Russia", "Russie").
    "RU": {"en": "Russian Federation", "fr": "Fédération de Russie"},
    # Since 2022, at the state's request, the Council of Europe (like the United
    # Nations) writes "Türkiye" in English and in French; ISO's French is "Turquie".
    "TR": {"fr": "Türkiye"},
    # The MedNET partner is "Palestine" in both languages in the Group's texts;
    # ISO's French short name is the inverted "Palestine, État de".
    "PS": {"fr": "Palestine"},
}


class UnknownCountryCode(ValueError):
    pass


def country_names(code: str) -> dict[str, str]:
    """The name of the state with ISO 3166-1 alpha-2 ``code`` in each language
    of ``settings.LANGUAGES``: ``{"en": "Algeria", "fr": "Algérie"}``."""
    code = code.upper()
    if code not in countries:
        raise UnknownCountryCode(f"{code!r} is not an ISO 3166-1 alpha-2 country code.")
    names = {}
    for language, _label in settings.LANGUAGES:
        override = COUNCIL_OF_EUROPE_NAMES.get(code, {}).get(language)
        if override:
            names[language] = override
            continue
        with translation.override(language):
            names[language] = str(countries.name(code))
    return names


# Names the portal wrote before its names came from ISO (the old member_states.csv).
_EARLIER_NAMES = {"Turkey": "TR"}


@functools.cache
def _codes_by_name() -> dict[str, str]:
    """Every name of every country: the portal's, and ISO's where the portal's differs."""
    index = dict(_EARLIER_NAMES)
    codes = [country.code for country in countries]
    for code in codes:
        for language, _label in settings.LANGUAGES:
            with translation.override(language):
                index.setdefault(str(countries.name(code)), code)
        for name in country_names(code).values():
            index[name] = code
    return index


def in_current_language(name: str) -> str:
    """A state's name recorded in any language of the portal (a history written by
    a French reader says "Allemagne"), in the active language's; any other text as
    it is. No query: the names are ISO's (``country_names``)."""
    code = _codes_by_name().get(name)
    if code is None:
        return name
    return country_names(code)[language_code()]
