"""The programme's texts in English and French (django-modeltranslation): each
field below gets ``<field>_en`` and ``<field>_fr`` columns; reading ``<field>``
answers the active language's text, or the English one where the French is
missing (``MODELTRANSLATION_FALLBACK_LANGUAGES``). The original ``<field>``
column stays in the table but nothing reads it: the ORM rewrites ``<field>`` in
filters, ordering, ``only()`` and ``values()`` on these models to the active
language's column."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext
from modeltranslation.translator import TranslationOptions, register, translator

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
    return [path, *(f"{path}_{code}" for code, _name in settings.LANGUAGES)]


def other_languages() -> list[str]:
    """The languages besides the default one (English), whose texts may be missing."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return [code for code, _name in settings.LANGUAGES if code != default]


# The numbered texts of a priority or a format, by the name of their relation.
TRANSLATED_CHILDREN: dict[type[models.Model], tuple[str, ...]] = {
    WorkProgramme: ("aims",),
    ThematicPriority: ("aims",),
    PermanentFormat: ("aims", "objectives", "expected_results"),
}


def _child_label(relation: str, position: int) -> str:
    labels = {
        "aims": pgettext("a numbered aim", "Aim %(n)s"),
        "objectives": pgettext("a numbered objective", "Objective %(n)s"),
        "expected_results": pgettext("a numbered expected result", "Expected result %(n)s"),
    }
    return labels[relation] % {"n": position}


def _missing_in(obj: models.Model, language: str) -> list[str]:
    """The translated fields of ``obj`` with an English text and none in ``language``."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    missing = []
    for name in translator.get_options_for_model(type(obj)).all_fields:
        if getattr(obj, f"{name}_{default}") and not getattr(obj, f"{name}_{language}"):
            missing.append(name)
    return missing


def _label(obj: models.Model, name: str) -> str:
    field = obj._meta.get_field(name)
    assert isinstance(field, models.Field)  # a translated text, not a relation
    return str(field.verbose_name)


def missing_translations(obj: models.Model, language: str = "fr") -> list[str]:
    """What of ``obj`` reads in English on a page in ``language`` for want of its own
    text: field labels ("title"), and numbered texts ("Aim 2", "Aim 3: title").
    Reads the children through ``obj``'s relations (prefetched by list pages)."""
    labels = [_label(obj, name) for name in _missing_in(obj, language)]
    for relation in TRANSLATED_CHILDREN.get(type(obj), ()):
        for child in getattr(obj, relation).all():
            fields = _missing_in(child, language)
            label = _child_label(relation, child.position)
            if fields == ["text"]:
                labels.append(label)
            elif fields:
                names = ", ".join(_label(child, name) for name in fields)
                labels.append(gettext("%(item)s: %(fields)s") % {"item": label, "fields": names})
    return labels
