"""The REST API of the inbox: one's own notices (read in the request's language) and
marking them read. No one reads or marks another's notice: it is not found."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from . import notices
from .models import Notice
from .schema import examples
from .sync import SyncMixin, UpdatedSinceFilter


class NoticeSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="title_text", read_only=True)
    body = serializers.CharField(source="body_text", read_only=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = ["id", "kind", "title", "body", "url", "created_at", "read", "read_at"]
        read_only_fields = fields

    def get_read(self, notice: Notice) -> bool:
        return notice.read_at is not None


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many unread notices were marked read.")


NOTICE = {
    "id": 41,
    "kind": "proposal_submitted",
    "title": "Proposal submitted: Drug testing at the workplace",
    "body": "PR-2018-0001 — Drug testing at the workplace (Poland)\nStatus: Submitted",
    "url": "/en/proposals/7/",
    "created_at": "2018-02-12T10:00:00+01:00",
    "read": True,
    "read_at": "2018-02-13T09:12:00+01:00",
}


class NoticeViewSet(SyncMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """My notices, newest first (``?unread=true``: the unread ones only)."""

    serializer_class = NoticeSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"\d+"
    filterset_class = None
    filter_backends: list = [UpdatedSinceFilter]

    def get_queryset(self) -> QuerySet[Notice]:
        unread = self.request.query_params.get("unread", "").lower() in ("true", "1")
        return notices.notices_of(self.request.user, unread_only=unread)

    @extend_schema(
        request=None,
        responses={200: NoticeSerializer},
        examples=examples("Mark a notice read", response=NOTICE),
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        """Mark one of my notices read (again: nothing changes)."""
        notice = notices.notice_mark_read(user=request.user, notice_id=int(pk))
        if notice is None:
            raise Http404(_("No such notice in your inbox."))
        return Response(NoticeSerializer(notice).data)

    @extend_schema(
        request=None,
        responses={200: ReadAllSerializer},
        examples=examples("Mark all my notices read", response={"marked": 3}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark all my unread notices read."""
        return Response({"marked": notices.notices_mark_all_read(user=request.user)})
