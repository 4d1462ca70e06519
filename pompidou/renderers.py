"""The API's JSON renderer, which writes a page around rows already rendered.

A list whose rows' JSON is kept in the cache (``listing.cached_representations``) hands them over
as ``RenderedRow`` bytes: the page is written around them, byte for byte what
rendering their data would give, without decoding and encoding them again.
"""

import json
from typing import Any

from rest_framework import renderers


class RenderedRow(bytes):
    """One row's JSON as ``JSONRenderer`` writes it (compact, without indent)."""


class JSONRenderer(renderers.JSONRenderer):
    def splices(self, request: Any) -> bool:
        """Whether this answer takes ``RenderedRow``s (not when indented on request)."""
        media_type = getattr(request, "accepted_media_type", None)
        return self.get_indent(media_type or "", {"request": request}) is None

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        rows = data.get("results") if isinstance(data, dict) else None
        if not rows or not isinstance(rows[0], RenderedRow):
            return super().render(data, accepted_media_type, renderer_context)
        context = renderer_context or {}
        if list(data)[-1] != "results" or self.get_indent(accepted_media_type or "", context):
            rows = [json.loads(row) for row in rows]
            return super().render({**data, "results": rows}, accepted_media_type, context)
        head = super().render({**data, "results": []}, accepted_media_type, context)
        # '{…,"results":[]}': the rows go between the brackets.
        return b"".join((head[:-2], b",".join(rows), head[-2:]))


def render_row(data: Any) -> RenderedRow:
    return RenderedRow(JSONRenderer().render(data))
