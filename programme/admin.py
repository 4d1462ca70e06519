from django.contrib import admin

from . import models


@admin.register(models.MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "status", "joined_year", "left_year")
    list_filter = ("status",)
    search_fields = ("code", "name")


@admin.register(models.Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "member_state")
    list_filter = ("member_state",)
    search_fields = ("user__username", "user__email", "member_state__name")
    list_select_related = ("user", "member_state")
    autocomplete_fields = ("member_state",)


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "date", "place")
    list_filter = ("kind",)
    search_fields = ("place",)
    date_hierarchy = "date"


class ProgrammeAimInline(admin.TabularInline):
    model = models.ProgrammeAim
    extra = 0


@admin.register(models.WorkProgramme)
class WorkProgrammeAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "first_year", "last_year", "status")
    list_filter = ("status",)
    search_fields = ("reference", "title", "theme")
    inlines = [ProgrammeAimInline]


class PriorityAimInline(admin.TabularInline):
    model = models.PriorityAim
    extra = 0


@admin.register(models.ThematicPriority)
class ThematicPriorityAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "work_programme", "transversal")
    list_filter = ("work_programme", "transversal")
    search_fields = ("number", "title", "rationale")
    list_select_related = ("work_programme",)
    inlines = [PriorityAimInline]


class FormatAimInline(admin.TabularInline):
    model = models.FormatAim
    extra = 0


class FormatObjectiveInline(admin.TabularInline):
    model = models.FormatObjective
    extra = 0


class FormatExpectedResultInline(admin.TabularInline):
    model = models.FormatExpectedResult
    extra = 0


@admin.register(models.PermanentFormat)
class PermanentFormatAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "kind", "first_year", "last_year", "work_programme")
    list_filter = ("work_programme", "kind")
    search_fields = ("number", "name")
    list_select_related = ("work_programme",)
    inlines = [FormatAimInline, FormatObjectiveInline, FormatExpectedResultInline]


@admin.register(models.AdoptionCriterion)
class AdoptionCriterionAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "weight", "computed", "work_programme")
    list_filter = ("work_programme", "computed")
    search_fields = ("title", "guidance")
    list_select_related = ("work_programme",)


@admin.register(models.BureauMandate)
class BureauMandateAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "start_date", "end_date")
    list_filter = ("office",)
    search_fields = ("user__username", "user__last_name")
    list_select_related = ("user",)
    filter_horizontal = ("supervised_priorities", "supervised_formats")
    date_hierarchy = "start_date"
