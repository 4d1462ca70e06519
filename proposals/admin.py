from django.contrib import admin

from pompidou.admin import HistoryInline

from . import models


class SupportInline(admin.TabularInline):
    model = models.Support
    extra = 0
    raw_id_fields = ("supporter",)


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


class ScoreInline(admin.TabularInline):
    model = models.CriterionScore
    extra = 0


@admin.register(models.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("proposal", "assessor", "status", "submitted_at")
    list_filter = ("status",)
    search_fields = ("proposal__reference", "proposal__title", "assessor__username")
    list_select_related = ("proposal", "assessor")
    raw_id_fields = ("proposal", "assessor", "assigned_by")
    inlines = [ScoreInline]


@admin.register(models.Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("proposal", "outcome", "body", "meeting", "decided_on")
    list_filter = ("outcome", "body")
    search_fields = ("proposal__reference", "proposal__title", "rationale")
    list_select_related = ("proposal", "meeting")
    raw_id_fields = ("proposal",)


@admin.register(models.BureauVote)
class BureauVoteAdmin(admin.ModelAdmin):
    list_display = ("proposal", "voter", "vote", "updated_at")
    list_filter = ("vote",)
    search_fields = ("proposal__reference", "voter__username")
    list_select_related = ("proposal", "voter")
    raw_id_fields = ("proposal", "voter")
