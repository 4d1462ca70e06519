"""A stored file as a download, for every page and API view that serves one after
its own permission check (compiled documents, proposal attachments)."""

from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def file_response(field: Any, filename: str, content_type: str | None = None) -> FileResponse:
    """The file of ``field`` as an attachment named ``filename``; 404 when the row
    names a file the storage no longer holds (never a 500)."""
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
