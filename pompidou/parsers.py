"""The API's JSON parser, with a bound on how deeply a body may nest.

``json.loads`` recurses once per level of nesting, so a body of 50,000 ``[`` ends
in a RecursionError (a 500) — and every serializer and renderer that walks the data
recurses again. No request of this API nests more than a few levels, so a body
nested deeper than ``MAX_DEPTH`` is refused with a 400 before it is decoded.
"""

import io
import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

MAX_DEPTH = 32

# A JSON string, escapes included; possessive, so a long string costs one pass.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` (stops at the
    first level too deep, so a hostile body costs at most one pass)."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSONParser, refusing bodies nested deeper than ``MAX_DEPTH`` (400)."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        raw = stream.read() if stream is not None else b""
        encoding = get_encoding(parser_context)  # text codecs only (no bz2_codec)
        try:
            text = raw.decode(encoding)
        except UnicodeError as exc:
            raise ParseError(
                _("JSON parse error - the body is not %(encoding)s.") % {"encoding": encoding}
            ) from exc
        if json_depth_exceeds(text, self.max_depth):
            raise ParseError(
                _("JSON parse error - the body nests deeper than %(depth)d levels.")
                % {"depth": self.max_depth}
            )
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as exc:  # a second guard; the scan above should catch it
            raise ParseError(_("JSON parse error - the body nests too deeply.")) from exc
