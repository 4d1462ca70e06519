"""An export of the activity list written by a worker, for REST clients: its state
(follow ``url`` until ``status`` is succeeded or failed) and its file. The export
endpoint answers 202 with this body when the list is longer than
``EXPORT_SYNC_MAX_ROWS``."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou.downloads import file_response
from pompidou.job_api import AnyAccept

from . import exports
from .export_jobs import get_export_for_user
from .models import ActivityExport


class ActivityExportSerializer(serializers.Serializer):
    """An export being written: follow ``url`` until ``status`` is succeeded (then
    ``file`` is its address) or failed (``error`` says why)."""

    token = serializers.UUIDField()
    status = serializers.ChoiceField(choices=ActivityExport.Status.choices)
    progress = serializers.IntegerField(help_text="Percent of the rows written.")
    rows = serializers.IntegerField(source="total", help_text="Rows in the list.")
    fmt = serializers.CharField()
    filename = serializers.CharField()
    error = serializers.CharField()
    url = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    def _absolute(self, name: str, job: ActivityExport) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=[job.token]))

    def get_url(self, job: ActivityExport) -> str:
        return self._absolute("api-activity-export", job)

    def get_file(self, job: ActivityExport) -> str | None:
        if job.status != ActivityExport.Status.SUCCEEDED:
            return None
        return self._absolute("api-activity-export-file", job)


def _job(request, token) -> ActivityExport:
    try:
        return get_export_for_user(request.user, token)
    except Http404 as exc:
        raise NotFound(str(exc)) from exc


class ActivityExportApi(APIView):
    """GET the state of an export of the activity list (public: a visitor's export
    is theirs by its link; a signed-in client's, theirs alone)."""

    permission_classes = [AllowAny]
    serializer_class = ActivityExportSerializer

    def get_serializer_class(self):
        return self.serializer_class  # read by the OpenAPI schema

    def get(self, request, token):
        job = _job(request, token)
        return Response(ActivityExportSerializer(job, context={"request": request}).data)


@extend_schema(
    responses={
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV file"),
        (200, exports.XLSX_CONTENT_TYPE): OpenApiResponse(
            OpenApiTypes.BINARY, description="Excel workbook"
        ),
    }
)
class ActivityExportFileApi(APIView):
    """GET the file of a finished export (404 while it is being written)."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnyAccept

    def get(self, request, token):
        job = _job(request, token)
        if job.status != ActivityExport.Status.SUCCEEDED:
            raise NotFound("The export is not written yet.")
        try:
            return file_response(job.file, job.filename, exports.CONTENT_TYPES[job.fmt])
        except Http404 as exc:
            raise NotFound(str(exc)) from exc
