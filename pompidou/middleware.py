import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from pompidou.lib.files import MAX_DOCUMENT_BYTES, MAX_UPLOAD_REQUEST_BYTES
from pompidou.lib.l10n import number

from . import error_views
from .errors import ServiceUnavailable
from .logging import request_id_var

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("pompidou.request")

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a login unless its view is marked ``@login_not_required``.

    The API is left to DRF, which answers JSON 401/403 by its own permission
    classes instead of redirecting to a login page; the language switcher is
    open to everyone.
    """

    OPEN_PREFIXES = ("/api/", "/i18n/")

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> Any:
        if request.path_info.startswith(self.OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RequestSizeLimitMiddleware:
    """A request body larger than the portal accepts is answered 413 before it is read.

    Multipart bodies (a document and its form) may reach ``MAX_UPLOAD_REQUEST_BYTES``;
    any other body ``DATA_UPLOAD_MAX_MEMORY_SIZE``, so a JSON body sent to the API
    is bounded as a form is (DRF reads the stream itself, past Django's own check).
    Under ``/api/`` the answer is the API's JSON error shape, elsewhere the portal's
    page. Placed after the authentication middleware so that the page knows its user,
    and before any middleware's ``process_view`` reads the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        limit = self._limit(request)
        if limit is not None and _content_length(request) > limit:
            return too_large_response(request)
        if request.method == "POST" and not request.path_info.startswith("/api/"):
            # Parse the form here, where a RequestDataTooBig (form fields over
            # DATA_UPLOAD_MAX_MEMORY_SIZE) can still become a 413 rather than the
            # CSRF middleware's 400.
            try:
                request.POST  # noqa: B018
            except RequestDataTooBig:
                return too_large_response(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if isinstance(exception, RequestDataTooBig):
            return too_large_response(request)
        return None

    @staticmethod
    def _limit(request: HttpRequest) -> int | None:
        if request.content_type == "multipart/form-data":
            return MAX_UPLOAD_REQUEST_BYTES
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large_message(request: HttpRequest) -> str:
    """Why a request is refused as too large, in the visitor's language."""
    if (
        request.content_type == "multipart/form-data"
        and _content_length(request) > MAX_UPLOAD_REQUEST_BYTES
    ):
        return _(
            "The file is larger than the portal accepts: a document may be at most "
            "%(limit)d MB. Choose a smaller file, or save it as PDF."
        ) % {"limit": MAX_DOCUMENT_BYTES // 2**20}
    return _("The request is larger than the portal accepts (at most %(limit)s KB).") % {
        "limit": number(settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024)
    }


def too_large_response(request: HttpRequest) -> HttpResponse:
    """413: JSON ``{"detail": …}`` under /api/, the portal's page elsewhere."""
    message = too_large_message(request)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


class BadInputMiddleware:
    """A safety net under the path converters and the validators.

    An address holding a control character (NUL, …) names nothing: 404 before any
    view runs. A value the database refuses (``DataError``: a NUL byte PostgreSQL
    cannot store, a number out of range) that slipped past a validator answers 400 —
    JSON under /api/, the portal's page elsewhere — and is logged, so the missing
    validator gets written.
    """

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if _CONTROL_CHARACTERS.search(request.path_info):
            return error_views.page_not_found(request, Http404())
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if isinstance(exception, DataError):
            logger.warning(
                "Database refused a value of %s %s", request.method, request.path, exc_info=True
            )
            return error_views.bad_request(request, exception)
        return None


# An id a client or the web server sends is kept when it is short and plain, so
# the same id can be followed from nginx through the portal; anything else (a
# header used to smuggle text into the logs) is replaced by a new one.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
REQUEST_ID_HEADER = "X-Request-ID"


class RequestIdMiddleware:
    """Gives every request an id, logs it with every line, answers it in ``X-Request-ID``.

    The first middleware, so that even a redirect or a refusal by the middleware
    below carries the id. One access line per request (method, path, status,
    duration) goes to the ``pompidou.request`` logger.
    """

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            access_logger.info(
                "%s %s %s",
                request.method,
                # A %0A in the address must not start a forged line in a text log.
                _CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", request.path),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class ServiceUnavailableMiddleware:
    """A service the portal depends on did not answer (the job queue): 503 with
    ``Retry-After``, JSON under /api/ and the portal's page elsewhere, saying what
    is saved and what to do, instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if not isinstance(exception, ServiceUnavailable):
            return None
        if request.path_info.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": exception.message}, status=503)
        else:
            back = request.META.get("HTTP_REFERER", "")
            if not url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                back = ""
            response = render(
                request, "503.html", {"message": exception.message, "back": back}, status=503
            )
        response["Retry-After"] = str(exception.retry_after)
        return response
