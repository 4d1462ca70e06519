"""Public, read-only API of the programme structure."""

from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from pompidou.converters import STATE_CODE_REGEX
from pompidou.sync import SyncMixin

from . import filters, selectors
from .models import (
    AdoptionCriterion,
    MemberState,
    PermanentFormat,
    ProgrammeAim,
    ThematicPriority,
    WorkProgramme,
)


class ProgrammeAimSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeAim
        fields = ["position", "key", "title", "text"]


def _texts():
    return serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")


class ThematicPrioritySerializer(serializers.ModelSerializer):
    aims = _texts()

    class Meta:
        model = ThematicPriority
        fields = ["id", "work_programme", "number", "title", "rationale", "transversal", "aims"]


class PermanentFormatSerializer(serializers.ModelSerializer):
    aims = _texts()
    objectives = _texts()
    expected_results = _texts()

    class Meta:
        model = PermanentFormat
        fields = [
            "id",
            "work_programme",
            "number",
            "name",
            "short_name",
            "kind",
            "first_year",
            "last_year",
            "aims",
            "beneficiaries",
            "objectives",
            "expected_results_intro",
            "expected_results",
        ]


class AdoptionCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdoptionCriterion
        fields = ["id", "work_programme", "number", "title", "guidance", "weight", "computed"]


class WorkProgrammeSerializer(serializers.ModelSerializer):
    aims = ProgrammeAimSerializer(many=True, read_only=True)
    thematic_priorities = ThematicPrioritySerializer(source="priorities", many=True, read_only=True)
    permanent_formats = PermanentFormatSerializer(source="formats", many=True, read_only=True)
    criteria = AdoptionCriterionSerializer(many=True, read_only=True)

    class Meta:
        model = WorkProgramme
        fields = [
            "id",
            "reference",
            "title",
            "theme",
            "first_year",
            "last_year",
            "status",
            "adopted_by",
            "adopted_place",
            "adopted_on",
            "min_criterion_mean",
            "min_total_numerator",
            "min_total_denominator",
            "aims",
            "thematic_priorities",
            "permanent_formats",
            "criteria",
        ]


class MemberStateSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberState
        fields = ["code", "name", "status", "joined_year", "left_year"]


class PublicReadOnlyViewSet(SyncMixin, viewsets.ReadOnlyModelViewSet):
    """Read by anyone, without login (the programme structure is public)."""

    permission_classes = [AllowAny]


class WorkProgrammeViewSet(PublicReadOnlyViewSet):
    """Work programmes with their aims, priorities, formats and criteria in one call."""

    serializer_class = WorkProgrammeSerializer
    filterset_class = filters.WorkProgrammeFilter

    def get_queryset(self):
        return selectors.work_programme_in_full(
            selectors.work_programmes_visible_to(self.request.user)
        ).order_by("-first_year")


class ThematicPriorityViewSet(PublicReadOnlyViewSet):
    serializer_class = ThematicPrioritySerializer
    filterset_class = filters.ThematicPriorityFilter

    def get_queryset(self):
        programmes = selectors.work_programmes_visible_to(self.request.user)
        return selectors.priorities_with_aims().filter(work_programme__in=programmes)


class PermanentFormatViewSet(PublicReadOnlyViewSet):
    serializer_class = PermanentFormatSerializer
    filterset_class = filters.PermanentFormatFilter

    def get_queryset(self):
        programmes = selectors.work_programmes_visible_to(self.request.user)
        return selectors.formats_with_texts().filter(work_programme__in=programmes)


class AdoptionCriterionViewSet(PublicReadOnlyViewSet):
    serializer_class = AdoptionCriterionSerializer
    filterset_class = filters.AdoptionCriterionFilter

    def get_queryset(self):
        programmes = selectors.work_programmes_visible_to(self.request.user)
        return AdoptionCriterion.objects.filter(work_programme__in=programmes).order_by(
            "work_programme", "number"
        )


class MemberStateViewSet(PublicReadOnlyViewSet):
    """Member states and partners, addressed by ISO 3166-1 alpha-2 code."""

    serializer_class = MemberStateSerializer
    filterset_class = filters.MemberStateFilter
    lookup_field = "code"
    lookup_value_regex = STATE_CODE_REGEX
    queryset = MemberState.objects.all()

    def get_queryset(self):
        # By the name in the request's language (Accept-Language), in its collation.
        return selectors.member_states_by_name()

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()
