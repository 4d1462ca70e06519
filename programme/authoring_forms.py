"""Forms of the authoring pages. Each translated text is a pair of fields,
``<name>_en`` and ``<name>_fr``, shown side by side (``BilingualForm.rows``); the
numbered lists are a pair of text areas, one line per entry. The forms read input
only: the services (``programme.authoring*``) check the rules and say what is wrong."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pompidou.forms import Form

from . import versions
from .authoring_entries import KINDS
from .models import PermanentFormat, WorkProgramme

LANGUAGE_NAMES = dict(settings.LANGUAGES)
LIST_LABELS = {
    "aims": _("Aims, one per line"),
    "objectives": _("Objectives, one per line"),
    "expected_results": _("Expected results, one per line"),
}


def _text_field(model: type[models.Model], name: str, lang: str, required: bool) -> forms.Field:
    field = model._meta.get_field(f"{name}_{lang}")
    base = getattr(model._meta.get_field(name), "verbose_name", name)  # not "title [en]"
    label = f"{str(base).capitalize()} ({LANGUAGE_NAMES[lang]})"
    if isinstance(field, models.TextField):
        return forms.CharField(
            label=label, required=required, widget=forms.Textarea(attrs={"rows": 6})
        )
    return forms.CharField(
        label=label, required=required, max_length=getattr(field, "max_length", None)
    )


class BilingualForm(Form):
    """A form whose translated texts come in pairs; ``rows`` gives them pair by pair
    (a single field is a row of one) for the side-by-side template."""

    model: type[models.Model]
    texts: tuple[str, ...] = ()
    required_texts: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = versions.LANGUAGES[0]
        self.pairs: list[list[str]] = []
        for name in self.texts:
            for lang in versions.LANGUAGES:
                required = name in self.required_texts and lang == english
                self.fields[f"{name}_{lang}"] = _text_field(self.model, name, lang, required)
            self.pairs.append([f"{name}_{lang}" for lang in versions.LANGUAGES])
        for name in self.lists:
            for lang in versions.LANGUAGES:
                self.fields[f"{name}_{lang}"] = forms.CharField(
                    label=f"{LIST_LABELS[name]} ({LANGUAGE_NAMES[lang]})",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 5}),
                )
            self.pairs.append([f"{name}_{lang}" for lang in versions.LANGUAGES])

    def rows(self) -> list[list[forms.BoundField]]:
        paired = {name for pair in self.pairs for name in pair}
        singles = [[self[name]] for name in self.fields if name not in paired]
        return singles + [[self[name] for name in pair] for pair in self.pairs]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in self.lists:
            for lang in versions.LANGUAGES:
                data[f"{name}_{lang}"] = (data.get(f"{name}_{lang}") or "").splitlines()
        return data


class NewProgrammeForm(Form):
    source: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Copy"),
        queryset=WorkProgramme.objects.none(),
        required=False,
        empty_label=_("Nothing: start from scratch"),
        help_text=_("Its texts in both languages, aims, priorities, formats and criteria."),
    )
    reference = forms.CharField(label=_("Reference"), max_length=40)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200, required=False)
    first_year = forms.IntegerField(label=_("First year"))
    last_year = forms.IntegerField(label=_("Last year"))

    def __init__(self, *args: Any, sources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = sources


class TextsForm(BilingualForm):
    model = WorkProgramme
    texts = versions.PROGRAMME_TEXTS
    required_texts = ("title",)
    reference = forms.CharField(label=_("Reference"), max_length=40)
    first_year = forms.IntegerField(label=_("First year"))
    last_year = forms.IntegerField(label=_("Last year"))


class ThresholdsForm(Form):
    min_criterion_mean = forms.DecimalField(
        label=_("Minimum mean per criterion (0–5)"), max_digits=3, decimal_places=1
    )
    min_total_numerator = forms.IntegerField(label=_("Weighted total: numerator"))
    min_total_denominator = forms.IntegerField(
        label=_("Weighted total: denominator"),
        help_text=_("The total must reach this fraction of the maximum (2/3 by default)."),
    )


def _plain(kind: str) -> dict[str, forms.Field]:
    fields: dict[str, dict[str, forms.Field]] = {
        "aim": {"key": forms.SlugField(label=_("Key"), max_length=40, required=False)},
        "priority": {
            "number": forms.CharField(label=_("Number"), max_length=10, required=False),
            "transversal": forms.BooleanField(label=_("Transversal"), required=False),
        },
        "format": {
            "number": forms.CharField(label=_("Number"), max_length=10, required=False),
            "kind": forms.ChoiceField(label=_("Kind"), choices=PermanentFormat.Kind.choices),
            "first_year": forms.IntegerField(label=_("First year"), required=False),
            "last_year": forms.IntegerField(label=_("Last year"), required=False),
        },
        "criterion": {
            "number": forms.IntegerField(label=_("Number"), required=False),
            "weight": forms.DecimalField(label=_("Weight"), initial=Decimal("1")),
            "computed": forms.BooleanField(label=_("Computed from supports"), required=False),
        },
    }
    return fields[kind]


def weight_text(value: Decimal) -> str:
    """1.50 as 1.5, 2.00 as 2: the weight as it was typed."""
    return f"{value.normalize():f}"


class EntryForm(BilingualForm):
    """An aim, a priority, a format or a criterion, by ``kind``."""

    def __init__(self, *args: Any, kind: str, entry: Any = None, **kwargs: Any) -> None:
        spec = KINDS[kind]
        self.model, self.texts = spec.model, spec.texts
        self.required_texts = (spec.required,)
        self.lists = tuple(relation for relation, _m, _fk in spec.lists)
        if entry is not None and "initial" not in kwargs:
            kwargs["initial"] = entry_initial(kind, entry)
        super().__init__(*args, **kwargs)
        plain = _plain(kind)
        self.fields = {**plain, **self.fields}


def entry_initial(kind: str, entry: Any) -> dict[str, Any]:
    spec = KINDS[kind]
    initial = {
        f"{name}_{lang}": getattr(entry, f"{name}_{lang}")
        for name in spec.texts
        for lang in versions.LANGUAGES
    }
    for name in spec.plain:
        initial[name] = getattr(entry, name)
    if spec.order != "position":
        initial[spec.order] = getattr(entry, spec.order)
    if kind == "criterion":
        initial["weight"] = weight_text(entry.weight)
    for relation, _model, _fk in spec.lists:
        items = list(getattr(entry, relation).order_by("position"))
        for lang in versions.LANGUAGES:
            initial[f"{relation}_{lang}"] = "\n".join(
                getattr(item, f"text_{lang}") or "" for item in items
            ).rstrip("\n")
    return initial


class CommentForm(Form):
    section = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
