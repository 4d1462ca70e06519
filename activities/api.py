"""REST API of activities and annual programmes.

Reads are public (adopted activities and programmes only, unless the user has a
portal role); writes go through the services, whose DomainError the global
exception handler turns into a 400 naming each field.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou.api import KeysetPagination, PublicRead
from pompidou.converters import ACTIVITY_REFERENCE_REGEX
from pompidou.job_api import JobFileApi, JobSerializer, JobStatusApi
from pompidou.renderers import JSONRenderer as RowsJSONRenderer
from pompidou.sync import SyncMixin

from . import api_examples, export_jobs, exports, iati, permissions, selectors, services
from .export_api import ActivityExportSerializer
from .filters import ActivityFilter
from .models import Activity, AnnualProgrammeEntry
from .serializers import (
    ActivityCreateInputSerializer,
    ActivityInputSerializer,
    ActivitySerializer,
    ActivityStatusInputSerializer,
    AnnualProgrammeSerializer,
)

# --- activities: views ----------------------------------------------------------


class IatiPagination(KeysetPagination):
    """The IATI file's pages: fewer activities by default than the JSON list's (each
    is a long element with its budgets and results)."""

    page_size = iati.PAGE_SIZE


class CanEditActivities(BasePermission):
    """Writes for whoever ``can_edit_activity`` allows, refused before the body is even
    read, with the predicate's own reason."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or self._ask(
            permissions.can_edit_activity(request.user)
        )

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "action", None) == "change_status":
            # The status's own rule (role and final states) is the workflow's.
            return self._ask(permissions.can_change_activity_status(request.user))
        return self._ask(permissions.can_edit_activity(request.user, obj))

    def _ask(self, verdict) -> bool:
        if not verdict:
            self.message = str(verdict.reason)
        return bool(verdict)


class FileDownloadNegotiation(BaseContentNegotiation):
    """The export answers a file whatever the Accept header says; its errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ActivityViewSet(
    SyncMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Activities of the work programmes: the public sees adopted ones only.

    No PUT and no DELETE: an activity changes field by field, and is never deleted
    (its reference is never given again).
    """

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    # Keyset pages on the list order's index (deep pages cost what the first does).
    pagination_class = KeysetPagination
    renderer_classes = [RowsJSONRenderer]
    permission_classes = [PublicRead, CanEditActivities]
    lookup_field = "reference"
    lookup_value_regex = ACTIVITY_REFERENCE_REGEX

    @property
    def page_by_keys(self) -> tuple[str, ...] | None:
        """The list's page reads its rows' keys (and the version the row cache names)
        only: their representation is mostly in the cache, and the list serializer
        reads whole rows for the others. Other pages (the IATI file's) read their
        rows whole."""
        return ("updated_at",) if self.action == "list" else None

    def get_serializer_context(self):
        context = super().get_serializer_context()
        renderer = getattr(self.request, "accepted_renderer", None)
        # The list's rows as JSON, written into the page as they are (pompidou.renderers).
        context["rendered_rows"] = (
            self.action == "list"
            and isinstance(renderer, RowsJSONRenderer)
            and renderer.splices(self.request)
        )
        return context

    def get_queryset(self):
        qs = selectors.activities_visible_to(self.request.user)
        if self.action in ("export", "iati_export"):
            return qs  # the exports shape their own columns
        return selectors.activities_for_api(qs)

    def _answer(self, activity: Activity, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.activities_for_api(Activity.objects.filter(pk=activity.pk)).get()
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(
        examples=api_examples.ACTIVITY_CREATE,
        request=ActivityCreateInputSerializer,
        responses={201: ActivitySerializer},
    )
    def create(self, request, *args, **kwargs):
        data = ActivityCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        milestones = fields.pop("milestones", [])
        activity = services.activity_create(actor=request.user, milestones=milestones, **fields)
        return self._answer(activity, status.HTTP_201_CREATED)

    @extend_schema(
        examples=api_examples.ACTIVITY_PATCH,
        request=ActivityInputSerializer,
        responses={200: ActivitySerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        activity = self.get_object()
        data = ActivityInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        activity = services.activity_update(
            activity=activity, actor=request.user, **data.validated_data
        )
        return self._answer(activity)

    @extend_schema(
        examples=api_examples.ACTIVITY_STATUS,
        request=ActivityStatusInputSerializer,
        responses={200: ActivitySerializer},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, *args, **kwargs):
        """Move the activity to another status (planned → ongoing needs the
        human-rights and gender considerations stated)."""
        activity = self.get_object()
        data = ActivityStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        activity = services.activity_change_status(
            activity=activity, actor=request.user, **data.validated_data
        )
        return self._answer(activity)

    @extend_schema(
        filters=True,
        parameters=[
            OpenApiParameter(
                "fmt",
                OpenApiTypes.STR,
                enum=list(exports.FORMATS),
                default="csv",
                description="File format.",
            )
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV file"),
            (200, exports.XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="Excel workbook"
            ),
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR,
                description=(
                    "`fmt=iati`: the IATI 2.03 activity file of the whole filtered list "
                    f"(at once up to {iati.SYNC_MAX_ROWS} activities, else by a worker: 202)."
                ),
            ),
            (202, "application/json"): OpenApiResponse(
                ActivityExportSerializer,
                description=(
                    "The list is longer than the portal writes at once (EXPORT_SYNC_MAX_ROWS, "
                    f"20,000 rows by default; {iati.SYNC_MAX_ROWS} for IATI): a worker writes the file. Follow `url` (also "
                    "in the `Location` header) until `status` is `succeeded`, then GET `file`."
                ),
            ),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        renderer_classes=[JSONRenderer],
        content_negotiation_class=FileDownloadNegotiation,
        pagination_class=None,
    )
    def export(self, request, *args, **kwargs):
        """The filtered activities as a CSV, Excel or IATI XML file (same filters as the
        list); a list too long to write at once answers 202 and is written by a worker."""
        fmt = request.query_params.get("fmt") or "csv"
        if fmt not in exports.FORMATS:
            raise serializers.ValidationError(
                {"fmt": [_("Unknown format %(fmt)r: use csv, xlsx or iati.") % {"fmt": fmt}]}
            )
        qs = self.filter_queryset(self.get_queryset())
        total = export_jobs.too_long_to_answer_at_once(qs, fmt)
        if total is not None:
            job = export_jobs.export_start(
                actor=request.user,
                query=request.query_params,
                fmt=fmt,
                filters=self._filters_named(),
                total=total,
            )
            body = ActivityExportSerializer(job, context={"request": request}).data
            return Response(
                body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]}
            )
        return exports.export_response(qs, fmt, self._filters_named())

    @extend_schema(
        filters=True,
        parameters=[
            OpenApiParameter(
                "cursor",
                OpenApiTypes.STR,
                description=(
                    'The next page: follow the `Link` header\'s `rel="next"` address as given.'
                ),
            ),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description=(
                    f"Activities per file: {iati.PAGE_SIZE} unless given, at most 500. The "
                    "whole filtered list in one file: `export/?fmt=iati`."
                ),
            ),
        ],
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR,
                description=(
                    "An IATI 2.03 activity file (`iati-activities`, "
                    "iati-activities-schema.xsd), one `iati-activity` per activity of the "
                    "page, in the list's order. `X-Total-Count` gives the activities of the "
                    "filtered list; `Link` the next and previous pages (RFC 8288)."
                ),
            ),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="iati",
        url_name="iati",
        renderer_classes=[JSONRenderer],
        content_negotiation_class=FileDownloadNegotiation,
        pagination_class=IatiPagination,
    )
    def iati_export(self, request, *args, **kwargs):
        """The filtered activities as an IATI 2.03 XML file, a page at a time (same
        filters as the list; a bad filter value answers 400 naming the field)."""
        qs = iati.activities_for_iati(self.filter_queryset(self.get_queryset()))
        rows = self.paginate_queryset(qs)
        pages = self.paginator
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((pages.get_next_link(), "next"), (pages.get_previous_link(), "prev"))
            if url
        ]
        headers = {"X-Total-Count": str(pages.count)}
        if links:
            headers["Link"] = ", ".join(links)
        return iati.response(rows, self._filters_named(), headers)

    def _filters_named(self) -> dict:
        """The filters' cleaned values, which name the exported file."""
        filterset = ActivityFilter(self.request.query_params, queryset=Activity.objects.none())
        return filterset.form.cleaned_data if filterset.is_valid() else {}


# --- annual programmes ----------------------------------------------------------


class AnnualProgrammeViewSet(SyncMixin, viewsets.ReadOnlyModelViewSet):
    """Annual programmes of activities by year; drafts only for users with a portal role."""

    serializer_class = AnnualProgrammeSerializer
    permission_classes = [AllowAny]
    lookup_field = "year"
    lookup_value_regex = r"\d{4}"

    def get_queryset(self):
        entries = AnnualProgrammeEntry.objects.select_related("activity").only(
            "annual_programme", "activity", "budget", "activity__reference", "activity__title"
        )
        # Ordered again: a query with GROUP BY does not apply the model's ordering.
        return (
            selectors.annual_programmes_with_totals(
                selectors.annual_programmes_visible_to(self.request.user)
            )
            .prefetch_related(Prefetch("entries", queryset=entries))
            .order_by("-year")
        )


# --- compiled documents -----------------------------------------------------------------


class DocumentJobSerializer(JobSerializer):
    """A compiled annual programme: follow ``url`` until ``status`` is succeeded or failed."""

    url_name = "api-annual-programme-document"


class AnnualProgrammeCompileApi(APIView):
    """Compile the annual programme as PDF and DOCX (Secretariat). Answers 202 with the
    job to follow; while one is queued or running, the same job is returned."""

    @extend_schema(
        examples=api_examples.ANNUAL_PROGRAMME_COMPILE,
        request=None,
        responses={202: DocumentJobSerializer},
    )
    def post(self, request, year: int):
        ap = selectors.get_annual_programme_for_user(request.user, year)
        verdict = permissions.can_compile_annual_programme(request.user, ap)
        if not verdict:
            raise PermissionDenied(verdict.reason)
        document, _created = services.annual_programme_compile(
            annual_programme=ap, actor=request.user
        )
        body = DocumentJobSerializer(document, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class _AnnualProgrammeDocumentJobApi:
    """A compiled annual programme, for whoever may see it on the page."""

    def get_job(self, request, pk: int):
        from django.shortcuts import get_object_or_404

        from .models import AnnualProgrammeDocument

        if not permissions.can_view_annual_programme_documents(request.user):
            raise PermissionDenied  # before the lookup: an outsider learns nothing
        return get_object_or_404(
            AnnualProgrammeDocument.objects.select_related("annual_programme"), pk=pk
        )

    def allowed(self, user, job) -> bool:
        return permissions.can_view_annual_programme_documents(user, job.annual_programme)


class AnnualProgrammeDocumentApi(_AnnualProgrammeDocumentJobApi, JobStatusApi):
    """The state of a compilation, and its files once done."""

    serializer_class = DocumentJobSerializer


class _AnnualProgrammeDocumentFileApi(_AnnualProgrammeDocumentJobApi, JobFileApi):
    pass


class AnnualProgrammeDocumentPdfApi(_AnnualProgrammeDocumentFileApi):
    kind = "pdf"


class AnnualProgrammeDocumentDocxApi(_AnnualProgrammeDocumentFileApi):
    kind = "docx"
