"""An activity's terms of reference file, for whoever may see the activity.

The page and the API answer alike: the activity is looked up through
``activities_visible_to`` (the public sees adopted activities, members every one),
so an activity the visitor may not see is a 404 and its file with it.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from pompidou.api import PublicRead
from pompidou.downloads import download_name, file_response
from pompidou.job_api import AnyAccept

from .selectors import activities_visible_to


def terms_of_reference_response(user, reference: str) -> HttpResponseBase:
    """The terms of reference file of the activity ``reference``; 404 when the user
    may not see the activity or it has no file."""
    activity = (
        activities_visible_to(user)
        .only("reference", "terms_of_reference_file", "terms_of_reference_name")
        .filter(reference=reference)
        .first()
    )
    if activity is None:
        raise Http404(_("No such activity."))
    field = activity.terms_of_reference_file
    if not field:
        raise Http404(_("This activity has no terms of reference file."))
    return file_response(field, download_name(activity.terms_of_reference_name, field.name))


@login_not_required
@require_safe
def terms_of_reference(request: HttpRequest, reference: str) -> HttpResponseBase:
    return terms_of_reference_response(request.user, reference)


class TermsOfReferenceApi(APIView):
    """GET: the activity's terms of reference file (PDF or Word), for those who may
    see the activity: anyone for an adopted activity, members for the others."""

    permission_classes = [PublicRead]
    # The file whatever the Accept header asks (``Accept: application/pdf``).
    content_negotiation_class = AnyAccept

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file."),
            404: OpenApiResponse(description="No such activity, or no file."),
        }
    )
    def get(self, request, reference: str):
        return terms_of_reference_response(request.user, reference)
