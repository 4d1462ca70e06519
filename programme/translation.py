"""The programme's texts in English and French (django-modeltranslation): each
field below gets ``<field>_en`` and ``<field>_en`` columns; reading ``<field>``
answers the active language's text, or the English one where the French is
missing (``MODELTRANSLATION_FALLBACK_LANGUAGES``)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    AdoptionCriterion,
    FormatAim,
    FormatExpectedResult,
    FormatObjective,
    MemberState,
    PermanentFormat,
    PriorityAim,
    ProgrammeAim,
    ThematicPriority,
    WorkProgramme,
)


@register(WorkProgramme)
class WorkProgrammeTranslation(TranslationOptions):
    fields = (
        "title",
        "theme",
        "conference_theme",
        "adopted_by",
        "introduction",
        "aims_introduction",
        "aims_closing",
        "structure",
        "evaluation",
    )


@register(ProgrammeAim)
class ProgrammeAimTranslation(TranslationOptions):
    fields = ("title", "text")


@register(ThematicPriority)
class ThematicPriorityTranslation(TranslationOptions):
    fields = ("title", "rationale")


@register(PriorityAim)
class PriorityAimTranslation(TranslationOptions):
    fields = ("text",)


@register(PermanentFormat)
class PermanentFormatTranslation(TranslationOptions):
    fields = ("name", "short_name", "beneficiaries", "expected_results_intro")


@register(FormatAim)
class FormatAimTranslation(TranslationOptions):
    fields = ("text",)


@register(FormatObjective)
class FormatObjectiveTranslation(TranslationOptions):
    fields = ("text",)


@register(FormatExpectedResult)
class FormatExpectedResultTranslation(TranslationOptions):
    fields = ("text",)


@register(AdoptionCriterion)
class AdoptionCriterionTranslation(TranslationOptions):
    fields = ("title", "guidance")


@register(MemberState)
class MemberStateTranslation(TranslationOptions):
    fields = ("name",)


def translated(path: str) -> list[str]:
    """A translated field as ``only()`` needs it across a relation, where
    modeltranslation does not rewrite the name: ``"lead_member_state__name"`` ->
    the field and its column in each language."""
    from django.conf import settings

    return [path, *(f"{path}_{code}" for code, _name in settings.LANGUAGES)]
