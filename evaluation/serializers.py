"""Serializers of the evaluation's API: output serializers (what a client reads) and
input serializers (types only; the services check and word the rules)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import Activity
from pompidou.api import SlugRelatedField
from pompidou.converters import ACTIVITY_REFERENCE_REGEX
from pompidou.downloads import download_url
from pompidou.serializers import InputSerializer, RefusesFieldsInputSerializer

from . import selectors
from .models import (
    FeedbackRequest,
    FeedbackResponse,
    ImpactAssessment,
    Indicator,
    Measurement,
    ProgressReport,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def inline_enum(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose enum stays inline in the schema.

    drf-spectacular turns every enum into a component named after the field; "status"
    already names the activities', proposals' and others' choice sets, and each of ours
    is used by several components (output, create and patch input), so it would fall
    back to a hashed name with a warning. Wrapped in ``allOf``, the enum is documented
    where it is used and left out of that naming. (An ``ENUM_NAME_OVERRIDES`` entry in
    the settings would be the alternative.)"""

    @extend_schema_field(
        {
            "allOf": [{"type": "string", "enum": choices.values}],
            # A sibling of allOf, so the schema keeps the wrapper.
            "description": ", ".join(f"`{value}`: {label}" for value, label in choices.choices),
        }
    )
    class _Choice(serializers.ChoiceField):
        pass

    return _Choice(choices=choices.choices, **kwargs)


def row_kind(value: str, description: str) -> serializers.Field:
    """A read-only field that always holds ``value``: the discriminator of a response
    that takes one of several shapes, each with its own single-value enum (inline, as
    ``inline_enum``), so a body matches exactly one ``oneOf`` branch."""

    @extend_schema_field(
        {"allOf": [{"type": "string", "enum": [value]}], "description": description}
    )
    class _Kind(serializers.Field):
        def __init__(self) -> None:
            super().__init__(read_only=True, source="*")

        def to_representation(self, obj: object) -> str:
            return value

    return _Kind()


class ActivityField(SlugRelatedField):
    """An activity by its reference, e.g. ``PG-2016-001``."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="reference", queryset=Activity.objects.all(), **kwargs)

    def to_internal_value(self, data):
        # Checked before the query: a value no reference can have (a NUL byte, a
        # number, a list) is refused here, as the database would refuse it less politely.
        if not isinstance(data, str) or not re.fullmatch(ACTIVITY_REFERENCE_REGEX, data):
            raise serializers.ValidationError(_("Give an activity reference, e.g. PG-2016-001."))
        return super().to_internal_value(data)


class ActivityRefInputSerializer(InputSerializer):
    activity = ActivityField()


class ProgressReportSerializer(serializers.ModelSerializer):
    """A half-year's report; the activity by reference, people by username."""

    activity: serializers.SlugRelatedField[Activity] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    status = inline_enum(ProgressReport.Status, read_only=True)
    submitted_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    reviewed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    accepted_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "activity",
            "period",
            "status",
            "percent_complete",
            "narrative",
            "achievements",
            "budget_spent",
            "submitted_by",
            "submitted_at",
            "review",
            "reviewer_comment",
            "reviewed_by",
            "accepted_by",
            "accepted_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProgressReportInputSerializer(RefusesFieldsInputSerializer):
    """The fields of a report its authors write (PATCH: any subset of them). The
    range of the percentage and the sign of the amount are the service's rules."""

    status = inline_enum(ProgressReport.Status, required=False)
    percent_complete = serializers.IntegerField(required=False)
    narrative = serializers.CharField(required=False, allow_blank=True)
    achievements = serializers.CharField(required=False, allow_blank=True)
    budget_spent = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)

    not_writable = {
        "activity": gettext_lazy("A report stays with its activity."),
        "period": gettext_lazy("A report stays with its period; file one for another period."),
        "review": gettext_lazy("The Secretariat accepts a report through accept/."),
        "reviewer_comment": gettext_lazy("The supervising Bureau member reviews through review/."),
    }


if set(ProgressReportInputSerializer._declared_fields) != set(ProgressReport.EDITABLE_FIELDS):
    raise ImproperlyConfigured(
        "ProgressReportInputSerializer must declare ProgressReport.EDITABLE_FIELDS."
    )


class ProgressReportCreateInputSerializer(ProgressReportInputSerializer):
    activity = ActivityField()
    period = serializers.CharField(help_text="A half-year, e.g. 2016-H1.")
    status = inline_enum(ProgressReport.Status)
    percent_complete = serializers.IntegerField()
    narrative = serializers.CharField(allow_blank=True)

    not_writable = {
        "review": gettext_lazy("A new report is submitted; accept it through accept/."),
        "reviewer_comment": gettext_lazy("The supervising Bureau member reviews through review/."),
    }


class ReviewInputSerializer(InputSerializer):
    # Not blank: the service's own check answers under "reviewer_comment", which is
    # not the name this request uses.
    comment = serializers.CharField()


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "date", "value", "note"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its measurements, oldest first, and whether the latest
    reaches the target."""

    activity: serializers.SlugRelatedField[Activity] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    measurements = MeasurementSerializer(many=True, read_only=True)
    reached = serializers.SerializerMethodField(
        help_text="Whether the latest measurement reaches the target; null before the first."
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "activity",
            "name",
            "unit",
            "baseline",
            "target",
            "direction",
            "measurements",
            "reached",
        ]
        read_only_fields = fields

    def get_reached(self, indicator: Indicator) -> bool | None:
        # From the prefetched measurements: no query per row.
        return selectors.indicator_state(indicator)


class IndicatorInputSerializer(InputSerializer):
    activity = ActivityField()
    name = serializers.CharField(max_length=200, allow_blank=True)
    unit = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    direction = serializers.ChoiceField(
        choices=Indicator.Direction.choices, required=False, default=Indicator.Direction.HIGHER
    )


class MeasurementInputSerializer(InputSerializer):
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class FeedbackRequestSerializer(serializers.ModelSerializer):
    """A feedback request as its addressees read it: no one else's answers."""

    activity: serializers.SlugRelatedField[Activity] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    activity_title = serializers.CharField(source="activity.title", read_only=True)
    status = inline_enum(FeedbackRequest.Status, read_only=True)
    answered = serializers.BooleanField(read_only=True, help_text="Whether you have answered.")
    kind = row_kind(
        "addressee", "`addressee`: the request as its addressees read it, without results."
    )

    class Meta:
        model = FeedbackRequest
        fields = [
            "kind",
            "id",
            "activity",
            "activity_title",
            "audience",
            "questions",
            "deadline",
            "status",
            "answered",
        ]
        read_only_fields = fields


def _mean(name: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=f"Mean {name} rating (1–5); null before the first answer.",
    )


class FeedbackResultsSerializer(FeedbackRequestSerializer):
    """A feedback request with its aggregated results (the Secretariat and the Bureau)."""

    recipients: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    responses_count = serializers.IntegerField(read_only=True)
    relevance = _mean("relevance")
    quality = _mean("quality")
    usefulness = _mean("usefulness")
    impact = _mean("impact")
    kind = row_kind("results", "`results`: the request with its aggregated results.")

    class Meta(FeedbackRequestSerializer.Meta):
        fields = [
            *FeedbackRequestSerializer.Meta.fields,
            "recipients",
            "created_by",
            "created_at",
            "responses_count",
            "relevance",
            "quality",
            "usefulness",
            "impact",
        ]
        read_only_fields = fields


class FeedbackResponseSerializer(serializers.ModelSerializer):
    respondent: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    invitee = serializers.CharField(
        source="invitation.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The invitee's name, for an answer through a signed link.",
    )

    class Meta:
        model = FeedbackResponse
        fields = [
            "id",
            "respondent",
            "invitee",
            "relevance",
            "quality",
            "usefulness",
            "impact",
            "comments",
            "created_at",
        ]
        read_only_fields = fields


class FeedbackResultsDetailSerializer(FeedbackResultsSerializer):
    """One request's results with each answer."""

    responses = FeedbackResponseSerializer(many=True, read_only=True)

    class Meta(FeedbackResultsSerializer.Meta):
        fields = [*FeedbackResultsSerializer.Meta.fields, "responses"]
        read_only_fields = fields


class InviteeInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    email = serializers.EmailField()


class FeedbackRequestInputSerializer(InputSerializer):
    activity = ActivityField()
    audience = serializers.ChoiceField(choices=FeedbackRequest.Audience.choices)
    questions = serializers.CharField(allow_blank=True)
    deadline = serializers.DateField()
    recipients = SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        many=True,
        required=False,
        help_text="Usernames of the people asked (audience `named`).",
    )
    invitees = InviteeInputSerializer(
        many=True, required=False, help_text="People without an account: a link by e-mail."
    )


class FeedbackAnswerInputSerializer(InputSerializer):
    # Whole numbers; the scale (1–5) is the service's rule, with its message.
    relevance = serializers.IntegerField()
    quality = serializers.IntegerField()
    usefulness = serializers.IntegerField()
    impact = serializers.IntegerField()
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class ImpactAssessmentSerializer(serializers.ModelSerializer):
    activity: serializers.SlugRelatedField[Activity] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ImpactAssessment
        fields = [
            "id",
            "activity",
            "date",
            "method",
            "findings",
            "rating",
            "evidence",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    # The protected download's address (never a /media/ one), null without a file.
    evidence = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_evidence(self, assessment: ImpactAssessment) -> str | None:
        if not assessment.evidence:
            return None
        return download_url(self.context, "impact-assessment-evidence", assessment.pk)


class ImpactAssessmentInputSerializer(InputSerializer):
    activity = ActivityField()
    date = serializers.DateField()
    method = serializers.CharField(max_length=200, allow_blank=True)
    findings = serializers.CharField(allow_blank=True)
    # A whole number; the scale (1–5) is the service's rule, with its message.
    rating = serializers.IntegerField()
    evidence = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="PDF or Word, up to 10 MB."
    )
