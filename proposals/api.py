"""REST API of proposals: the list and the drafts, then one small view per step of the
workflow (submit, withdraw, support, assign assessors, assess, score, decide, vote).

Input serializers check types only; every rule is the service's, whose DomainError
the global exception handler turns into a 400 naming each field (403 for a refusal).
What a user may not see answers 404; what they see but may not do answers 403, and
that check comes before the body is read, so a refusal never depends on the body.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou.api import KeysetPagination
from pompidou.downloads import file_response
from pompidou.errors import PermissionDenied
from pompidou.job_api import AnyAccept
from pompidou.lib.files import DOCX, PDF
from pompidou.rules import Verdict
from pompidou.schema import file_responses
from pompidou.sync import SyncMixin

from . import api_examples, permissions, selectors, services
from .filters import ProposalFilter
from .models import Assessment, BureauVote, CriterionScore, Decision, Proposal, Support
from .serializers import (
    AssessmentInputSerializer,
    AssessmentSerializer,
    AssessorInputSerializer,
    AttachmentInputSerializer,
    AttachmentSerializer,
    BureauVoteInputSerializer,
    BureauVoteSerializer,
    CommentInputSerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    ProposalCreateInputSerializer,
    ProposalInputSerializer,
    ProposalSerializer,
    ScoreSerializer,
    SupportInputSerializer,
    SupportSerializer,
)

# --- helpers --------------------------------------------------------------------


def _refused_by_role(verdict: Verdict) -> bool:
    # A refusal by the proposal's state is the service's 400, with its field.
    return not verdict and not verdict.state


def _refuse_by_role(verdict: Verdict) -> None:
    if _refused_by_role(verdict):
        raise PermissionDenied(str(verdict.reason))


class Allows(BasePermission):
    """A step's permission: the predicate of ``proposals.permissions`` the service
    requires too, asked before the body is read so that a refusal by role is a 403
    (with the predicate's reason) whatever the body holds."""

    predicate = staticmethod(lambda user, obj: Verdict(True))

    def has_object_permission(self, request, view, obj) -> bool:
        verdict = type(self).predicate(request.user, obj)
        if _refused_by_role(verdict):
            self.message = str(verdict.reason)
            return False
        return True


def allows(predicate) -> type[BasePermission]:
    return type(f"Allows_{predicate.__name__}", (Allows,), {"predicate": staticmethod(predicate)})


class StepApi(APIView):
    """One step of the workflow on a proposal the user may see (404 otherwise)."""

    permission_classes = [IsAuthenticated]

    def proposal(self, request, pk: int) -> Proposal:
        proposal = get_object_or_404(selectors.proposals_visible_to(request.user), pk=pk)
        self.check_object_permissions(request, proposal)
        return proposal


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


class ProposalViewSet(SyncMixin, viewsets.GenericViewSet):
    """Proposals the user may see: the Secretariat all, others the submitted ones and
    their own delegation's drafts. No PUT and no DELETE: a draft changes field by
    field, and a proposal is withdrawn, never deleted."""

    serializer_class = ProposalSerializer
    # Documents the query parameters; the list applies the same FilterSet through
    # ``selectors.filter_proposals``, so the page and the API filter alike.
    filterset_class = ProposalFilter
    # Keyset pages on the list order's index (deep pages cost what the first does).
    pagination_class = KeysetPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.proposals_visible_to(self.request.user)

    def get_sync_queryset(self):
        return _proposal_rows(self.get_queryset())

    @extend_schema(responses={200: ProposalSerializer(many=True)})
    def list(self, request, *args, **kwargs):
        """The proposals the user may see, newest first, filtered (a bad filter is a 400)."""
        filterset, qs = selectors.filter_proposals(request.user, request.query_params)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        page = self.paginate_queryset(_proposal_rows(qs))
        return self.get_paginated_response(ProposalSerializer(page, many=True).data)

    @extend_schema(responses={200: ProposalSerializer})
    def retrieve(self, request, pk=None, *args, **kwargs):
        """One proposal; 404 for another delegation's draft."""
        proposal = selectors.get_proposal_for_user(request.user, pk)
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(
        examples=api_examples.PROPOSAL_CREATE,
        request=ProposalCreateInputSerializer,
        responses={201: ProposalSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Draft a proposal for your delegation (a PC), or in the areas you supervise
        (a Bureau member, ``"as_bureau": true``)."""
        _refuse_by_role(permissions.can_draft_proposal(request.user))
        data = ProposalCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.proposal_create(actor=request.user, **data.validated_data)
        return _proposal_response(request, proposal, status.HTTP_201_CREATED)

    @extend_schema(
        examples=api_examples.PROPOSAL_PATCH,
        request=ProposalInputSerializer,
        responses={200: ProposalSerializer},
    )
    def partial_update(self, request, pk=None, *args, **kwargs):
        """Change your delegation's draft; a submitted proposal no longer changes (403)."""
        proposal = _visible_proposal(request, pk)
        _refuse_by_role(permissions.can_edit_proposal(request.user, proposal))
        data = ProposalInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        proposal = services.proposal_update(
            proposal=proposal, actor=request.user, **data.validated_data
        )
        return _proposal_response(request, proposal)


# --- the steps of the workflow --------------------------------------------------


class ProposalSubmitApi(StepApi):
    """Submit a complete draft (every missing field is named at once); an urgent
    proposal goes straight to the Bureau's vote."""

    permission_classes = [IsAuthenticated, allows(permissions.can_submit_proposal)]

    @extend_schema(
        examples=api_examples.PROPOSAL_SUBMIT,
        request=None,
        responses={200: ProposalSerializer},
    )
    def post(self, request, pk: int):
        proposal = services.proposal_submit(proposal=self.proposal(request, pk), actor=request.user)
        return _proposal_response(request, proposal)


class ProposalWithdrawApi(StepApi):
    """The proposing delegation withdraws an open proposal."""

    permission_classes = [IsAuthenticated, allows(permissions.can_withdraw_proposal)]

    @extend_schema(
        examples=api_examples.PROPOSAL_WITHDRAW,
        request=CommentInputSerializer,
        responses={200: ProposalSerializer},
    )
    def post(self, request, pk: int):
        proposal = self.proposal(request, pk)
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.proposal_withdraw(
            proposal=proposal, actor=request.user, **data.validated_data
        )
        return _proposal_response(request, proposal)


class SupportAddApi(StepApi):
    """A PC's delegation supports the proposal (``{}``); the Secretariat records a
    support received by letter (``{"member_state": "IT", "note": "…"}``)."""

    permission_classes = [IsAuthenticated, allows(permissions.can_support)]

    @extend_schema(
        examples=api_examples.SUPPORT_ADD,
        request=SupportInputSerializer,
        responses={201: SupportSerializer},
    )
    def post(self, request, pk: int):
        proposal = self.proposal(request, pk)
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


class AssessorAssignApi(StepApi):
    """The Secretariat invites an assessor (never one of the proposing state)."""

    permission_classes = [IsAuthenticated, allows(permissions.can_assign_assessors)]

    @extend_schema(
        examples=api_examples.ASSESSOR_ASSIGN,
        request=AssessorInputSerializer,
        responses={201: AssessmentSerializer},
    )
    def post(self, request, pk: int):
        proposal = self.proposal(request, pk)
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
        responses={200: AssessmentSerializer(many=True)},
    )
    def get(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        _refuse_by_role(permissions.can_read_assessments(request.user, proposal))
        readable = selectors.assessments_readable_by(request.user, proposal)
        assessments = list(_assessments_with_scores().filter(pk__in=readable.values("pk")))
        return Response(AssessmentSerializer(assessments, many=True).data)

    @extend_schema(
        examples=api_examples.ASSESSMENT_SAVE,
        request=AssessmentInputSerializer,
        responses={200: AssessmentSerializer},
    )
    def post(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        _refuse_by_role(permissions.can_assess(request.user, proposal))
        assessment = proposal.assessments.get(assessor=request.user)
        data = AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.assessment_save(
            assessment=assessment, actor=request.user, **data.validated_data
        )
        assessment = _assessments_with_scores().get(pk=assessment.pk)
        return Response(AssessmentSerializer(assessment).data)


class ScoreApi(StepApi):
    """The aggregated score and recommendation (the Secretariat and the Bureau)."""

    permission_classes = [IsAuthenticated, allows(permissions.can_view_score)]

    @extend_schema(responses={200: ScoreSerializer})
    def get(self, request, pk: int):
        proposal = get_object_or_404(
            selectors.proposals_visible_to(request.user).select_related("work_programme"), pk=pk
        )
        self.check_object_permissions(request, proposal)
        score = selectors.score_for(proposal)
        usernames = {user.pk: user.username for user in score.assessors}
        return Response(ScoreSerializer(score, context={"usernames": usernames}).data)


class DecisionApi(StepApi):
    """The Secretariat records the Permanent Correspondents' decision; adopting
    creates the activity (and its entry in the year's annual programme)."""

    permission_classes = [IsAuthenticated, allows(permissions.can_record_decision)]

    @extend_schema(
        examples=api_examples.DECISION,
        request=DecisionInputSerializer,
        responses={201: DecisionSerializer},
    )
    def post(self, request, pk: int):
        proposal = self.proposal(request, pk)
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.decision_record(
            proposal=proposal, actor=request.user, **data.validated_data
        )
        decision = Decision.objects.select_related("proposal__activity").get(pk=decision.pk)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class BureauVoteApi(StepApi):
    """A current Bureau member votes on an urgent proposal (and may change the vote
    until the outcome); the answer shows whether the vote decided it."""

    permission_classes = [IsAuthenticated, allows(permissions.can_vote)]

    @extend_schema(
        examples=api_examples.BUREAU_VOTE,
        request=BureauVoteInputSerializer,
        responses={200: BureauVoteSerializer},
    )
    def post(self, request, pk: int):
        proposal = self.proposal(request, pk)
        data = BureauVoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ballot = services.bureau_vote_cast(
            proposal=proposal, actor=request.user, **data.validated_data
        )
        ballot = BureauVote.objects.select_related("voter", "proposal__activity").get(pk=ballot.pk)
        return Response(BureauVoteSerializer(ballot).data)


# --- attachments ---------------------------------------------------------------------


class AttachmentsApi(APIView):
    """GET: the proposal's documents, for those who see the proposal. POST
    (multipart, ``file`` and ``title``): the proposing delegation attaches one to a
    draft, checked as on the page (the same service)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: AttachmentSerializer(many=True)})
    def get(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        return Response(
            AttachmentSerializer(
                proposal.attachments.all(), many=True, context={"request": request}
            ).data
        )

    @extend_schema(
        examples=api_examples.ATTACHMENT_ADD,
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: AttachmentSerializer},
    )
    def post(self, request, pk: int):
        proposal = _visible_proposal(request, pk)
        _refuse_by_role(permissions.can_edit_proposal(request.user, proposal))
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

    # PDF or Word, as uploads are checked; octet-stream for a name that says neither.
    @extend_schema(responses=file_responses(PDF, DOCX, "application/octet-stream"))
    def get(self, request, pk: int, attachment_id: int):
        attachment = selectors.get_attachment_for_user(request.user, pk, attachment_id)
        return file_response(attachment.file, attachment.filename)

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="Removed."),
        },
    )
    def delete(self, request, pk: int, attachment_id: int):
        proposal = _visible_proposal(request, pk)
        attachment = get_object_or_404(proposal.attachments, pk=attachment_id)
        services.attachment_remove(attachment=attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
