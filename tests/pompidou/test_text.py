"""The one rule on control characters (issue 12): at the boundary, in what is stored,
and in what documents print."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from rest_framework import serializers

from pompidou import forms as portal_forms
from pompidou import serializers as portal_serializers
from pompidou.lib.text import clean_text, xml_safe
from tests.activities.factories import ActivityFactory

APPS = ("activities", "proposals", "evaluation", "programme")
API_MODULES = (
    "activities.serializers",
    "proposals.serializers",
    "evaluation.serializers",
    "evaluation.report_api",
)


# --- the rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        ("one\x0btwo", "one\ntwo"),  # Word's manual line break
        ("one\x0ctwo", "one\ntwo"),  # a page break
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("tab\there\nand a line", "tab\there\nand a line"),
        ("café – “quoted” 😀", "café – “quoted” 😀"),
    ],
)
def test_line_breaks_of_every_kind_are_kept_as_line_feeds(pasted, kept):
    assert clean_text(pasted) == kept


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x07", "\x08", "\x0e", "\x1b", "\x1f"])
def test_other_control_characters_are_refused_naming_them(char):
    with pytest.raises(ValidationError) as excinfo:
        clean_text(f"before{char}after")
    assert excinfo.value.code == "control_character"
    assert f"U+{ord(char):04X}" in excinfo.value.messages[0]


def test_documents_drop_what_xml_cannot_hold_and_never_refuse():
    assert xml_safe("a\x00b\x07c\x0bd\x0ce\r\nf\ufffeg\ud800h\ti") == "abc\nd\ne\nfgh\ti"


# --- every form and every input serializer keeps it -------------------------------------


def _classes(module_name, base):
    module = importlib.import_module(module_name)
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, base) and cls.__module__ == module_name
    ]


@pytest.mark.parametrize("app", ("activities", "proposals", "evaluation"))
def test_every_form_of_the_apps_cleans_its_text(app):
    found = _classes(f"{app}.forms", forms.BaseForm)
    assert found
    for cls in found:
        assert issubclass(cls, portal_forms.CleanTextMixin), cls


def _text_fields(serializer):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield from _text_fields(field)
        elif isinstance(field, serializers.ListField):
            if isinstance(field.child, serializers.CharField):
                yield name, field.child
        elif isinstance(field, serializers.CharField):
            yield name, field


@pytest.mark.parametrize("module", API_MODULES)
def test_every_writable_text_field_of_an_input_serializer_cleans_its_text(module, db):
    # Writes go through the *Input serializers only (one per action); the output
    # serializers are never given data.
    inputs = [cls for cls in _classes(module, serializers.Serializer) if "Input" in cls.__name__]
    assert inputs
    for cls in inputs:
        assert issubclass(cls, portal_serializers.CleanTextMixin), cls
        for name, field in _text_fields(cls()):
            assert isinstance(field, portal_serializers._CleanTextField), (cls, name)


def test_a_serializer_normalises_a_pasted_break_and_refuses_a_bell():
    class Sample(portal_serializers.InputSerializer):
        text = serializers.CharField()
        tags = serializers.ListField(child=serializers.CharField())

    good = Sample(data={"text": "one\x0btwo", "tags": ["a\x0cb"]})
    assert good.is_valid(), good.errors
    assert good.validated_data == {"text": "one\ntwo", "tags": ["a\nb"]}
    bad = Sample(data={"text": "ring\x07", "tags": ["x\x1b"]})
    assert not bad.is_valid()
    assert "U+0007" in str(bad.errors["text"]) and "U+001B" in str(bad.errors["tags"])


def test_a_field_added_by_a_forms_init_is_cleaned_too():
    class Sample(portal_forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["late"] = forms.CharField()

    form = Sample(data={"late": "one\x0btwo"})
    assert form.is_valid() and form.cleaned_data["late"] == "one\ntwo"
    form = Sample(data={"late": "one\x02two"})
    assert not form.is_valid() and "U+0002" in form.errors["late"][0]


def test_a_nul_is_still_refused_by_a_form():
    form = type("Sample", (portal_forms.Form,), {"text": forms.CharField()})(data={"text": "a\x00"})
    assert not form.is_valid() and "text" in form.errors


# --- what is stored ---------------------------------------------------------------------


def _migration_names(app):
    module = importlib.import_module(f"{app}.migrations")
    return [m.name for m in pkgutil.iter_modules(module.__path__) if "clean_control" in m.name]


def _migration(app):
    (name,) = _migration_names(app)
    return importlib.import_module(f"{app}.migrations.{name}")


@pytest.mark.parametrize("app", APPS)
def test_each_app_has_a_migration_cleaning_its_stored_text(app):
    assert len(_migration_names(app)) == 1


def test_the_migration_cleans_stored_text_and_leaves_the_rest(programme, states):
    from activities.models import Activity

    dirty = ActivityFactory(work_programme=programme, lead_member_state=states["FR"])
    clean = ActivityFactory(work_programme=programme, lead_member_state=states["FR"])
    Activity.objects.filter(pk=dirty.pk).update(
        title="Airports\x0bGroup", description="a\x07b\r\nc", expected_results="x\x0cy\tz"
    )
    Activity.objects.filter(pk=clean.pk).update(description="kept\r\nas is")
    before = Activity.objects.get(pk=clean.pk).updated_at

    _migration("activities").clean_control_characters(apps, None)

    dirty.refresh_from_db()
    assert (dirty.title, dirty.description, dirty.expected_results) == (
        "Airports\nGroup",
        "ab\nc",
        "x\ny\tz",
    )
    clean.refresh_from_db()
    assert clean.description == "kept\r\nas is" and clean.updated_at == before


def test_the_migration_of_each_app_finds_its_rows(programme, states, pc_fr, secretariat):
    from evaluation.models import ProgressReport
    from evaluation.services import progress_report_file
    from proposals.models import Proposal
    from tests.proposals.factories import draft

    proposal = draft(pc_fr, programme, title="Prisons")
    Proposal.objects.filter(pk=proposal.pk).update(title="Pri\x0bsons", scope="\x1fscope")
    type(programme).objects.filter(pk=programme.pk).update(introduction="intro\x0c")
    activity = ActivityFactory(work_programme=programme, lead_member_state=states["FR"])
    report = progress_report_file(
        activity=activity,
        actor=secretariat,
        period=f"{activity.start_date.year}-H1",
        status="on_track",
        percent_complete=10,
        narrative="Going well.",
    )
    ProgressReport.objects.filter(pk=report.pk).update(narrative="Going\x0cwell\x02.")

    for app in ("proposals", "programme", "evaluation"):
        _migration(app).clean_control_characters(apps, None)

    proposal.refresh_from_db()
    programme.refresh_from_db()
    report.refresh_from_db()
    assert (proposal.title, proposal.scope, programme.introduction, report.narrative) == (
        "Pri\nsons",
        "scope",
        "intro\n",
        "Going\nwell.",
    )
