"""A stored file as a download, for every page and API view that serves one after
its own permission check (terms of reference, proposal attachments, impact
evidence, compiled documents).

Uploaded files have no public address: ``/media/`` is served by nobody, in
development as in production. Each file kind has a view that finds the object
through its app's visibility rules (404 for what the user may not see) and then
calls :func:`file_response`. Behind nginx (``PROTECTED_MEDIA_ACCEL`` set, see
deploy/nginx.conf) the answer carries no bytes, only ``X-Accel-Redirect`` naming
the file under nginx's ``internal`` location, so gunicorn workers are not tied up
streaming ten megabytes; without it Django streams the file itself.
"""

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .lib.files import content_type_of


def file_response(field: Any, filename: str, content_type: str | None = None) -> HttpResponseBase:
    """The file of ``field`` as an attachment named ``filename``, typed by the
    extension it was stored under (checked against its bytes on upload) unless
    ``content_type`` says otherwise; 404 when the row names no file or a file the
    storage no longer holds (never a 500)."""
    name = getattr(field, "name", "") or ""
    if not name:
        raise Http404(_("There is no file here."))
    content_type = content_type or content_type_of(name)
    accel = getattr(settings, "PROTECTED_MEDIA_ACCEL", "")
    if accel:
        if not field.storage.exists(name):
            raise Http404(_("The file is missing."))
        response: HttpResponseBase = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name.lstrip("/"))
    else:
        try:
            handle = field.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("The file is missing.")) from exc
        response = FileResponse(handle, content_type=content_type)
    return _protect(response, filename)


def download_name(original: str, stored_name: str | None) -> str:
    """What a download is called: the uploader's name kept beside the file, or, for a
    file stored before names were generated, the last segment of its stored name."""
    return original or os.path.basename(stored_name or "") or "document"


def _protect(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """The headers every download carries, whoever sends the bytes: save it, never
    display it; no type guessing; not kept by shared caches (it was permission-checked)."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def download_url(context: Mapping[str, Any], url_name: str, *args: Any) -> str:
    """The address of a protected download as an API client reads it: absolute when
    the serializer knows the request (``context["request"]``), a path otherwise."""
    from django.urls import reverse

    path = reverse(url_name, args=args)
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
