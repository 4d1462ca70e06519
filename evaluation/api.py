"""REST API of the evaluation (section 2.3 of the work programme): progress reports,
indicators with their measurements, feedback requests and impact assessments.

Everything here is for users with a portal role (the Secretariat, Permanent
Correspondents, Bureau members, experts). Reads are ViewSets whose lists answer in a
fixed number of queries; each write is one action whose input serializer checks types
only, then calls one service, whose DomainError the global exception handler turns
into a 400 naming each field (403 for a refusal). Who may act is asked before the rest
of the body is read, so a refusal never depends on the body.
"""

import re

import django_filters
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from activities.models import Activity
from activities.permissions import has_portal_role
from pompidou.api import SlugRelatedField
from pompidou.converters import ACTIVITY_REFERENCE_REGEX
from pompidou.errors import PermissionDenied
from pompidou.serializers import InputSerializer

from . import permissions, selectors, services
from .models import (
    PERIOD_REGEX,
    FeedbackRequest,
    FeedbackResponse,
    ImpactAssessment,
    Indicator,
    Measurement,
    ProgressReport,
)

User = get_user_model()

_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="A message per field.")
_REFUSED = OpenApiResponse(OpenApiTypes.OBJECT, description="Not allowed (`detail`).")
_NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No such object for this user.")


def _inline_enum(choices, **kwargs) -> serializers.ChoiceField:
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


def _refuse_unless(allowed: bool, message: str) -> None:
    # The predicate the service checks too; asked first so a refusal is a 403
    # whatever the rest of the body holds.
    if not allowed:
        raise PermissionDenied(message)


class HasPortalRole(BasePermission):
    """The evaluation is read by the members of the group, not by the public."""

    message = gettext_lazy(
        "The evaluation is open to the Secretariat, Permanent Correspondents, "
        "Bureau members and experts."
    )

    def has_permission(self, request, view):
        return has_portal_role(request.user)


class _RefusesFields(InputSerializer):
    """Fields a client might send that this request cannot change are refused, not
    ignored, so a client never believes it changed them."""

    not_writable: dict = {}

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            refused = {
                name: [str(message)] for name, message in self.not_writable.items() if name in data
            }
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)


class _ActivityField(SlugRelatedField):
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
    activity = _ActivityField()


def _activity_of(request) -> Activity:
    """The body's activity alone, read first: who may write depends on it (its lead
    member state), and that answer must not depend on the rest of the body."""
    data = ActivityRefInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data["activity"]


# --- filters --------------------------------------------------------------------
# Declared here while the evaluation has no page listing these rows; they move to
# evaluation/filters.py once a page shares them.


class _ByActivityFilter(django_filters.FilterSet):
    activity = django_filters.ModelChoiceFilter(
        queryset=Activity.objects.all(),
        to_field_name="reference",
        label=gettext_lazy("Activity"),
        help_text=gettext_lazy("The activity's reference, e.g. PG-2016-001."),
    )


class ProgressReportFilter(_ByActivityFilter):
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


class IndicatorFilter(_ByActivityFilter):
    class Meta:
        model = Indicator
        fields = ["activity"]


class FeedbackRequestFilter(_ByActivityFilter):
    status = django_filters.ChoiceFilter(
        choices=FeedbackRequest.Status.choices, label=gettext_lazy("Status")
    )

    class Meta:
        model = FeedbackRequest
        fields = ["activity", "status"]


class ImpactAssessmentFilter(_ByActivityFilter):
    class Meta:
        model = ImpactAssessment
        fields = ["activity"]


# --- progress reports -----------------------------------------------------------


class ProgressReportSerializer(serializers.ModelSerializer):
    """A half-year's report; the activity by reference, people by username."""

    activity = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    status = _inline_enum(ProgressReport.Status, read_only=True)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    accepted_by = serializers.SlugRelatedField(
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


class ProgressReportInputSerializer(_RefusesFields):
    """The fields of a report its authors write (PATCH: any subset of them). The
    range of the percentage and the sign of the amount are the service's rules."""

    status = _inline_enum(ProgressReport.Status, required=False)
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


class ProgressReportCreateInputSerializer(ProgressReportInputSerializer):
    activity = _ActivityField()
    period = serializers.CharField(help_text="A half-year, e.g. 2016-H1.")
    status = _inline_enum(ProgressReport.Status)
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


def _reports():
    return selectors.progress_reports().select_related("reviewed_by", "accepted_by")


class ProgressReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Progress reports, one per activity and half-year. No PUT and no DELETE: a report
    changes field by field until the Secretariat accepts it, and is never deleted."""

    serializer_class = ProgressReportSerializer
    permission_classes = [IsAuthenticated, HasPortalRole]
    filterset_class = ProgressReportFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return _reports().order_by("activity__reference", "period")

    def _answer(self, report: ProgressReport, code: int = status.HTTP_200_OK) -> Response:
        return Response(ProgressReportSerializer(_reports().get(pk=report.pk)).data, status=code)

    @extend_schema(
        request=ProgressReportCreateInputSerializer,
        responses={201: ProgressReportSerializer, 400: _ERRORS, 403: _REFUSED},
    )
    def create(self, request, *args, **kwargs):
        """File the report of a half-year (the lead member state's PCs, the Secretariat)."""
        activity = _activity_of(request)
        _refuse_unless(
            permissions.can_file_progress_report(request.user, activity),
            _(
                "Progress reports are filed by the lead member state's Permanent "
                "Correspondents and the Secretariat."
            ),
        )
        data = ProgressReportCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("activity")
        report = services.progress_report_file(activity=activity, actor=request.user, **fields)
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(
        request=ProgressReportInputSerializer,
        responses={200: ProgressReportSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    def partial_update(self, request, *args, **kwargs):
        """Change a report; once the Secretariat has accepted it, it no longer changes (403)."""
        report = self.get_object()
        _refuse_unless(
            permissions.can_edit_progress_report(request.user, report),
            _("The Secretariat has accepted this report; it can no longer change.")
            if report.is_accepted
            else _("Only those who file the activity's reports change them."),
        )
        data = ProgressReportInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        report = services.progress_report_update(
            report=report, actor=request.user, **data.validated_data
        )
        return self._answer(report)

    @extend_schema(
        request=ReviewInputSerializer,
        responses={200: ProgressReportSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        """The activity's supervising Bureau member reviews the report."""
        report = self.get_object()
        _refuse_unless(
            permissions.can_review_progress_report(request.user, report),
            _("The activity's supervising Bureau member reviews its reports."),
        )
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.progress_report_review(
            report=report, actor=request.user, comment=data.validated_data["comment"]
        )
        return self._answer(report)

    @extend_schema(
        request=None,
        responses={200: ProgressReportSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """The Secretariat accepts the report; from then on it no longer changes."""
        report = self.get_object()
        _refuse_unless(
            permissions.can_accept_progress_report(request.user),
            _("The Secretariat accepts progress reports."),
        )
        report = services.progress_report_accept(report=report, actor=request.user)
        return self._answer(report)


# --- indicators -----------------------------------------------------------------


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "date", "value", "note"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its measurements, oldest first, and whether the latest
    reaches the target."""

    activity = serializers.SlugRelatedField(slug_field="reference", read_only=True)
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
    activity = _ActivityField()
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


def _indicators():
    return Indicator.objects.select_related("activity").prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("date", "id"))
    )


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Indicators of the activities' expected results, with their measurements."""

    serializer_class = IndicatorSerializer
    permission_classes = [IsAuthenticated, HasPortalRole]
    filterset_class = IndicatorFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return _indicators().order_by("activity__reference", "name", "id")

    def _answer(self, indicator: Indicator, code: int) -> Response:
        return Response(IndicatorSerializer(_indicators().get(pk=indicator.pk)).data, status=code)

    @extend_schema(
        request=IndicatorInputSerializer,
        responses={201: IndicatorSerializer, 400: _ERRORS, 403: _REFUSED},
    )
    def create(self, request, *args, **kwargs):
        """Add an indicator to an activity (the Secretariat, the lead member state's PCs)."""
        activity = _activity_of(request)
        _refuse_unless(
            permissions.can_manage_indicators(request.user, activity),
            _("Indicators are kept by the Secretariat and the lead member state."),
        )
        data = IndicatorInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("activity")
        indicator = services.indicator_add(activity=activity, actor=request.user, **fields)
        return self._answer(indicator, status.HTTP_201_CREATED)

    @extend_schema(
        request=MeasurementInputSerializer,
        responses={201: IndicatorSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def measurements(self, request, *args, **kwargs):
        """Record a measurement; the answer is the indicator with all its measurements."""
        indicator = self.get_object()
        _refuse_unless(
            permissions.can_manage_indicators(request.user, indicator.activity),
            _("Measurements are recorded by the Secretariat and the lead member state."),
        )
        data = MeasurementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.measurement_add(indicator=indicator, actor=request.user, **data.validated_data)
        return self._answer(indicator, status.HTTP_201_CREATED)


# --- feedback requests ----------------------------------------------------------


class FeedbackRequestSerializer(serializers.ModelSerializer):
    """A feedback request as its addressees read it: no one else's answers."""

    activity = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    activity_title = serializers.CharField(source="activity.title", read_only=True)
    status = _inline_enum(FeedbackRequest.Status, read_only=True)
    answered = serializers.BooleanField(read_only=True, help_text="Whether you have answered.")

    class Meta:
        model = FeedbackRequest
        fields = [
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

    recipients = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    responses_count = serializers.IntegerField(read_only=True)
    relevance = _mean("relevance")
    quality = _mean("quality")
    usefulness = _mean("usefulness")
    impact = _mean("impact")

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
    respondent = serializers.SlugRelatedField(
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
    activity = _ActivityField()
    audience = serializers.ChoiceField(choices=FeedbackRequest.Audience.choices)
    questions = serializers.CharField(allow_blank=True)
    deadline = serializers.DateField()
    recipients = SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
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


class FeedbackRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Feedback requests. The Secretariat and the Bureau read every request with its
    aggregated results; experts and PCs read the open requests addressed to them,
    without the answers of others."""

    permission_classes = [IsAuthenticated, HasPortalRole]
    filterset_class = FeedbackRequestFilter
    lookup_value_regex = r"\d+"

    def _reads_results(self) -> bool:
        return permissions.can_view_feedback_results(self.request.user)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, without a user
            return FeedbackRequest.objects.none()
        user = self.request.user
        if not self._reads_results():
            return selectors.feedback_requests_for(user)
        answered = FeedbackResponse.objects.filter(request=OuterRef("pk"), respondent=user)
        qs = (
            selectors.feedback_requests_with_results()
            .annotate(answered=Exists(answered))
            .prefetch_related(
                Prefetch("recipients", queryset=User.objects.only("id", "username")),
            )
            .select_related("created_by")
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch(
                    "responses",
                    queryset=FeedbackResponse.objects.select_related("respondent", "invitation"),
                )
            )
        # Ordered again: the aggregation's GROUP BY leaves the model's ordering out.
        return qs.order_by("-deadline", "-id")

    def get_serializer_class(self):
        if not self._reads_results():
            return FeedbackRequestSerializer
        if self.action == "retrieve":
            return FeedbackResultsDetailSerializer
        return FeedbackResultsSerializer

    @extend_schema(
        responses={
            200: PolymorphicProxySerializer(
                component_name="FeedbackRequestRow",
                serializers=[FeedbackResultsSerializer, FeedbackRequestSerializer],
                resource_type_field_name=None,
                many=True,
            ),
            400: _ERRORS,
        }
    )
    def list(self, request, *args, **kwargs):
        """The requests the user may read, latest deadline first for the Secretariat and
        the Bureau, nearest deadline first for addressees."""
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={
            200: PolymorphicProxySerializer(
                component_name="FeedbackRequestDetail",
                serializers=[FeedbackResultsDetailSerializer, FeedbackRequestSerializer],
                resource_type_field_name=None,
            ),
            404: _NOT_FOUND,
        }
    )
    def retrieve(self, request, *args, **kwargs):
        """One request; with its answers for the Secretariat and the Bureau."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=FeedbackRequestInputSerializer,
        responses={201: FeedbackResultsSerializer, 400: _ERRORS, 403: _REFUSED},
    )
    def create(self, request, *args, **kwargs):
        """Open a request (the Secretariat); invitees get a single-use link by e-mail."""
        _refuse_unless(
            permissions.can_open_feedback_requests(request.user),
            _("The Secretariat opens feedback requests."),
        )
        data = FeedbackRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        invitees = [(i["name"], i["email"]) for i in fields.pop("invitees", [])]
        feedback_request = services.feedback_request_open(
            actor=request.user, invitees=invitees, **fields
        )
        fresh = self.get_queryset().get(pk=feedback_request.pk)
        return Response(FeedbackResultsSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=FeedbackAnswerInputSerializer,
        responses={201: FeedbackResponseSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def responses(self, request, *args, **kwargs):
        """An addressee answers, once, until the deadline."""
        feedback_request = self.get_object()
        _refuse_unless(
            permissions.is_addressee(request.user, feedback_request),
            _("This feedback request is not addressed to you."),
        )
        data = FeedbackAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.feedback_respond(
            request=feedback_request, actor=request.user, **data.validated_data
        )
        return Response(FeedbackResponseSerializer(response).data, status=status.HTTP_201_CREATED)


# --- impact assessments ---------------------------------------------------------


class ImpactAssessmentSerializer(serializers.ModelSerializer):
    activity = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    recorded_by = serializers.SlugRelatedField(
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


class ImpactAssessmentInputSerializer(InputSerializer):
    activity = _ActivityField()
    date = serializers.DateField()
    method = serializers.CharField(max_length=200, allow_blank=True)
    findings = serializers.CharField(allow_blank=True)
    # A whole number; the scale (1–5) is the service's rule, with its message.
    rating = serializers.IntegerField()
    evidence = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="PDF or Word, up to 10 MB."
    )


class ImpactAssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The initial impact of activities, as recorded by the Secretariat."""

    serializer_class = ImpactAssessmentSerializer
    permission_classes = [IsAuthenticated, HasPortalRole]
    filterset_class = ImpactAssessmentFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.impact_assessments().order_by("-date", "-id")

    @extend_schema(
        request=ImpactAssessmentInputSerializer,
        responses={201: ImpactAssessmentSerializer, 400: _ERRORS, 403: _REFUSED},
    )
    def create(self, request, *args, **kwargs):
        """Record an impact assessment (the Secretariat): JSON, or multipart with the
        evidence file."""
        _refuse_unless(
            permissions.can_record_impact(request.user),
            _("The Secretariat records impact assessments."),
        )
        data = ImpactAssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.impact_assessment_record(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
