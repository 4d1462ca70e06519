"""The files of a compiled document for REST clients: the same permission as the
page, reachable with ``Authorization: Token <key>``, JSON errors."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from .downloads import file_response

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class AnyAccept(BaseContentNegotiation):
    """A file whatever the Accept header says (``Accept: application/pdf`` is fine);
    the errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class JobFileApi(APIView):
    """GET the PDF or DOCX of a compiled document. Subclasses set ``kind`` and
    implement ``get_job(request, pk)`` (404 for what the user may not see) and
    ``allowed(user, job)`` (the page's predicate)."""

    kind = ""
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnyAccept

    def get_job(self, request, pk: int):  # pragma: no cover - abstract
        raise NotImplementedError

    def allowed(self, user, job) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="Not compiled (yet)."),
        }
    )
    def get(self, request, pk: int):
        if not request.user.is_authenticated:
            raise NotAuthenticated
        job = self.get_job(request, pk)
        if not self.allowed(request.user, job):
            raise PermissionDenied
        field = getattr(job, self.kind)
        if job.status != job.Status.SUCCEEDED or not field:
            raise NotFound(f"The {self.kind.upper()} of {job.reference} does not exist (yet).")
        return file_response(field, f"{job.file_stem}.{self.kind}", CONTENT_TYPES[self.kind])
