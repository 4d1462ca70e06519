"""REST API of a draft work programme's versions and consultation:
``GET work-programmes/{id}/versions/`` (the Secretariat's), ``…/versions/{number}/``
with its snapshot, and ``GET``/``POST work-programmes/{id}/comments/`` (those who may
read the consultation; a comment while it is open). The same predicates, selectors
and service as the pages: a programme one may not see is a 404, a bad comment a 400
naming its field."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou.errors import PermissionDenied
from pompidou.schema import examples
from pompidou.serializers import InputSerializer

from . import authoring_comments, permissions, selectors, versions
from .authoring_models import ProgrammeComment, ProgrammeVersion

COMMENT_ADD = examples(
    "Comment on a section of the draft in consultation",
    request={"section": "priority:3.2", "text": "Please name prisons explicitly."},
    response={
        "id": 1,
        "section": "priority:3.2",
        "section_label": "Thematic priority 3.2",
        "author": "Claire Dubois",
        "text": "Please name prisons explicitly.",
        "created_at": "2018-03-12T10:05:00+01:00",
    },
    status=201,
)


def _author(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


class ProgrammeVersionSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    changed_sections = serializers.SerializerMethodField()

    class Meta:
        model = ProgrammeVersion
        fields = ["number", "created_at", "author", "copied_from", "changed", "changed_sections"]

    def get_author(self, version) -> str:
        return _author(version.author)

    def get_changed_sections(self, version) -> list[str]:
        return [versions.section_label(key) for key in version.changed]


class ProgrammeVersionDetailSerializer(ProgrammeVersionSerializer):
    class Meta(ProgrammeVersionSerializer.Meta):
        fields = [*ProgrammeVersionSerializer.Meta.fields, "snapshot"]


class ProgrammeCommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    section_label = serializers.SerializerMethodField()

    class Meta:
        model = ProgrammeComment
        fields = ["id", "section", "section_label", "author", "text", "created_at"]

    def get_author(self, comment) -> str:
        return _author(comment.author)

    def get_section_label(self, comment) -> str:
        return versions.section_label(comment.section)


class ProgrammeCommentInputSerializer(InputSerializer):
    section = serializers.CharField(max_length=40)
    text = serializers.CharField(max_length=authoring_comments.MAX_COMMENT)


def _programme(request, pk: int, verdict_of):
    wp = selectors.programme_for_user(request.user, pk)
    verdict = verdict_of(request.user, wp)
    if not verdict and not verdict.state:
        raise PermissionDenied(str(verdict.reason))
    return wp


class ProgrammeVersionsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ProgrammeVersionSerializer(many=True)})
    def get(self, request, pk: int):
        wp = _programme(request, pk, permissions.can_view_programme_versions)
        return Response(ProgrammeVersionSerializer(selectors.versions_of(wp), many=True).data)


class ProgrammeVersionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ProgrammeVersionDetailSerializer})
    def get(self, request, pk: int, number: int):
        wp = _programme(request, pk, permissions.can_view_programme_versions)
        version = get_object_or_404(wp.versions.select_related("author"), number=number)
        return Response(ProgrammeVersionDetailSerializer(version).data)


class ProgrammeCommentsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ProgrammeCommentSerializer(many=True)})
    def get(self, request, pk: int):
        wp = _programme(request, pk, permissions.can_view_consultation)
        comments = [c for notes in selectors.comments_by_section(wp).values() for c in notes]
        return Response(ProgrammeCommentSerializer(comments, many=True).data)

    @extend_schema(
        examples=COMMENT_ADD,
        request=ProgrammeCommentInputSerializer,
        responses={201: ProgrammeCommentSerializer},
    )
    def post(self, request, pk: int):
        wp = _programme(request, pk, permissions.can_comment_programme)
        data = ProgrammeCommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = authoring_comments.comment_add(wp, by=request.user, **data.validated_data)
        return Response(ProgrammeCommentSerializer(comment).data, status=status.HTTP_201_CREATED)
