"""The floor the activities API is measured against: the same 100 rows (the first
page the requester may see, in the API's order) read with ``values()`` and returned
with ``JsonResponse``, without serializers or pagination."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse

from activities import selectors
from activities.models import Activity

COLUMNS = [
    "id",
    "reference",
    *(
        f.attname
        for f in Activity._meta.concrete_fields
        if f.name in Activity.EDITABLE_FIELDS and f.name != "terms_of_reference_file"
    ),
    "status",
]


@login_not_required  # public, as the API list is
def activities_baseline(request: HttpRequest) -> JsonResponse:
    rows = (
        selectors.activities_visible_to(request.user)
        .order_by("-start_date", "reference")  # the API's order
        .values(*COLUMNS)[:100]
    )
    return JsonResponse({"results": list(rows)})
