"""API of the compiled evaluation reports: POST answers 202 with the job to follow."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou import jobs
from pompidou.job_api import JobFileApi
from pompidou.serializers import InputSerializer
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from . import permissions, services
from .models import EvaluationReport


class EvaluationReportSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()
    docx = serializers.SerializerMethodField()

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
        ]

    def _absolute(self, name, *args) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=args))

    def get_url(self, report) -> str:
        return self._absolute("api-evaluation-report", report.pk)

    def get_pdf(self, report) -> str | None:
        return (
            self._absolute("api-evaluation-report-pdf", report.pk)
            if report.status == "succeeded"
            else None
        )

    def get_docx(self, report) -> str | None:
        return (
            self._absolute("api-evaluation-report-docx", report.pk)
            if report.status == "succeeded"
            else None
        )


class EvaluationReportInput(InputSerializer):
    first_year = serializers.IntegerField()
    last_year = serializers.IntegerField()
    scope = serializers.ChoiceField(choices=EvaluationReport.Scope.choices, default="all")
    priority = serializers.PrimaryKeyRelatedField(
        queryset=ThematicPriority.objects.all(), required=False, allow_null=True
    )
    format = serializers.PrimaryKeyRelatedField(
        queryset=PermanentFormat.objects.all(), required=False, allow_null=True
    )


class EvaluationReportsApi(APIView):
    """Compile an evaluation report over a period and scope (Secretariat): 202 with the
    job; the same document asked again while compiling returns the running job."""

    @extend_schema(request=EvaluationReportInput, responses={202: EvaluationReportSerializer})
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


class EvaluationReportApi(APIView):
    """The state of a compiled evaluation report, and its files once done."""

    @extend_schema(responses=EvaluationReportSerializer)
    def get(self, request, pk: int):
        if not permissions.can_view_overview(request.user):
            raise PermissionDenied
        jobs.mark_stale(EvaluationReport)
        report = get_object_or_404(EvaluationReport, pk=pk)
        return Response(EvaluationReportSerializer(report, context={"request": request}).data)


class _EvaluationReportFileApi(JobFileApi):
    """A compiled evaluation report's file, for whoever may open the report's page."""

    def get_job(self, request, pk: int):
        if not permissions.can_view_overview(request.user):
            raise PermissionDenied  # before the lookup: an outsider learns nothing
        return get_object_or_404(EvaluationReport, pk=pk)

    def allowed(self, user, job) -> bool:
        return permissions.can_view_overview(user)


class EvaluationReportPdfApi(_EvaluationReportFileApi):
    kind = "pdf"


class EvaluationReportDocxApi(_EvaluationReportFileApi):
    kind = "docx"
