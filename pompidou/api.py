"""The API's common style: pagination, one error shape, public-read permission."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import NON_FIELD, DomainError, ServiceUnavailable
from .errors import PermissionDenied as DomainPermissionDenied
from .middleware import too_large_message


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; ``?page_size=`` up to 500.

    A page size that is not a whole number from 1 is a 400 naming the parameter (DRF
    would ignore it and answer 50 rows, so a client's typo would go unnoticed); one above
    500 gives 500.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Any) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if not value:
            return self.page_size
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Give a whole number from 1.")]}
            )
        return min(int(value), self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = _(
                    "Number of results per page: 50 unless given, at most 500."
                )
        return parameters


class PublicRead(permissions.BasePermission):
    """Anyone may read (GET/HEAD/OPTIONS); writes are decided by the view's own checks."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error is JSON: ``{"detail": "…"}`` or ``{"field": ["…"]}``.

    A ``DomainError`` from a service becomes a 400 with a message per field
    (403 when it is a permission refusal), so no rule of a service ever
    surfaces as a 500.
    """
    if isinstance(exc, DomainPermissionDenied):
        return Response({"detail": exc.message, **_field_errors(exc)}, status=403)
    if isinstance(exc, DomainError):
        return Response(_field_errors(exc) or {"detail": exc.message}, status=400)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": too_large_message(context["request"])}, status=413)
    if isinstance(exc, ServiceUnavailable):
        return Response(
            {"detail": exc.message}, status=503, headers={"Retry-After": str(exc.retry_after)}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


def _field_errors(exc: DomainError) -> dict:
    errors = dict(exc.errors)
    if NON_FIELD in errors:
        errors["non_field_errors"] = errors.pop(NON_FIELD)
    return errors


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField for writes, refusing a value that holds a NUL before the
    query: PostgreSQL cannot compare one (a DataError, a 500) where SQLite finds no row."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
