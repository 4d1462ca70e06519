from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from pompidou.lib.countries import UnknownCountryCode, country_names

from . import models
from .translation import missing_translations


def translated_columns(*names: str) -> tuple[str, ...]:
    """The columns of translated fields in every language (the admin's search looks in both)."""
    return tuple(f"{name}_{code}" for name in names for code, _name in settings.LANGUAGES)


class MemberStateForm(forms.ModelForm):
    """The code decides the names: an unknown ISO code is refused on the code field."""

    class Meta:
        model = models.MemberState
        fields = ("code", "status", "joined_year", "left_year", "note")
        help_texts = {
            "code": _(
                "ISO 3166-1 alpha-2, e.g. FR. The names in English and French follow from it."
            )
        }

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip().upper()
        try:
            self.names = country_names(code)
        except UnknownCountryCode as exc:
            raise forms.ValidationError(
                _("%(code)s is not an ISO 3166-1 country code.") % {"code": code}
            ) from exc
        return code


@admin.register(models.MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    """A state is given by its ISO 3166-1 code; its English and French names come from
    ISO (pompidou/lib/countries.py), shown side by side, never typed by hand."""

    form = MemberStateForm
    list_display = ("code", *translated_columns("name"), "status", "joined_year", "left_year")
    list_filter = ("status",)
    search_fields = ("code", *translated_columns("name"))
    fields = ("code", *translated_columns("name"), "status", "joined_year", "left_year", "note")
    readonly_fields = translated_columns("name")

    def save_model(self, request, obj, form, change):
        obj.name = form.names[settings.MODELTRANSLATION_DEFAULT_LANGUAGE]
        for language, name in form.names.items():
            setattr(obj, f"name_{language}", name)
        super().save_model(request, obj, form, change)


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


def side_by_side(*names: str) -> tuple[tuple[str, ...], ...]:
    """Each translated field as one row of its columns, English then French (then any
    language added to LANGUAGES), so the two texts are read and edited side by side."""
    return tuple(tuple(f"{name}_{code}" for code, _ in settings.LANGUAGES) for name in names)


class TranslatedTextsAdmin(TranslationAdmin):
    """The back office of a text of the work programme in both languages: the change
    form warns of what a French page shows in English, the list says how complete the
    French is. Plain side-by-side fields: modeltranslation's tabs would load jQuery UI
    from a CDN, which the Content-Security-Policy refuses (and the portal serves
    nothing from outside)."""

    class Media:
        css = {"all": ["css/admin-translations.css"]}

    @admin.display(description=_("French"))
    def french(self, obj) -> str:
        missing = missing_translations(obj)
        if not missing:
            return gettext("complete")
        return ngettext("%(n)d missing", "%(n)d missing", len(missing)) % {"n": len(missing)}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            missing = missing_translations(obj) if obj is not None else []
            if missing:
                messages.warning(
                    request,
                    gettext("No French text for: %(fields)s. French pages show the English.")
                    % {"fields": "; ".join(missing)},
                )
        return super().change_view(request, object_id, form_url, extra_context)


class ProgrammeAimInline(TranslationTabularInline):
    model = models.ProgrammeAim
    fields = ("position", "key", *side_by_side("title")[0], *side_by_side("text")[0])
    extra = 0


@admin.register(models.WorkProgramme)
class WorkProgrammeAdmin(TranslatedTextsAdmin):
    list_display = ("reference", "title", "french", "first_year", "last_year", "status")
    list_filter = ("status",)
    search_fields = ("reference", *translated_columns("title", "theme"))
    inlines = [ProgrammeAimInline]
    fieldsets = (
        (None, {"fields": ("reference", "status", ("first_year", "last_year"))}),
        (_("Title and themes"), {"fields": side_by_side("title", "theme", "conference_theme")}),
        (
            _("Adoption"),
            {
                "fields": (
                    *side_by_side("adopted_by"),
                    ("adopted_place", "adopted_on"),
                    "adopting_meeting",
                )
            },
        ),
        (
            _("Texts"),
            {
                "fields": side_by_side(
                    "introduction", "aims_introduction", "aims_closing", "structure", "evaluation"
                )
            },
        ),
        (
            _("Adoption thresholds"),
            {"fields": ("min_criterion_mean", ("min_total_numerator", "min_total_denominator"))},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aims")


class PriorityAimInline(TranslationTabularInline):
    model = models.PriorityAim
    fields = ("position", *side_by_side("text")[0])
    extra = 0


@admin.register(models.ThematicPriority)
class ThematicPriorityAdmin(TranslatedTextsAdmin):
    list_display = ("number", "title", "french", "transversal", "work_programme")
    list_filter = ("work_programme", "transversal")
    search_fields = ("number", *translated_columns("title", "rationale"))
    list_select_related = ("work_programme",)
    inlines = [PriorityAimInline]
    fieldsets = (
        (None, {"fields": ("work_programme", "number", "transversal")}),
        (_("Texts"), {"fields": side_by_side("title", "rationale")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aims")


class FormatAimInline(TranslationTabularInline):
    model = models.FormatAim
    fields = ("position", *side_by_side("text")[0])
    extra = 0


class FormatObjectiveInline(TranslationTabularInline):
    model = models.FormatObjective
    fields = ("position", *side_by_side("text")[0])
    extra = 0


class FormatExpectedResultInline(TranslationTabularInline):
    model = models.FormatExpectedResult
    fields = ("position", *side_by_side("text")[0])
    extra = 0


@admin.register(models.PermanentFormat)
class PermanentFormatAdmin(TranslatedTextsAdmin):
    list_display = ("number", "name", "french", "kind", "first_year", "last_year", "work_programme")
    list_filter = ("work_programme", "kind")
    search_fields = ("number", *translated_columns("name", "short_name"))
    list_select_related = ("work_programme",)
    inlines = [FormatAimInline, FormatObjectiveInline, FormatExpectedResultInline]
    fieldsets = (
        (None, {"fields": ("work_programme", "number", "kind", ("first_year", "last_year"))}),
        (
            _("Texts"),
            {
                "fields": side_by_side(
                    "name", "short_name", "beneficiaries", "expected_results_intro"
                ),
                "description": _(
                    "A short name only where it abbreviates the name; empty, the name is shown."
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super().get_queryset(request).prefetch_related("aims", "objectives", "expected_results")
        )


@admin.register(models.AdoptionCriterion)
class AdoptionCriterionAdmin(TranslatedTextsAdmin):
    list_display = ("number", "title", "french", "weight", "computed", "work_programme")
    list_filter = ("work_programme", "computed")
    search_fields = translated_columns("title", "guidance")
    list_select_related = ("work_programme",)
    fieldsets = (
        (None, {"fields": ("work_programme", "number", "weight", "computed")}),
        (_("Texts"), {"fields": side_by_side("title", "guidance")}),
    )


@admin.register(models.BureauMandate)
class BureauMandateAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "start_date", "end_date")
    list_filter = ("office",)
    search_fields = ("user__username", "user__last_name")
    list_select_related = ("user",)
    filter_horizontal = ("supervised_priorities", "supervised_formats")
    date_hierarchy = "start_date"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the authoring services only (each change is a version, each
    comment a notice): the back office reads them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.ProgrammeVersion)
class ProgrammeVersionAdmin(ReadOnlyAdmin):
    list_display = ("work_programme", "number", "created_at", "author", "changed")
    list_filter = ("work_programme",)
    list_select_related = ("work_programme", "author")


@admin.register(models.ProgrammeComment)
class ProgrammeCommentAdmin(ReadOnlyAdmin):
    list_display = ("work_programme", "section", "author", "created_at")
    list_filter = ("work_programme", "section")
    list_select_related = ("work_programme", "author")
    search_fields = ("text",)
