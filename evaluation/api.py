"""REST API of the evaluation (section 2.3 of the work programme): progress reports,
indicators with their measurements, feedback requests and impact assessments.

Everything here is for users with a portal role (the Secretariat, Permanent
Correspondents, Bureau members, experts). Reads are ViewSets whose lists answer in a
fixed number of queries; each write is one action whose input serializer checks types
only, then calls one service, whose DomainError the global exception handler turns
into a 400 naming each field. Who may act is asked of the app's permission predicates
before the rest of the body is read, so a refusal never depends on the body: a 403
with the predicate's sentence for a refusal by role, a 400 for one by the record's
state (an accepted report, a closed request).
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from activities.models import Activity
from pompidou.rules import require
from pompidou.sync import SyncMixin

from . import api_examples, permissions, selectors, services
from .filters import (
    FeedbackRequestFilter,
    ImpactAssessmentFilter,
    IndicatorFilter,
    ProgressReportFilter,
)
from .models import FeedbackRequest, FeedbackResponse, Indicator, Measurement, ProgressReport
from .serializers import (
    ActivityRefInputSerializer,
    FeedbackAnswerInputSerializer,
    FeedbackRequestInputSerializer,
    FeedbackRequestSerializer,
    FeedbackResponseSerializer,
    FeedbackResultsDetailSerializer,
    FeedbackResultsSerializer,
    ImpactAssessmentInputSerializer,
    ImpactAssessmentSerializer,
    IndicatorInputSerializer,
    IndicatorSerializer,
    MeasurementInputSerializer,
    ProgressReportCreateInputSerializer,
    ProgressReportInputSerializer,
    ProgressReportSerializer,
    ReviewInputSerializer,
)

User = get_user_model()


class HasPortalRole(BasePermission):
    """The evaluation is read by the members of the group, not by the public."""

    def has_permission(self, request, view):
        verdict = permissions.can_view_activity_evaluation(request.user)
        self.message = verdict.reason
        return bool(verdict)


class AsksObjectRule(BasePermission):
    """``get_object()`` asks the predicate the view names for its action in
    ``object_rules``; a refusal raises the predicate's own verdict (403 by role, 400 by
    the record's state) before the body is read."""

    def has_object_permission(self, request, view, obj):
        predicate = getattr(view, "object_rules", {}).get(view.action)
        if predicate is not None:
            require(predicate(request.user, obj))
        return True


def _activity_of(request) -> Activity:
    """The body's activity alone, read first: who may write depends on it (its lead
    member state), and that answer must not depend on the rest of the body."""
    data = ActivityRefInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data["activity"]


def _reports():
    return selectors.progress_reports().select_related("reviewed_by", "accepted_by")


class ProgressReportViewSet(
    SyncMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Progress reports, one per activity and half-year. No PUT and no DELETE: a report
    changes field by field until the Secretariat accepts it, and is never deleted."""

    serializer_class = ProgressReportSerializer
    permission_classes = [IsAuthenticated, HasPortalRole, AsksObjectRule]
    filterset_class = ProgressReportFilter
    lookup_value_regex = r"\d+"
    object_rules = {
        "partial_update": permissions.can_edit_progress_report,
        "review": permissions.can_review_progress_report,
        "accept": permissions.can_accept_progress_report,
    }

    def get_queryset(self):
        return _reports().order_by("activity__reference", "period")

    def _answer(self, report: ProgressReport, code: int = status.HTTP_200_OK) -> Response:
        return Response(ProgressReportSerializer(_reports().get(pk=report.pk)).data, status=code)

    @extend_schema(
        examples=api_examples.PROGRESS_REPORT_CREATE,
        request=ProgressReportCreateInputSerializer,
        responses={201: ProgressReportSerializer},
    )
    def create(self, request, *args, **kwargs):
        """File the report of a half-year (the lead member state's PCs, the Secretariat)."""
        activity = _activity_of(request)
        require(permissions.can_file_progress_report(request.user, activity))
        data = ProgressReportCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("activity")
        report = services.progress_report_file(activity=activity, actor=request.user, **fields)
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(
        examples=api_examples.PROGRESS_REPORT_PATCH,
        request=ProgressReportInputSerializer,
        responses={200: ProgressReportSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        """Change a report; once the Secretariat has accepted it, it no longer changes (400)."""
        report = self.get_object()
        data = ProgressReportInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        report = services.progress_report_update(
            report=report, actor=request.user, **data.validated_data
        )
        return self._answer(report)

    @extend_schema(
        examples=api_examples.PROGRESS_REPORT_REVIEW,
        request=ReviewInputSerializer,
        responses={200: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        """The activity's supervising Bureau member reviews the report."""
        report = self.get_object()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.progress_report_review(
            report=report, actor=request.user, comment=data.validated_data["comment"]
        )
        return self._answer(report)

    @extend_schema(
        examples=api_examples.PROGRESS_REPORT_ACCEPT,
        request=None,
        responses={200: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """The Secretariat accepts the report; from then on it no longer changes."""
        report = self.get_object()
        report = services.progress_report_accept(report=report, actor=request.user)
        return self._answer(report)


# --- indicators -----------------------------------------------------------------


def _indicators():
    return Indicator.objects.select_related("activity").prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("date", "id"))
    )


class IndicatorViewSet(
    SyncMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Indicators of the activities' expected results, with their measurements."""

    serializer_class = IndicatorSerializer
    permission_classes = [IsAuthenticated, HasPortalRole, AsksObjectRule]
    filterset_class = IndicatorFilter
    lookup_value_regex = r"\d+"
    object_rules = {
        "measurements": lambda user, indicator: permissions.can_manage_indicators(
            user, indicator.activity
        ),
    }

    def get_queryset(self):
        return _indicators().order_by("activity__reference", "name", "id")

    def _answer(self, indicator: Indicator, code: int) -> Response:
        return Response(IndicatorSerializer(_indicators().get(pk=indicator.pk)).data, status=code)

    @extend_schema(
        examples=api_examples.INDICATOR_CREATE,
        request=IndicatorInputSerializer,
        responses={201: IndicatorSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Add an indicator to an activity (the Secretariat, the lead member state's PCs)."""
        activity = _activity_of(request)
        require(permissions.can_manage_indicators(request.user, activity))
        data = IndicatorInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("activity")
        indicator = services.indicator_add(activity=activity, actor=request.user, **fields)
        return self._answer(indicator, status.HTTP_201_CREATED)

    @extend_schema(
        examples=api_examples.MEASUREMENT,
        request=MeasurementInputSerializer,
        responses={201: IndicatorSerializer},
    )
    @action(detail=True, methods=["post"])
    def measurements(self, request, *args, **kwargs):
        """Record a measurement; the answer is the indicator with all its measurements."""
        indicator = self.get_object()
        data = MeasurementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.measurement_add(indicator=indicator, actor=request.user, **data.validated_data)
        return self._answer(indicator, status.HTTP_201_CREATED)


# --- feedback requests ----------------------------------------------------------


class FeedbackRequestViewSet(
    SyncMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Feedback requests. The Secretariat and the Bureau read every request with its
    aggregated results; experts and PCs read the open requests addressed to them,
    without the answers of others."""

    permission_classes = [IsAuthenticated, HasPortalRole, AsksObjectRule]
    filterset_class = FeedbackRequestFilter
    lookup_value_regex = r"\d+"
    object_rules = {
        "responses": permissions.can_answer_feedback_request,
        "close": permissions.can_close_feedback_request,
    }

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
                serializers={
                    "results": FeedbackResultsSerializer,
                    "addressee": FeedbackRequestSerializer,
                },
                resource_type_field_name="kind",
                many=True,
            ),
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
                serializers={
                    "results": FeedbackResultsDetailSerializer,
                    "addressee": FeedbackRequestSerializer,
                },
                resource_type_field_name="kind",
            ),
        }
    )
    def retrieve(self, request, *args, **kwargs):
        """One request; with its answers for the Secretariat and the Bureau."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        examples=api_examples.FEEDBACK_REQUEST_CREATE,
        request=FeedbackRequestInputSerializer,
        responses={201: FeedbackResultsSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Open a request (the Secretariat); invitees get a single-use link by e-mail."""
        require(permissions.can_open_feedback_requests(request.user))
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
        examples=api_examples.FEEDBACK_RESPOND,
        request=FeedbackAnswerInputSerializer,
        responses={201: FeedbackResponseSerializer},
    )
    @action(detail=True, methods=["post"])
    def responses(self, request, *args, **kwargs):
        """An addressee answers, once, until the deadline."""
        feedback_request = self.get_object()
        data = FeedbackAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.feedback_respond(
            request=feedback_request, actor=request.user, **data.validated_data
        )
        return Response(FeedbackResponseSerializer(response).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        examples=api_examples.FEEDBACK_REQUEST_CLOSE,
        request=None,
        responses={200: FeedbackResultsSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """The Secretariat closes an open request before its deadline (400 once closed)."""
        feedback_request = self.get_object()
        services.feedback_request_close(request=feedback_request, actor=request.user)
        fresh = self.get_queryset().get(pk=feedback_request.pk)
        return Response(FeedbackResultsSerializer(fresh).data)


# --- impact assessments ---------------------------------------------------------


class ImpactAssessmentViewSet(
    SyncMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The initial impact of activities, as recorded by the Secretariat."""

    serializer_class = ImpactAssessmentSerializer
    permission_classes = [IsAuthenticated, HasPortalRole]
    filterset_class = ImpactAssessmentFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.impact_assessments().order_by("-date", "-id")

    @extend_schema(
        examples=api_examples.IMPACT_ASSESSMENT_CREATE,
        request=ImpactAssessmentInputSerializer,
        responses={201: ImpactAssessmentSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Record an impact assessment (the Secretariat): JSON, or multipart with the
        evidence file."""
        require(permissions.can_record_impact(request.user))
        data = ImpactAssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.impact_assessment_record(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
