"""API of the compiled evaluation reports: POST answers 202 with the job to follow."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou.job_api import JobFileApi, JobLinks, JobStatusApi
from pompidou.serializers import InputSerializer
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from . import api_examples, permissions, services
from .models import EvaluationReport


class EvaluationReportSerializer(JobLinks, serializers.ModelSerializer):
    url_name = "api-evaluation-report"
    url = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()
    docx = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationReport
        fields = [
            "id",
            "reference",
            "status",
            "progress",
            "error",
            "document_date",
            "first_year",
            "last_year",
            "scope",
            "priority",
            "format",
            "url",
            "pdf",
            "docx",
            "files",
        ]


class EvaluationReportInput(InputSerializer):
    first_year = serializers.IntegerField()
    last_year = serializers.IntegerField()
    scope = serializers.ChoiceField(choices=EvaluationReport.Scope.choices, default="all")
    priority: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=ThematicPriority.objects.all(), required=False, allow_null=True
    )
    format: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=PermanentFormat.objects.all(), required=False, allow_null=True
    )


class EvaluationReportsApi(APIView):
    """Compile an evaluation report over a period and scope (Secretariat): 202 with the
    job; the same document asked again while compiling returns the running job."""

    @extend_schema(
        examples=api_examples.EVALUATION_REPORT_COMPILE,
        request=EvaluationReportInput,
        responses={202: EvaluationReportSerializer},
    )
    def post(self, request):
        if not permissions.can_accept_progress_report(request.user):
            raise PermissionDenied("The Secretariat compiles evaluation reports.")
        data = EvaluationReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        wp = WorkProgramme.objects.in_force().first()
        if wp is None:
            raise services.DomainError("No work programme is in force.")
        report, _created = services.evaluation_report_compile(
            actor=request.user, work_programme=wp, **data.validated_data
        )
        body = EvaluationReportSerializer(report, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class _EvaluationReportJobApi:
    """A compiled evaluation report, for whoever may open the report's page."""

    def get_job(self, request, pk: int) -> EvaluationReport:
        if not permissions.can_view_overview(request.user):
            raise PermissionDenied  # before the lookup: an outsider learns nothing
        return get_object_or_404(EvaluationReport, pk=pk)

    def allowed(self, user, job) -> bool:
        return permissions.can_view_overview(user)


class EvaluationReportApi(_EvaluationReportJobApi, JobStatusApi):
    """The state of a compiled evaluation report, and its files once done."""

    serializer_class = EvaluationReportSerializer


class _EvaluationReportFileApi(_EvaluationReportJobApi, JobFileApi):
    pass


class EvaluationReportPdfApi(_EvaluationReportFileApi):
    kind = "pdf"


class EvaluationReportDocxApi(_EvaluationReportFileApi):
    kind = "docx"
