"""The API's common style: pagination, one error shape, public-read permission."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from . import keyset
from .errors import NON_FIELD, DomainError, ServiceUnavailable
from .errors import PermissionDenied as DomainPermissionDenied
from .listing import CountedPaginator, cached_count, slice_by_keys
from .middleware import too_large_message


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; ``?page_size=`` up to 500.

    A page size that is not a whole number from 1 is a 400 naming the parameter (DRF
    would ignore it and answer 50 rows, so a client's typo would go unnoticed); one above
    500 gives 500.
    """

    django_paginator_class = CountedPaginator
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


class KeysetPagination(Pagination):
    """The long lists (activities, proposals): ``next`` and ``previous`` are links with
    an opaque ``cursor``, each page read from the list's index after (or before) the
    row that ends the page before it, so a deep page costs what the first does and rows
    written meanwhile neither repeat nor go missing. ``?page=N`` is still read (the
    rows N pages in, as before, their keys chosen first: ``listing.slice_by_keys``),
    and its links are cursors.

    ``count`` is the number of rows of the list as filtered, counted once and then
    served from the cache until the next write (``pompidou.listing``)."""

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        self.request = request
        size = self.get_page_size(request)
        self.keys = keyset.ordering_of(queryset)
        extra = getattr(view, "page_by_keys", None)
        if extra is not None:
            queryset = keyset.keys_only(queryset, self.keys, extra)
        # The ETag (pompidou.sync) has just counted these very rows.
        version = getattr(view, "sync_version", None)
        self.count = version.rows if version is not None else cached_count(queryset)
        cursor = request.query_params.get(self.cursor_query_param) or None
        page = request.query_params.get(self.page_query_param)
        try:
            if cursor is None and page not in (None, "", "1"):
                window = self._numbered(queryset, page, size)
            else:
                window = keyset.window(queryset, self.keys, cursor, size)
        except keyset.BadCursor as exc:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("This cursor is not one the API gave.")]}
            ) from exc
        self.window = window
        return window.rows

    def _numbered(self, queryset: Any, page: str, size: int) -> keyset.Window:
        if not page.isascii() or not page.isdigit() or int(page) < 1:
            raise exceptions.NotFound(_("Invalid page."))
        start = (int(page) - 1) * size
        if start >= self.count:  # past the end (and never an OFFSET the database refuses)
            raise exceptions.NotFound(_("Invalid page."))
        order = keyset.forward_order(self.keys)
        rows = slice_by_keys(queryset.order_by(*order), start, start + size + 1)
        if not rows:
            raise exceptions.NotFound(_("Invalid page."))
        return keyset.Window(rows[:size], has_before=True, has_after=len(rows) > size)

    def _link(self, row: Any, direction: str) -> str:
        assert self.request is not None  # set by paginate_queryset
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        cursor = keyset.encode(self.keys, row, direction)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_next_link(self) -> str | None:
        if not self.window.has_after or not self.window.rows:
            return None
        return self._link(self.window.rows[-1], keyset.AFTER)

    def get_previous_link(self) -> str | None:
        if not self.window.has_before or not self.window.rows:
            return None
        return self._link(self.window.rows[0], keyset.BEFORE)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = _(
            "Rows of the list as filtered (counted once, then cached until the next write)."
        )
        answer["properties"]["next"]["description"] = _(
            "The next page: follow it as given (its cursor is opaque)."
        )
        answer["properties"]["previous"]["description"] = _("The page before, likewise.")
        return answer

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = _(
                    "A page number, read as before; prefer the cursors of `next` and "
                    "`previous`, whose pages cost the same however deep."
                )
        return [
            *parameters,
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": _(
                    "Where the page starts: the value in the `next` or `previous` link "
                    "(opaque; made for the same filters and ordering)."
                ),
                "schema": {"type": "string"},
            },
        ]


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
