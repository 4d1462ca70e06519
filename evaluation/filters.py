"""Filters of the evaluation's lists (django-filter), shared by the API and any page
that lists these rows."""

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy

from activities.models import Activity

from .models import PERIOD_REGEX, FeedbackRequest, ImpactAssessment, Indicator, ProgressReport


class ByActivityFilter(django_filters.FilterSet):
    activity = django_filters.ModelChoiceFilter(
        queryset=Activity.objects.all(),
        to_field_name="reference",
        label=gettext_lazy("Activity"),
        help_text=gettext_lazy("The activity's reference, e.g. PG-2016-001."),
    )


class ProgressReportFilter(ByActivityFilter):
    period = django_filters.CharFilter(
        label=gettext_lazy("Period"),
        help_text=gettext_lazy("A half-year, e.g. 2016-H1."),
        validators=[RegexValidator(PERIOD_REGEX, gettext_lazy("Give a half-year, e.g. 2016-H1."))],
    )
    status = django_filters.ChoiceFilter(
        choices=ProgressReport.Status.choices, label=gettext_lazy("Status")
    )
    review = django_filters.ChoiceFilter(
        choices=ProgressReport.Review.choices, label=gettext_lazy("Review")
    )

    class Meta:
        model = ProgressReport
        fields = ["activity", "period", "status", "review"]


class IndicatorFilter(ByActivityFilter):
    class Meta:
        model = Indicator
        fields = ["activity"]


class FeedbackRequestFilter(ByActivityFilter):
    status = django_filters.ChoiceFilter(
        choices=FeedbackRequest.Status.choices, label=gettext_lazy("Status")
    )

    class Meta:
        model = FeedbackRequest
        fields = ["activity", "status"]


class ImpactAssessmentFilter(ByActivityFilter):
    class Meta:
        model = ImpactAssessment
        fields = ["activity"]
