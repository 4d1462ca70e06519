"""``GET /api/v1/search/?q=&kind=``: the page's search for REST clients, paginated."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou.api import Pagination, PublicRead

from .engine import search
from .forms import SearchForm


class ResultSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="activity, proposal, meeting, priority or format")
    # A field named like Field.label: DRF's metaclass takes it as a field.
    label = serializers.CharField()  # type: ignore[assignment]
    reference = serializers.CharField()
    title = serializers.CharField(source="title_text")
    url = serializers.CharField(allow_null=True)
    passage = serializers.CharField(
        source="passage_text", help_text="The matching passage, as plain text."
    )
    passage_html = serializers.CharField(
        source="passage",
        help_text="The same passage, HTML-escaped, each match in <mark>.",
    )


class SearchPageSerializer(serializers.Serializer):
    """A page of results, as every list of the API answers it."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ResultSerializer(many=True)


class SearchApi(APIView):
    """What the words find among the activities, proposals (those the caller may see),
    meetings, thematic priorities and formats, best first."""

    permission_classes = [PublicRead]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description="The words, at most 200 characters."
            ),
            OpenApiParameter(
                "kind", str, enum=["activity", "proposal", "meeting", "priority", "format"]
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=SearchPageSerializer,
    )
    def get(self, request: Request) -> Response:
        form = SearchForm(
            {"q": request.query_params.get("q", ""), "kind": request.query_params.get("kind", "")}
        )
        if not form.is_valid():
            raise ValidationError(
                {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            )
        found = search(user=request.user, q=form.cleaned_data["q"], kind=form.cleaned_data["kind"])
        paginator = Pagination()
        page: Any = paginator.paginate_queryset(found, request, view=self)  # type: ignore[arg-type]
        return paginator.get_paginated_response(ResultSerializer(page, many=True).data)
