from django.contrib import admin

from pompidou.admin import HistoryInline

from . import models
from .visibility import refresh_public


class MilestoneInline(admin.TabularInline):
    model = models.Milestone
    extra = 0


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "title",
        "adoption_route",
        "status",
        "lead_member_state",
        "start_date",
        "end_date",
        "planned_budget",
    )
    list_filter = (
        "status",
        "adoption_route",
        "work_programme",
        "permanent_format",
        "thematic_priorities",
    )
    search_fields = ("reference", "title", "description")
    list_select_related = ("lead_member_state",)
    readonly_fields = ("reference", "status")
    filter_horizontal = ("thematic_priorities", "participating_states")
    date_hierarchy = "start_date"
    inlines = [MilestoneInline, HistoryInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_public([obj.pk])  # the back office may change the route


class EntryInline(admin.TabularInline):
    model = models.AnnualProgrammeEntry
    extra = 0
    raw_id_fields = ("activity",)


@admin.register(models.AnnualProgramme)
class AnnualProgrammeAdmin(admin.ModelAdmin):
    list_display = ("year", "work_programme", "status", "budget_ceiling", "adopting_meeting")
    list_filter = ("status", "work_programme")
    search_fields = ("year",)
    readonly_fields = ("status",)
    inlines = [EntryInline, HistoryInline]

    # The back office edits entries outside the services: the public flag of the
    # activities it touched (entered, removed or left) is asked again.
    def save_related(self, request, form, formsets, change):
        before = set(form.instance.entries.values_list("activity_id", flat=True))
        super().save_related(request, form, formsets, change)
        refresh_public(before | set(form.instance.entries.values_list("activity_id", flat=True)))

    def delete_model(self, request, obj):
        ids = list(obj.entries.values_list("activity_id", flat=True))
        super().delete_model(request, obj)
        refresh_public(ids)

    def delete_queryset(self, request, queryset):
        ids = list(
            models.AnnualProgrammeEntry.objects.filter(annual_programme__in=queryset).values_list(
                "activity_id", flat=True
            )
        )
        super().delete_queryset(request, queryset)
        refresh_public(ids)


@admin.register(models.Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("title", "activity", "due_date", "done")
    list_filter = ("done",)
    search_fields = ("title", "activity__reference", "activity__title")
    list_select_related = ("activity",)
    raw_id_fields = ("activity",)
