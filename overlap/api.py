"""``GET proposals/{id}/similar/``: the items most like a proposal, with their matching
passages and the proposer's marks; ``POST`` a mark ``{"verdict", "activity"|"proposal"}``."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from proposals.api import StepApi, allows

from . import engine, permissions, selectors, services
from .models import Mark


class MarkSerializer(serializers.ModelSerializer):
    marked_by = serializers.CharField(source="marked_by.username", allow_null=True)
    activity = serializers.CharField(source="activity.reference", allow_null=True)
    proposal = serializers.IntegerField(source="other_proposal_id", allow_null=True)

    class Meta:
        model = Mark
        fields = ["verdict", "activity", "proposal", "marked_by", "marked_at"]


class SimilarItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="activity or proposal")
    id = serializers.IntegerField(source="obj.pk")
    reference = serializers.CharField()
    title = serializers.CharField(source="obj.title")
    url = serializers.CharField()
    score = serializers.FloatField(help_text="Similarity from 0 to 1.")
    passages = serializers.ListField(
        child=serializers.CharField(), source="passages_text", help_text="As plain text."
    )
    passages_html = serializers.ListField(
        child=serializers.CharField(),
        source="passages",
        help_text="The same passages, HTML-escaped, the shared words in <mark>.",
    )
    mark = MarkSerializer(allow_null=True)


class SimilarSerializer(serializers.Serializer):
    threshold = serializers.FloatField(help_text="The lowest score listed.")
    results = SimilarItemSerializer(many=True)


class MarkInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Mark.Verdict.choices)
    activity = serializers.CharField(required=False, allow_blank=True, max_length=20)
    proposal = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class SimilarApi(StepApi):
    """What the caller may see of the activities (every programme) and open proposals
    most like this proposal; the proposing delegation marks them."""

    permission_classes = [IsAuthenticated, allows(permissions.can_view_similar)]

    @extend_schema(responses={200: SimilarSerializer})
    def get(self, request, pk: int):
        proposal = self.proposal(request, pk)
        found = selectors.similar_to(request.user, proposal)
        data = {"threshold": engine.THRESHOLD, "results": found}
        return Response(SimilarSerializer(data).data)

    @extend_schema(
        request=MarkInputSerializer,
        responses={200: MarkSerializer},
        examples=[
            OpenApiExample(
                "builds on an activity",
                value={"verdict": "builds_on", "activity": "PG-2015-010"},
                request_only=True,
            ),
            OpenApiExample(
                "not related to a proposal",
                value={"verdict": "not_related", "proposal": 42},
                request_only=True,
            ),
            OpenApiExample(
                "the mark recorded",
                value={
                    "verdict": "builds_on",
                    "activity": "PG-2015-010",
                    "proposal": None,
                    "marked_by": "pc_fr",
                    "marked_at": "2026-12-02T07:04:00+01:00",
                },
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request, pk: int):
        proposal = self.proposal(request, pk)
        data = MarkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mark = services.mark_similar(
            proposal=proposal,
            actor=request.user,
            verdict=data.validated_data["verdict"],
            activity=data.validated_data.get("activity") or None,
            other_proposal=data.validated_data.get("proposal"),
        )
        return Response(MarkSerializer(mark).data, status=status.HTTP_200_OK)
