"""The evidence file of an impact assessment, for those who read the activity's
evaluation (the Secretariat, PCs, Bureau members, experts).

The page and the API answer alike: an assessment of an activity the user may not
see is a 404; a user who sees the activity but not its evaluation is refused (403)
with the evaluation's own reason (``permissions.can_view_activity_evaluation``).
"""

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from activities.selectors import activities_visible_to
from pompidou.downloads import download_name, file_response
from pompidou.job_api import AnyAccept
from pompidou.rules import Verdict, gate, require

from . import permissions
from .models import ImpactAssessment


def _evidence(user, pk: int) -> tuple[ImpactAssessment, Verdict]:
    assessment = (
        ImpactAssessment.objects.select_related("activity")
        .filter(pk=pk, activity__in=activities_visible_to(user))
        .first()
    )
    if assessment is None or not assessment.evidence:
        raise Http404(_("No such evidence file."))
    return assessment, permissions.can_view_activity_evaluation(user, assessment.activity)


def _response(assessment: ImpactAssessment) -> HttpResponseBase:
    return file_response(
        assessment.evidence, download_name(assessment.evidence_name, assessment.evidence.name)
    )


@require_safe
def impact_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    assessment, verdict = _evidence(request.user, pk)
    gate(verdict)
    return _response(assessment)


class ImpactEvidenceApi(APIView):
    """GET: the evidence file (PDF or Word) of an impact assessment, for those who
    read the activity's evaluation."""

    permission_classes = [IsAuthenticated]
    # The file whatever the Accept header asks (``Accept: application/pdf``).
    content_negotiation_class = AnyAccept

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file."),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not allowed (`detail`)."),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such evidence file."),
        }
    )
    def get(self, request, pk: int):
        assessment, verdict = _evidence(request.user, pk)
        require(verdict)
        return _response(assessment)
