import logging
import re

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.db import DataError
from django.http import Http404

from . import error_views

logger = logging.getLogger(__name__)

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a login unless its view is marked ``@login_not_required``.

    The API is left to DRF, which answers JSON 401/403 by its own permission
    classes instead of redirecting to a login page; the language switcher is
    open to everyone.
    """

    OPEN_PREFIXES = ("/api/", "/i18n/")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(self.OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class BadInputMiddleware:
    """A safety net under the path converters and the validators.

    An address holding a control character (NUL, …) names nothing: 404 before any
    view runs. A value the database refuses (``DataError``: a NUL byte PostgreSQL
    cannot store, a number out of range) that slipped past a validator answers 400 —
    JSON under /api/, the portal's page elsewhere — and is logged, so the missing
    validator gets written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL_CHARACTERS.search(request.path_info):
            return error_views.page_not_found(request, Http404())
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError):
            logger.warning(
                "Database refused a value of %s %s", request.method, request.path, exc_info=True
            )
            return error_views.bad_request(request, exception)
        return None
