from django.contrib import admin

from pompidou.admin import HistoryInline, ReadOnlyAdminMixin

from . import models

# Supports, assessments, decisions and Bureau votes are read-only here: they are
# recorded through the services (proposals.services), which check who may and
# write the history; an edit in the back office would bypass both.


class SupportInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = models.Support
    extra = 0


@admin.register(models.Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "member_state", "route", "year", "status")
    list_filter = ("status", "route", "member_state", "thematic_priorities")
    search_fields = ("reference", "title", "scope")
    list_select_related = ("member_state",)
    readonly_fields = ("reference", "status", "submitted_at", "activity")
    raw_id_fields = ("proposer", "bureau_mandate")
    filter_horizontal = ("thematic_priorities",)
    inlines = [SupportInline, HistoryInline]


class ScoreInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = models.CriterionScore
    extra = 0


@admin.register(models.Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("proposal", "assessor", "status", "submitted_at")
    list_filter = ("status",)
    search_fields = ("proposal__reference", "proposal__title", "assessor__username")
    list_select_related = ("proposal", "assessor")
    inlines = [ScoreInline]


@admin.register(models.Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("proposal", "outcome", "body", "meeting", "decided_on")
    list_filter = ("outcome", "body")
    search_fields = ("proposal__reference", "proposal__title", "rationale")
    list_select_related = ("proposal", "meeting")


@admin.register(models.BureauVote)
class BureauVoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("proposal", "voter", "vote", "updated_at")
    list_filter = ("vote",)
    search_fields = ("proposal__reference", "voter__username")
    list_select_related = ("proposal", "voter")


class CommentVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = models.CommentVersion
    extra = 0


@admin.register(models.Comment)
class CommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of the discussions, earlier and withdrawn texts included; comments
    are written, edited and withdrawn on the proposal page by their authors."""

    list_display = ("proposal", "channel", "author", "created_at", "edited_at", "withdrawn_at")
    list_filter = ("channel",)
    search_fields = ("proposal__reference", "proposal__title", "author__username", "body")
    list_select_related = ("proposal", "author")
    inlines = [CommentVersionInline]
