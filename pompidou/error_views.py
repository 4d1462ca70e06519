"""The error answers Django gives when no view answered: JSON in the API's one error
shape (``{"detail": "…"}``) under ``/api/``, the portal's error pages elsewhere.

Named as ``handler400``/``handler403``/``handler404``/``handler500`` in pompidou/urls.py.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        # A body over the limits that got past RequestSizeLimitMiddleware: the
        # same 413 as there.
        from .middleware import too_large_response

        return too_large_response(request)
    if is_api(request):
        return _json(_("The request could not be understood."), 400)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return _json(_("You do not have permission to perform this action."), 403)
    return defaults.permission_denied(request, exception or PermissionDenied())


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return _json(_("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return _json(_("A server error occurred. It has been logged; try again later."), 500)
    # 500.html is plain HTML: nothing in it can fail while the server is failing.
    return defaults.server_error(request)
