"""Serializers of the proposals API: output (what clients read) and input (types
only; every rule is the service's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pompidou.api import SlugRelatedField
from pompidou.serializers import InputSerializer, RefusesFieldsInputSerializer
from programme.models import Meeting, MemberState, PermanentFormat, ThematicPriority

from .models import (
    Assessment,
    BureauVote,
    CriterionScore,
    Decision,
    Proposal,
    ProposalAttachment,
    Support,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from activities.models import Activity

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

    member_state: serializers.SlugRelatedField[MemberState] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    proposer: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    route = _RouteChoiceField(read_only=True)
    supports = _SupportCodesField(read_only=True)
    activity: serializers.SlugRelatedField[Activity] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )

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
    member_state: serializers.SlugRelatedField[MemberState] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    supporter: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

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
    assessor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
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
    activity: serializers.SlugRelatedField[Activity] = serializers.SlugRelatedField(
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
    voter: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    proposal_status = serializers.CharField(source="proposal.status", read_only=True)
    activity: serializers.SlugRelatedField[Activity] = serializers.SlugRelatedField(
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


class ProposalInputSerializer(RefusesFieldsInputSerializer):
    """The fields of a proposal its delegation writes (PATCH: any subset of them)."""

    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    scope = _text()
    purpose = _text()
    expected_outcome = _text()
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    thematic_priorities: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=ThematicPriority.objects.all(), many=True, required=False
    )
    permanent_format: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
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
    # A recusal is the portal's record, not a ballot a member casts.
    vote = serializers.ChoiceField(
        choices=[c for c in BureauVote.Vote.choices if c[0] != BureauVote.Vote.RECUSED]
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


# --- attachments ---


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


# The input serializer declares the editable fields with their types; they are the
# model's one list (Proposal.EDITABLE_FIELDS), which the form and the services use.
if set(ProposalInputSerializer._declared_fields) != set(Proposal.EDITABLE_FIELDS):
    raise ImproperlyConfigured("ProposalInputSerializer must declare Proposal.EDITABLE_FIELDS.")
