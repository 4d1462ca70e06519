"""REST steps of a programme's cycle (issue 18), calling the services the pages call:
``POST work-programmes/{id}/adopt/`` and ``POST work-programmes/{id}/put-in-force/``.
A refusal is a 400 with a message per field (``activity-12.thematic_priorities``),
403 for anyone but the Secretariat, 404 for a programme the user may not see."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from activities.handover import ActivityRow
from pompidou.errors import DomainError
from pompidou.rules import require
from programme import selectors
from programme.api import WorkProgrammeSerializer
from programme.handover import programme_adopt
from programme.models import WorkProgramme
from programme.permissions import can_move_programme
from proposals.handover import CLOSE, MOVE, ProposalRow, programme_put_in_force


class AdoptionInputSerializer(serializers.Serializer):
    adopted_by = serializers.CharField(
        max_length=200, allow_blank=True, help_text="The Conference's name in English."
    )
    adopted_by_fr = serializers.CharField(
        max_length=200, allow_blank=True, required=False, default="", help_text="In French."
    )
    conference_number = serializers.IntegerField(min_value=1, allow_null=True)
    adopted_place = serializers.CharField(max_length=100, allow_blank=True)
    conference_start = serializers.DateField(allow_null=True)
    adopted_on = serializers.DateField(allow_null=True, help_text="The last day, of adoption.")
    reference = serializers.CharField(max_length=40, allow_blank=True)


class _MappingSerializer(serializers.Serializer):
    thematic_priorities = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    permanent_format = serializers.IntegerField(allow_null=True, required=False, default=None)


class ActivityRowSerializer(_MappingSerializer):
    activity = serializers.IntegerField()
    carry_over = serializers.BooleanField()


class ProposalRowSerializer(_MappingSerializer):
    proposal = serializers.IntegerField()
    action = serializers.ChoiceField(choices=[MOVE, CLOSE])
    year = serializers.IntegerField(allow_null=True, required=False, default=None)
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class PutInForceInputSerializer(serializers.Serializer):
    activities = ActivityRowSerializer(many=True, required=False, default=list)
    proposals = ProposalRowSerializer(many=True, required=False, default=list)


# What both steps answer: the work programme as ``GET work-programmes/{id}/`` gives it
# (its priorities, formats and criteria shortened here).
ANSWER = OpenApiExample(
    "The programme after the step",
    value={
        "id": 2,
        "reference": "P-PG/MinConf (2018) 4",
        "title": "Pompidou Group Work Programme 2019–2022",
        "theme": "",
        "first_year": 2019,
        "last_year": 2022,
        "status": "in_force",
        "adopted_by": "17th Ministerial Conference",
        "adopted_place": "Stavanger",
        "adopted_on": "2018-11-28",
        "min_criterion_mean": "3.0",
        "min_total_numerator": 2,
        "min_total_denominator": 3,
        "aims": [],
        "thematic_priorities": [],
        "permanent_formats": [],
        "criteria": [],
    },
    response_only=True,
    status_codes=["200"],
)


class _ProgrammeStepApi(APIView):
    permission_classes = [IsAuthenticated]

    def programme(self, request: Request, pk: int) -> WorkProgramme:
        programme = get_object_or_404(selectors.work_programmes_visible_to(request.user), pk=pk)
        require(can_move_programme(request.user, programme))
        return programme

    def valid(self, serializer: type[serializers.Serializer], request: Request) -> dict:
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def answer(self, request: Request, programme: WorkProgramme) -> Response:
        programme = selectors.work_programme_in_full(WorkProgramme.objects.all()).get(
            pk=programme.pk
        )
        return Response(WorkProgrammeSerializer(programme, context={"request": request}).data)


class ProgrammeAdoptApi(_ProgrammeStepApi):
    """The Secretariat records the adoption of a programme in consultation: the
    Conference (name in English and French, number, place, first and last day) and the
    reference of the adopted document."""

    @extend_schema(
        request=AdoptionInputSerializer,
        responses={200: WorkProgrammeSerializer},
        examples=[
            OpenApiExample(
                "Adopted at the 17th Conference",
                value={
                    "adopted_by": "17th Ministerial Conference",
                    "adopted_by_fr": "17e Conférence ministérielle",
                    "conference_number": 17,
                    "adopted_place": "Stavanger",
                    "conference_start": "2018-11-27",
                    "adopted_on": "2018-11-28",
                    "reference": "P-PG/MinConf (2018) 4",
                },
                request_only=True,
            ),
            ANSWER,
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        # Who may act first (403/404), then what they sent (400).
        programme = self.programme(request, pk)
        values = self.valid(AdoptionInputSerializer, request)
        values["adopted_by_en"] = values.pop("adopted_by")
        try:
            programme = programme_adopt(programme=programme, by=request.user, **values)
        except DomainError as exc:
            # The API's field is ``adopted_by`` (its English column is the page's).
            if "adopted_by_en" in exc.errors:
                exc.errors["adopted_by"] = exc.errors.pop("adopted_by_en")
            raise
        return self.answer(request, programme)


class ProgrammePutInForceApi(_ProgrammeStepApi):
    """Put an adopted programme in force and hand over, in one transaction: every
    running activity of the programme in force listed (carried over with its new
    priorities and format, or not), every open proposal moved (mapped) or closed with a
    reason. A problem names its row (``activity-12.permanent_format``) and writes
    nothing."""

    @extend_schema(
        request=PutInForceInputSerializer,
        responses={200: WorkProgrammeSerializer},
        examples=[
            OpenApiExample(
                "One activity carried over, one proposal closed",
                value={
                    "activities": [
                        {
                            "activity": 12,
                            "carry_over": True,
                            "thematic_priorities": [31],
                            "permanent_format": 40,
                        }
                    ],
                    "proposals": [
                        {"proposal": 7, "action": "close", "reason": "Taken up by the EMCDDA."}
                    ],
                },
                request_only=True,
            ),
            ANSWER,
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        programme = self.programme(request, pk)
        rows = self.valid(PutInForceInputSerializer, request)
        programme = programme_put_in_force(
            programme,
            by=request.user,
            activities=[ActivityRow(**row) for row in rows["activities"]],
            proposals=[ProposalRow(**row) for row in rows["proposals"]],
        )
        return self.answer(request, programme)
