"""REST API of proposals: the list and the drafts, then one small view per step of the
workflow (submit, withdraw, support, assign assessors, assess, score, decide, vote).

Input serializers check types only; every rule is the service's, whose DomainError
the global exception handler turns into a 400 naming each field (403 for a refusal).
What a user may not see answers 404; what they see but may not do answers 403, and
that check comes before the body is read, so a refusal never depends on the body.
"""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou.api import SlugRelatedField
from pompidou.downloads import file_response
from pompidou.errors import PermissionDenied
from pompidou.job_api import AnyAccept
from pompidou.serializers import InputSerializer
from programme.models import Meeting, MemberState, PermanentFormat, ThematicPriority

from . import permissions, selectors, services
from .filters import ProposalFilter
from .models import (
    Assessment,
    BureauVote,
    CriterionScore,
    Decision,
    Proposal,
    ProposalAttachment,
    Support,
)

# --- output ---------------------------------------------------------------------


class _SupportCodesField(serializers.ListField):
    """The supporting delegations' codes, from the prefetched supports."""

    child = serializers.CharField()

    def get_attribute(self, proposal):
        return [support.member_state.code for support in proposal.supports.all()]


# An inline enum in the schema: Activity.Route has the same values, and two component
# names for one choice set would leave drf-spectacular warning.
@extend_schema_field({"type": "string", "enum": Proposal.Route.values})
class _RouteChoiceField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Proposal.Route.choices, **kwargs)


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal as clients read it: member states by ISO code, users by username,
    the activity it became by reference."""

    member_state = serializers.SlugRelatedField(slug_field="code", read_only=True)
    proposer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    route = _RouteChoiceField(read_only=True)
    supports = _SupportCodesField(read_only=True)
    activity = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "reference",
            "status",
            "route",
            "year",
            "member_state",
            "proposer",
            "title",
            "scope",
            "purpose",
            "expected_outcome",
            "start_date",
            "end_date",
            "thematic_priorities",
            "permanent_format",
            "estimated_cost",
            "urgency_justification",
            "human_rights_statement",
            "gender_statement",
            "submitted_at",
            "supports",
            "activity",
            "created_at",
        ]
        read_only_fields = fields


class SupportSerializer(serializers.ModelSerializer):
    member_state = serializers.SlugRelatedField(slug_field="code", read_only=True)
    supporter = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Support
        fields = ["member_state", "supporter", "note", "created_at"]
        read_only_fields = fields


class CriterionScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriterionScore
        fields = ["criterion", "score", "comment"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    assessor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    scores = CriterionScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "assessor", "status", "due_date", "submitted_at", "scores"]
        read_only_fields = fields


class _ScoresByAssessorField(serializers.DictField):
    """A criterion's scores keyed by the assessor's username (``context["usernames"]``
    maps the assessors' ids to their usernames)."""

    def get_attribute(self, row):
        usernames = self.context["usernames"]
        return {usernames[assessor_id]: score for assessor_id, score in row.scores.items()}


class CriterionResultSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion.pk")
    number = serializers.IntegerField(source="criterion.number")
    title = serializers.CharField(source="criterion.title")
    weight = serializers.DecimalField(source="criterion.weight", max_digits=6, decimal_places=2)
    computed = serializers.BooleanField(source="criterion.computed")
    met = serializers.BooleanField(allow_null=True, help_text="Criterion 1 only: supported.")
    mean = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    spread = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    disagreement = serializers.BooleanField(help_text="The assessors' scores differ by 2 or more.")
    scores = _ScoresByAssessorField(
        child=serializers.DecimalField(max_digits=3, decimal_places=1),
        help_text="Submitted scores by assessor username.",
    )


class ScoreSerializer(serializers.Serializer):
    """The aggregated submitted assessments and the recommendation (section 2.2)."""

    criteria = CriterionResultSerializer(many=True)
    submitted = serializers.IntegerField(help_text="Submitted assessments.")
    supported = serializers.BooleanField()
    weighted_total = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    maximum = serializers.DecimalField(max_digits=12, decimal_places=2)
    percentage = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    recommended = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class DecisionSerializer(serializers.ModelSerializer):
    proposal_status = serializers.CharField(source="proposal.status", read_only=True)
    activity = serializers.SlugRelatedField(
        source="proposal.activity", slug_field="reference", read_only=True, allow_null=True
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "outcome",
            "body",
            "meeting",
            "decided_on",
            "rationale",
            "over_ceiling_confirmed",
            "proposal_status",
            "activity",
        ]
        read_only_fields = fields


class BureauVoteSerializer(serializers.ModelSerializer):
    voter = serializers.SlugRelatedField(slug_field="username", read_only=True)
    proposal_status = serializers.CharField(source="proposal.status", read_only=True)
    activity = serializers.SlugRelatedField(
        source="proposal.activity", slug_field="reference", read_only=True, allow_null=True
    )

    class Meta:
        model = BureauVote
        fields = ["vote", "comment", "voter", "updated_at", "proposal_status", "activity"]
        read_only_fields = fields


# --- input (types only) ---------------------------------------------------------


def _text():
    # Blank is a value the service judges (a draft may lack its scope, a submission not).
    return serializers.CharField(required=False, allow_blank=True)


class _MemberStateCodeField(SlugRelatedField):
    """A member state by ISO code, in either case ("fr" is France)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=MemberState.objects.all(), **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data.upper() if isinstance(data, str) else data)


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


class ProposalInputSerializer(_RefusesFields):
    """The fields of a proposal its delegation writes (PATCH: any subset of them)."""

    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    scope = _text()
    purpose = _text()
    expected_outcome = _text()
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    thematic_priorities = serializers.PrimaryKeyRelatedField(
        queryset=ThematicPriority.objects.all(), many=True, required=False
    )
    permanent_format = serializers.PrimaryKeyRelatedField(
        queryset=PermanentFormat.objects.all(), required=False, allow_null=True
    )
    estimated_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    route = _RouteChoiceField(required=False)
    year = serializers.IntegerField(required=False, allow_null=True)
    urgency_justification = _text()
    human_rights_statement = _text()
    gender_statement = _text()

    not_writable = {
        "member_state": gettext_lazy("The proposing delegation does not change."),
        "status": gettext_lazy("The status changes through submit/ and withdraw/."),
    }


class ProposalCreateInputSerializer(ProposalInputSerializer):
    member_state = _MemberStateCodeField(
        required=False, help_text="Your own delegation; the default."
    )
    as_bureau = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A Bureau member proposing in the areas they supervise.",
    )

    not_writable = {
        "status": gettext_lazy("A new proposal is a draft; submit it through submit/."),
    }


class CommentInputSerializer(InputSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SupportInputSerializer(InputSerializer):
    member_state = _MemberStateCodeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only for the Secretariat recording a support received by letter.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class AssessorInputSerializer(InputSerializer):
    username = SlugRelatedField(slug_field="username", queryset=get_user_model().objects.all())
    due_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the assessment is due; three weeks from today if omitted.",
    )


class ScoreInputSerializer(InputSerializer):
    criterion = serializers.IntegerField()
    # Any number: the scale (0–5 in half points) is the service's rule, with its message.
    score = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        allow_null=True,
        help_text="0–5 in half points; null clears a draft's score.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentInputSerializer(InputSerializer):
    scores = ScoreInputSerializer(many=True)
    submit = serializers.BooleanField(required=False, default=False)


class DecisionInputSerializer(InputSerializer):
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True, default=None
    )
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    confirm_over_ceiling = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Needed when adopting takes the year's annual programme over its ceiling.",
    )


class BureauVoteInputSerializer(InputSerializer):
    vote = serializers.ChoiceField(choices=BureauVote.Vote.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


# --- helpers --------------------------------------------------------------------

_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="A message per field.")
_REFUSED = OpenApiResponse(OpenApiTypes.OBJECT, description="Not allowed (`detail`).")
_NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No such proposal for this user.")


def _refuse_unless(allowed: bool, message: str) -> None:
    # The predicate the service checks too; asked first so a refusal is a 403
    # whatever the body holds.
    if not allowed:
        raise PermissionDenied(message)


def _visible_proposal(request, pk: int) -> Proposal:
    """The proposal if the user may see it (404 otherwise), for a step to act on."""
    return get_object_or_404(selectors.proposals_visible_to(request.user), pk=pk)


def _proposal_rows(qs):
    """The list's rows: the shared listing plus what the API row shows besides
    (supports' codes, the activity's reference), still a fixed number of queries."""
    supports = Support.objects.select_related("member_state").only(
        "proposal_id", "member_state__code"
    )
    return (
        selectors.proposals_for_list(qs)
        .select_related("activity")
        .prefetch_related(Prefetch("supports", queryset=supports))
    )


def _proposal_response(request, proposal: Proposal, code: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.get_proposal_for_user(request.user, proposal.pk)
    return Response(ProposalSerializer(fresh).data, status=code)


def _assessments_with_scores():
    return Assessment.objects.select_related("assessor").prefetch_related(
        Prefetch("scores", queryset=CriterionScore.objects.order_by("criterion__number"))
    )


# --- the proposals --------------------------------------------------------------


class ProposalViewSet(viewsets.GenericViewSet):
    """Proposals the user may see: the Secretariat all, others the submitted ones and
    their own delegation's drafts. No PUT and no DELETE: a draft changes field by
    field, and a proposal is withdrawn, never deleted."""

    serializer_class = ProposalSerializer
    # Documents the query parameters; the list applies the same FilterSet through
    # ``selectors.filter_proposals``, so the page and the API filter alike.
    filterset_class = ProposalFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.proposals_visible_to(self.request.user)

    @extend_schema(responses={200: ProposalSerializer(many=True), 400: _ERRORS})
    def list(self, request, *args, **kwargs):
        """The proposals the user may see, newest first, filtered (a bad filter is a 400)."""
        filterset, qs = selectors.filter_proposals(request.user, request.query_params)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        page = self.paginate_queryset(_proposal_rows(qs))
        return self.get_paginated_response(ProposalSerializer(page, many=True).data)

    @extend_schema(responses={200: ProposalSerializer, 404: _NOT_FOUND})
    def retrieve(self, request, pk=None, *args, **kwargs):
        """One proposal; 404 for another delegation's draft."""
        proposal = selectors.get_proposal_for_user(request.user, pk)
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(
        request=ProposalCreateInputSerializer,
        responses={201: ProposalSerializer, 400: _ERRORS, 403: _REFUSED},
    )
    def create(self, request, *args, **kwargs):
        """Draft a proposal for your delegation (a PC), or in the areas you supervise
        (a Bureau member, ``"as_bureau": true``)."""
        _refuse_unless(
            permissions.can_draft_proposal(request.user),
            _("Only Permanent Correspondents and Bureau members draft proposals."),
        )
        data = ProposalCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.proposal_create(actor=request.user, **data.validated_data)
        return _proposal_response(request, proposal, status.HTTP_201_CREATED)

    @extend_schema(
        request=ProposalInputSerializer,
        responses={200: ProposalSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    def partial_update(self, request, pk=None, *args, **kwargs):
        """Change your delegation's draft; a submitted proposal no longer changes (403)."""
        proposal = _visible_proposal(request, pk)
        _refuse_unless(
            permissions.can_edit_proposal(request.user, proposal),
            _("Only the proposing delegation changes its proposal, and only while it is a draft."),
        )
        data = ProposalInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        proposal = services.proposal_update(
            proposal=proposal, actor=request.user, **data.validated_data
        )
        return _proposal_response(request, proposal)


# --- the steps of the workflow --------------------------------------------------


class ProposalSubmitApi(APIView):
    """Submit a complete draft (every missing field is named at once); an urgent
    proposal goes straight to the Bureau's vote."""

    @extend_schema(
        request=None,
        responses={200: ProposalSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    def post(self, request, pk: int):
        proposal = services.proposal_submit(
            proposal=_visible_proposal(request, pk), actor=request.user
        )
        return _proposal_response(request, proposal)


class ProposalWithdrawApi(APIView):
    """The proposing delegation withdraws an open proposal."""

    @extend_schema(
        request=CommentInputSerializer,
        responses={200: ProposalSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    def post(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.proposal_withdraw(
            proposal=proposal, actor=request.user, **data.validated_data
        )
        return _proposal_response(request, proposal)


class SupportAddApi(APIView):
    """A PC's delegation supports the proposal (``{}``); the Secretariat records a
    support received by letter (``{"member_state": "IT", "note": "…"}``)."""

    @extend_schema(
        request=SupportInputSerializer,
        responses={201: SupportSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    def post(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        _refuse_unless(
            permissions.can_support_proposals(request.user),
            _("Only Permanent Correspondents support proposals."),
        )
        data = SupportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        support = services.support_add(proposal=proposal, actor=request.user, **data.validated_data)
        support = Support.objects.select_related("member_state", "supporter").get(pk=support.pk)
        return Response(SupportSerializer(support).data, status=status.HTTP_201_CREATED)


class SupportWithdrawApi(APIView):
    """The supporting delegation (or the Secretariat) takes a support back."""

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="Withdrawn."),
            400: _ERRORS,
            403: _REFUSED,
            404: _NOT_FOUND,
        },
    )
    def delete(self, request, pk: int, code: str):
        proposal = _visible_proposal(request, pk)
        support = get_object_or_404(
            Support.objects.select_related("proposal", "member_state"),
            proposal=proposal,
            member_state__code=code.upper(),
        )
        services.support_withdraw(support=support, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssessorAssignApi(APIView):
    """The Secretariat invites an assessor (never one of the proposing state)."""

    @extend_schema(
        request=AssessorInputSerializer,
        responses={201: AssessmentSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    def post(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        _refuse_unless(
            permissions.can_assign_assessors(request.user),
            _("Only the Secretariat assigns assessors."),
        )
        data = AssessorInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.assessor_assign(
            proposal=proposal,
            assessor=data.validated_data["username"],
            actor=request.user,
            due_date=data.validated_data["due_date"],
        )
        assessment = _assessments_with_scores().get(pk=assessment.pk)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentsApi(APIView):
    """GET: an assessor reads their own assessment; the Secretariat and the Bureau
    read every submitted one. POST: the assigned assessor saves their scores, as a
    draft or, with ``"submit": true``, final."""

    @extend_schema(
        responses={200: AssessmentSerializer(many=True), 403: _REFUSED, 404: _NOT_FOUND},
    )
    def get(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        reads_all = permissions.can_view_score(request.user)
        readable = selectors.assessments_readable_by(request.user, proposal)
        assessments = list(_assessments_with_scores().filter(pk__in=readable.values("pk")))
        _refuse_unless(
            reads_all or bool(assessments),
            _("Only its assessors, the Secretariat and the Bureau read a proposal's assessments."),
        )
        return Response(AssessmentSerializer(assessments, many=True).data)

    @extend_schema(
        request=AssessmentInputSerializer,
        responses={200: AssessmentSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    def post(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        assessment = Assessment.objects.filter(proposal=proposal, assessor=request.user).first()
        _refuse_unless(assessment is not None, _("You are not an assessor of this proposal."))
        data = AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.assessment_save(
            assessment=assessment, actor=request.user, **data.validated_data
        )
        assessment = _assessments_with_scores().get(pk=assessment.pk)
        return Response(AssessmentSerializer(assessment).data)


class ScoreApi(APIView):
    """The aggregated score and recommendation (the Secretariat and the Bureau)."""

    @extend_schema(responses={200: ScoreSerializer, 403: _REFUSED, 404: _NOT_FOUND})
    def get(self, request, pk: int):
        proposal = get_object_or_404(
            selectors.proposals_visible_to(request.user).select_related("work_programme"), pk=pk
        )
        _refuse_unless(
            permissions.can_view_score(request.user),
            _("Only the Secretariat and the Bureau read the scores."),
        )
        score = selectors.score_for(proposal)
        usernames = {user.pk: user.username for user in score.assessors}
        return Response(ScoreSerializer(score, context={"usernames": usernames}).data)


class DecisionApi(APIView):
    """The Secretariat records the Permanent Correspondents' decision; adopting
    creates the activity (and its entry in the year's annual programme)."""

    @extend_schema(
        request=DecisionInputSerializer,
        responses={201: DecisionSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    def post(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        _refuse_unless(
            permissions.can_record_decision(request.user),
            _("The Secretariat records the decisions of the Permanent Correspondents."),
        )
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.decision_record(
            proposal=proposal, actor=request.user, **data.validated_data
        )
        decision = Decision.objects.select_related("proposal__activity").get(pk=decision.pk)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class BureauVoteApi(APIView):
    """A current Bureau member votes on an urgent proposal (and may change the vote
    until the outcome); the answer shows whether the vote decided it."""

    @extend_schema(
        request=BureauVoteInputSerializer,
        responses={200: BureauVoteSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    def post(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        _refuse_unless(permissions.can_vote(request.user), _("Only current Bureau members vote."))
        data = BureauVoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ballot = services.bureau_vote_cast(
            proposal=proposal, actor=request.user, **data.validated_data
        )
        ballot = BureauVote.objects.select_related("voter", "proposal__activity").get(pk=ballot.pk)
        return Response(BureauVoteSerializer(ballot).data)


# --- attachments ---------------------------------------------------------------------


class AttachmentSerializer(serializers.ModelSerializer):
    filename = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProposalAttachment
        fields = ["id", "title", "filename", "created_at", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment) -> str:
        path = reverse("proposal-attachment", args=[attachment.proposal_id, attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class AttachmentInputSerializer(InputSerializer):
    file = serializers.FileField(
        help_text=gettext_lazy("PDF or Word, at most 10 MB (multipart/form-data).")
    )
    title = serializers.CharField(required=False, allow_blank=True, default="")


class AttachmentsApi(APIView):
    """GET: the proposal's documents, for those who see the proposal. POST
    (multipart, ``file`` and ``title``): the proposing delegation attaches one to a
    draft, checked as on the page (the same service)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: AttachmentSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        return Response(
            AttachmentSerializer(
                proposal.attachments.all(), many=True, context={"request": request}
            ).data
        )

    @extend_schema(
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: AttachmentSerializer, 400: _ERRORS, 403: _REFUSED, 404: _NOT_FOUND},
    )
    def post(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        _refuse_unless(
            permissions.can_edit_proposal(request.user, proposal),
            _("Only the proposing delegation adds documents, and only while it is a draft."),
        )
        data = AttachmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            proposal=proposal, actor=request.user, **data.validated_data
        )
        return Response(
            AttachmentSerializer(attachment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class AttachmentApi(APIView):
    """GET: the file, for those who may see the proposal or the activity it became
    (as the page's download). DELETE: the proposing delegation takes it off a draft."""

    # The file whatever the Accept header asks (``Accept: application/pdf``).
    content_negotiation_class = AnyAccept

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file."),
            404: _NOT_FOUND,
        }
    )
    def get(self, request, pk: int, attachment_id: int):
        attachment = selectors.get_attachment_for_user(request.user, pk, attachment_id)
        return file_response(attachment.file, attachment.filename)

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="Removed."),
            400: _ERRORS,
            403: _REFUSED,
            404: _NOT_FOUND,
        },
    )
    def delete(self, request, pk: int, attachment_id: int):
        proposal = _visible_proposal(request, pk)
        attachment = get_object_or_404(proposal.attachments, pk=attachment_id)
        services.attachment_remove(attachment=attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
