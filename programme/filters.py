import django_filters

from pompidou.filters import BooleanFilter

from .models import AdoptionCriterion, MemberState, PermanentFormat, ThematicPriority, WorkProgramme


class WorkProgrammeFilter(django_filters.FilterSet):
    class Meta:
        model = WorkProgramme
        fields = ["status"]


class ThematicPriorityFilter(django_filters.FilterSet):
    transversal = BooleanFilter()

    class Meta:
        model = ThematicPriority
        fields = ["work_programme", "transversal"]


class PermanentFormatFilter(django_filters.FilterSet):
    class Meta:
        model = PermanentFormat
        fields = ["work_programme", "kind"]


class AdoptionCriterionFilter(django_filters.FilterSet):
    computed = BooleanFilter()

    class Meta:
        model = AdoptionCriterion
        fields = ["work_programme", "computed"]


class MemberStateFilter(django_filters.FilterSet):
    class Meta:
        model = MemberState
        fields = ["status"]
