"""The API's JSON parser, with a bound on how deeply a body may nest.

``json.loads`` recurses once per level of nesting, so a body of 50,000 ``[`` ends
in a RecursionError (a 500) — and every serializer and renderer that walks the data
recurses again. No request of this API nests more than a few levels, so a body
nested deeper than ``MAX_DEPTH`` is refused with a 400 before it is decoded.
"""

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding  # type: ignore[attr-defined]

MAX_DEPTH = 32

# One left-to-right pass over the tokens that matter: a whole string (escapes
# included; possessive, so a long one costs one pass), a bracket, or a quote that
# opens a string never closed.
_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]|"', re.DOTALL)


def json_depth_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than ``limit``.

    Linear in the body: it stops at the first level too deep, and at a string that
    is never closed (everything after it is inside that string for the decoder,
    which then fails on it without nesting further).
    """
    if text.count("[") + text.count("{") <= limit:
        return False  # most bodies: not even that many brackets in all
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
        elif token == '"':
            return False
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSONParser, refusing bodies nested deeper than ``MAX_DEPTH`` (400)."""

    max_depth = MAX_DEPTH

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
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
