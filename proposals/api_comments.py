"""REST API of the discussion under a proposal: ``GET`` the comments of the channels
the user reads (``?channel=public|assessors`` for one), ``POST`` a comment or a
reply. The same predicates and service as the page: a proposal one may not see is a
404, a channel one may not write in a 403, a bad comment a 400 naming ``body``."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou.errors import DomainError, PermissionDenied
from pompidou.serializers import InputSerializer

from . import api_examples, permissions, selectors, services
from .models import Comment


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    author_name = serializers.SerializerMethodField()
    mentions: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )
    withdrawn = serializers.BooleanField(source="is_withdrawn", read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "channel",
            "parent",
            "author",
            "author_name",
            "body",
            "mentions",
            "created_at",
            "edited_at",
            "withdrawn",
        ]

    def get_author_name(self, comment) -> str:
        return comment.author.get_full_name() or comment.author.username


class ProposalCommentInputSerializer(InputSerializer):
    body = serializers.CharField(max_length=Comment.MAX_LENGTH, trim_whitespace=False)
    channel = serializers.ChoiceField(
        choices=Comment.Channel.choices, required=False, default=Comment.Channel.PUBLIC
    )
    # The metaclass takes declared fields off the class: no clash with Field.parent.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False, allow_null=True, default=None
    )


class CommentsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("channel", enum=Comment.Channel.values, required=False)],
        responses={200: CommentSerializer(many=True)},
    )
    def get(self, request, pk: int):
        proposal = selectors.get_proposal_for_user(request.user, pk)
        asked = request.query_params.get("channel")
        if asked is not None and asked not in Comment.Channel.values:
            raise DomainError(_("Choose the discussion or the assessors' channel."), "channel")
        readable = [
            c
            for c in Comment.Channel.values
            if (asked in (None, c)) and permissions.can_read_comments(request.user, proposal, c)
        ]
        if asked is not None and not readable:
            raise PermissionDenied(
                str(permissions.can_read_comments(request.user, proposal, asked).reason)
            )
        comments = (
            Comment.objects.filter(proposal=proposal, channel__in=readable)
            .select_related("author")
            .prefetch_related("mentions")
        )
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(
        examples=api_examples.COMMENT_ADD,
        request=ProposalCommentInputSerializer,
        responses={201: CommentSerializer},
    )
    def post(self, request, pk: int):
        proposal = selectors.get_proposal_for_user(request.user, pk)
        channel = request.data.get("channel") or Comment.Channel.PUBLIC
        if channel in Comment.Channel.values:
            verdict = permissions.can_comment(request.user, proposal, channel)
            if not verdict and not verdict.state:
                raise PermissionDenied(str(verdict.reason))
        data = ProposalCommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent_id = data.validated_data["parent"]
        parent = None
        if parent_id is not None:
            parent = get_object_or_404(
                Comment, pk=parent_id, proposal=proposal, channel=data.validated_data["channel"]
            )
        comment = services.comment_post(
            proposal=proposal,
            actor=request.user,
            body=data.validated_data["body"],
            channel=data.validated_data["channel"],
            parent=parent,
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
