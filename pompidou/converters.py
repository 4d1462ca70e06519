"""Path converters: each URL segment is checked against the shape of what it names
before a view (or the database) sees it, so a stray byte such as NUL answers 404
instead of reaching a query. Registered once, in ``PompidouConfig.ready()``.

``<activity_ref:reference>``, ``<state_code:code>``, ``<signed_token:token>`` and
``<doc_kind:kind>`` replace ``<str:…>`` in the urlconfs; the API's router uses the
same patterns as ``lookup_value_regex``.
"""

from typing import Any

from django.urls import register_converter

# An activity's reference as activities.services gives it: PG-2017-001.
ACTIVITY_REFERENCE_REGEX = r"PG-[0-9]{4}-[0-9]{3,6}"
# A member state's ISO 3166 alpha-2 code, in either case (the views upper-case it).
STATE_CODE_REGEX = r"[A-Za-z]{2}"
# A django.core.signing token: URL-safe base64 parts joined by colons.
SIGNED_TOKEN_REGEX = r"[A-Za-z0-9_\-.:]{1,1024}"


class _RegexConverter:
    regex: str

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: Any) -> str:
        return str(value)


class ActivityReferenceConverter(_RegexConverter):
    regex = ACTIVITY_REFERENCE_REGEX


class StateCodeConverter(_RegexConverter):
    regex = STATE_CODE_REGEX


class SignedTokenConverter(_RegexConverter):
    regex = SIGNED_TOKEN_REGEX


class DocumentKindConverter(_RegexConverter):
    """The file of a compiled document: ``pdf`` or ``docx``."""

    regex = r"pdf|docx"


CONVERTERS = {
    "activity_ref": ActivityReferenceConverter,
    "state_code": StateCodeConverter,
    "signed_token": SignedTokenConverter,
    "doc_kind": DocumentKindConverter,
}


def register() -> None:
    """Make the converters known to ``path()``; called once from the app config."""
    for name, converter in CONVERTERS.items():
        register_converter(converter, name)
