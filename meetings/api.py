"""REST API of meetings: the calendar (public, read-only) and the compiled lists of
decisions (state and files, for the members)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from pompidou.job_api import JobFileApi, JobLinks, JobStatusApi
from programme.api import PublicReadOnlyViewSet
from programme.models import Meeting

from . import permissions
from .models import AgendaItem, DecisionList


class AgendaItemSerializer(serializers.ModelSerializer):
    proposal: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )
    annual_programme: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="year", read_only=True, allow_null=True
    )
    title = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "position",
            "kind",
            "title",
            "proposal",
            "annual_programme",
            "evaluation_report",
            "outcome",
            "conclusion",
        ]

    def get_title(self, item: AgendaItem) -> str:
        # A proposal is named by its reference: its title is for the members.
        return "" if item.kind == AgendaItem.Kind.PROPOSAL else item.label


class MeetingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "kind", "number", "title", "date", "end_date", "place", "status", "agenda"]


class MeetingViewSet(PublicReadOnlyViewSet):
    """The plenaries and Bureau meetings, past and planned, with their agendas."""

    serializer_class = MeetingSerializer

    def get_queryset(self):
        items = AgendaItem.objects.select_related("proposal", "annual_programme").order_by(
            "position", "pk"
        )
        return Meeting.objects.prefetch_related(Prefetch("agenda_items", queryset=items)).order_by(
            "-date", "-number"
        )


class DecisionListSerializer(JobLinks, serializers.ModelSerializer):
    url_name = "api-decision-list"
    url = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()
    docx = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = DecisionList
        fields = [
            "id",
            "reference",
            "status",
            "progress",
            "error",
            "document_date",
            "meeting",
            "url",
            "pdf",
            "docx",
            "files",
        ]


class _DecisionListJobApi:
    def get_job(self, request, pk: int) -> DecisionList:
        if not permissions.can_view_decision_lists(request.user):
            raise PermissionDenied  # before the lookup: an outsider learns nothing
        return get_object_or_404(DecisionList.objects.select_related("meeting"), pk=pk)

    def allowed(self, user, job) -> bool:
        return bool(permissions.can_view_decision_lists(user, job.meeting))


class DecisionListApi(_DecisionListJobApi, JobStatusApi):
    """The state of a compiled list of decisions, and its files once done."""

    serializer_class = DecisionListSerializer


class DecisionListPdfApi(_DecisionListJobApi, JobFileApi):
    kind = "pdf"


class DecisionListDocxApi(_DecisionListJobApi, JobFileApi):
    kind = "docx"
