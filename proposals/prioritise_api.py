"""``POST /api/v1/proposals/prioritise/``: the constraints in, the optimal selection,
its totals and the greedy comparison out (the page's service, the page's rules).

Constraints that no selection meets are an answer, not an error: 200 with
``"feasible": false`` and the reasons in ``problems``. Malformed input is a 400
naming the field; a user who may not read the ranking gets a 403 before the body
is read.
"""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou.rules import require
from pompidou.schema import examples

from . import permissions, services
from .prioritise_forms import MOST


def _counts(help_text: str) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MOST),
        required=False,
        default=dict,
        help_text=help_text,
    )


def _ids(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=MOST,
        help_text=help_text,
    )


class PrioritiseInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1950, max_value=2100)
    min_per_priority = _counts(
        'At least this many proposals per thematic priority, by number: {"3.1": 1}.'
    )
    max_per_format = _counts('At most this many proposals per permanent format: {"4.5": 1}.')
    include = _ids("Ids of proposals every suggestion must contain.")
    exclude = _ids("Ids of proposals no suggestion may contain.")
    above_threshold_only = serializers.BooleanField(required=False, default=False)


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    title = serializers.CharField()
    cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    weighted_score = serializers.DecimalField(
        source="score", max_digits=8, decimal_places=2, allow_null=True
    )
    recommended = serializers.BooleanField()
    thematic_priorities = serializers.ListField(source="priorities", child=serializers.CharField())
    permanent_format = serializers.CharField(source="format", allow_null=True)


class SelectionSerializer(serializers.Serializer):
    proposals = CandidateSerializer(source="chosen", many=True)
    total_score = serializers.DecimalField(source="score", max_digits=10, decimal_places=2)
    total_cost = serializers.DecimalField(source="cost", max_digits=14, decimal_places=2)
    remaining = serializers.SerializerMethodField()
    unmet = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_remaining(self, selection) -> str:
        return f"{self.context['capacity'] - selection.cost:.2f}"


class LeftOutSerializer(serializers.Serializer):
    proposal = CandidateSerializer()
    reason = serializers.CharField()


class SuggestionSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    ceiling = serializers.DecimalField(source="budget.ceiling", max_digits=14, decimal_places=2)
    committed = serializers.DecimalField(source="budget.committed", max_digits=14, decimal_places=2)
    budget_left = serializers.DecimalField(
        source="outcome.capacity", max_digits=14, decimal_places=2
    )
    feasible = serializers.SerializerMethodField()
    proven_optimal = serializers.BooleanField(source="outcome.proven")
    problems = serializers.ListField(source="outcome.problems", child=serializers.CharField())
    selection = SelectionSerializer(source="outcome.optimal", allow_null=True)
    greedy = SelectionSerializer(source="outcome.greedy")
    difference = serializers.DecimalField(
        source="outcome.difference", max_digits=10, decimal_places=2, allow_null=True
    )
    left_out = serializers.SerializerMethodField()
    withheld = serializers.IntegerField()
    seconds = serializers.FloatField(source="outcome.seconds")

    def get_feasible(self, suggestion) -> bool:
        return suggestion.outcome.optimal is not None

    @extend_schema_field(LeftOutSerializer(many=True))
    def get_left_out(self, suggestion) -> Any:
        rows = [{"proposal": c, "reason": why} for c, why in suggestion.outcome.left_out]
        return LeftOutSerializer(rows, many=True).data


_MEDNET = {
    "id": 5,
    "reference": "PR-2018-0002",
    "title": "MedNET: treatment quality standards in North Africa",
    "cost": "28000.00",
    "weighted_score": "29.75",
    "recommended": True,
    "thematic_priorities": ["3.1", "3.3"],
    "permanent_format": "4.5",
}
_REINTEGRATION = {
    "id": 3,
    "reference": "PR-2017-0003",
    "title": "Social reintegration through employment",
    "cost": "35000.00",
    "weighted_score": "25.00",
    "recommended": True,
    "thematic_priorities": ["3.3"],
    "permanent_format": None,
}
_CHOSEN = {
    "proposals": [_MEDNET, _REINTEGRATION],
    "total_score": "54.75",
    "total_cost": "63000.00",
    "remaining": "10000.00",
    "unmet": [],
}
# The demo's 2018 with its ceiling raised to 600,000 EUR.
EXAMPLE = examples(
    "Suggest the 2018 programme",
    request={
        "year": 2018,
        "min_per_priority": {"3.1": 1, "3.3": 1},
        "max_per_format": {"4.5": 1},
        "include": [],
        "exclude": [],
        "above_threshold_only": True,
    },
    response={
        "year": 2018,
        "ceiling": "600000.00",
        "committed": "527000.00",
        "budget_left": "73000.00",
        "feasible": True,
        "proven_optimal": True,
        "problems": [],
        "selection": _CHOSEN,
        "greedy": _CHOSEN,
        "difference": "0.00",
        "left_out": [],
        "withheld": 0,
        "seconds": 0.021,
    },
)


class PrioritiseApi(APIView):
    """Suggest a programme within budget: the year's proposals under assessment that
    maximise the total weighted score within the budget left under the ceiling,
    under the balance constraints, beside the greedy score-per-euro choice. Whoever
    reads the ranking (the Secretariat, the Bureau) may ask; nothing is saved."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        examples=EXAMPLE,
        request=PrioritiseInputSerializer,
        responses={200: SuggestionSerializer},
    )
    def post(self, request):
        require(permissions.can_view_score(request.user))
        data = PrioritiseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        suggestion = services.prioritise(actor=request.user, **data.validated_data)
        context = {"capacity": suggestion.outcome.capacity}
        return Response(SuggestionSerializer(suggestion, context=context).data)
