"""A compiled document for REST clients: its state (follow ``url`` until ``status``
is succeeded or failed) and its files, with the same permission as the page,
reachable with ``Authorization: Token <key>``, JSON errors.

An app gives, per kind of document, the URL name of its state (``<name>``, with
``<name>-pdf`` and ``<name>-docx`` for the files), how to find a job for a user
(``get_job``) and who may see it (``allowed``).
"""

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .job_views import download, requested_language
from .jobs import sweep
from .models import ReportJob
from .schema import file_responses

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class AnyAccept(BaseContentNegotiation):
    """A file whatever the Accept header says (``Accept: application/pdf`` is fine);
    the errors are JSON."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


class JobLinks:
    """The links of a compiled document, for a serializer that declares ``url``,
    ``pdf`` and ``docx`` as ``SerializerMethodField``: its state, and its files once
    compiled. Subclasses set ``url_name``."""

    url_name = ""
    context: dict

    def _absolute(self, name: str, job: ReportJob) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=[job.pk]))

    def get_url(self, job: ReportJob) -> str:
        return self._absolute(self.url_name, job)

    # The files under /api/v1/, so a token client can download them: ``pdf`` and
    # ``docx`` in the request's language (Accept-Language), ``files`` in each.
    def _file(self, job: ReportJob, kind: str, language: str) -> str | None:
        if job.status != "succeeded" or not job.file(kind, language):
            return None
        return self._absolute(f"{self.url_name}-{kind}", job) + f"?language={language}"

    def _language(self) -> str:
        language = (translation.get_language() or "").split("-")[0]
        return language if language in ReportJob.languages() else ReportJob.languages()[0]

    def get_pdf(self, job: ReportJob) -> str | None:
        return self._file(job, "pdf", self._language())

    def get_docx(self, job: ReportJob) -> str | None:
        return self._file(job, "docx", self._language())

    @extend_schema_field(
        {
            "type": "object",
            "description": "The files in each language (null before they are compiled).",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "pdf": {"type": "string", "format": "uri", "nullable": True},
                    "docx": {"type": "string", "format": "uri", "nullable": True},
                },
            },
            "example": {
                "en": {"pdf": "https://portal.example/api/v1/…/pdf/?language=en", "docx": None},
            },
        }
    )
    def get_files(self, job: ReportJob) -> dict[str, dict[str, str | None]]:
        return {
            language: {kind: self._file(job, kind, language) for kind in job.KINDS}
            for language in job.languages()
        }


class JobSerializer(JobLinks, serializers.Serializer):
    """A compiled document: follow ``url`` until ``status`` is succeeded or failed."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    error = serializers.CharField()
    document_date = serializers.DateField()
    url = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()
    docx = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()


class _JobApi(APIView):
    def get_job(self, request: Request, pk: int) -> ReportJob:  # pragma: no cover - abstract
        """The job, 404 for what the user may not see (403 before the lookup for
        someone who sees no document of this kind: an outsider learns nothing)."""
        raise NotImplementedError

    def allowed(self, user: Any, job: ReportJob) -> bool:  # pragma: no cover - abstract
        """The page's predicate."""
        raise NotImplementedError


class JobStatusApi(_JobApi):
    """GET the state of a compiled document. Subclasses set ``serializer_class``."""

    serializer_class: type[serializers.BaseSerializer] = JobSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return self.serializer_class  # read by the OpenAPI schema

    def get(self, request: Request, pk: int) -> Response:
        job = self.get_job(request, pk)
        if not self.allowed(request.user, job):
            raise PermissionDenied
        if any(sweep(type(job)).values()):
            job.refresh_from_db()
        return Response(self.serializer_class(job, context={"request": request}).data)


class JobFileApi(_JobApi):
    """GET the PDF or DOCX of a compiled document. Subclasses set ``kind``."""

    kind = ""
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnyAccept

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:  # the schema names the file's own media type
            extend_schema(responses=file_responses(CONTENT_TYPES[cls.kind]))(cls)

    def get(self, request: Request, pk: int) -> Any:
        if not request.user.is_authenticated:
            raise NotAuthenticated
        job = self.get_job(request, pk)
        if not self.allowed(request.user, job):
            raise PermissionDenied
        try:
            return download(job, self.kind, requested_language(request), CONTENT_TYPES[self.kind])
        except Http404 as exc:
            raise NotFound(str(exc)) from exc
