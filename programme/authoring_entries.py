"""The entries of a work programme being authored: its aims, thematic priorities
(with their aims), activity formats (with aims, objectives and expected results)
and adoption criteria. Added, changed, moved up or down, removed: each a service
in one transaction, then a version of the programme (``authoring.saved``).

An entry's numbered lists are given as lines, one list per language; the French
list is left empty (the pages read the English) or has one line per English line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompidou import audit
from pompidou.errors import DomainError
from pompidou.tombstones import touch

from .authoring import locked_for_authoring, saved
from .models import (
    AdoptionCriterion,
    FormatAim,
    FormatExpectedResult,
    FormatObjective,
    PermanentFormat,
    PriorityAim,
    ProgrammeAim,
    ThematicPriority,
    WorkProgramme,
)
from .versions import LANGUAGES, number_key

NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2}){0,2}$")
MAX_WEIGHT = Decimal("99.99")


@dataclass(frozen=True)
class EntryKind:
    model: type[models.Model]
    order: str  # the field that orders and numbers the entries
    texts: tuple[str, ...]  # translated: <name>_<lang>
    required: str  # the text that must be given in English
    plain: tuple[str, ...] = ()
    lists: tuple[tuple[str, type[models.Model], str], ...] = ()  # relation, model, FK
    noun: Any = ""


KINDS: dict[str, EntryKind] = {
    "aim": EntryKind(
        ProgrammeAim,
        "position",
        ("title", "text"),
        "title",
        plain=("key",),
        noun=gettext_lazy("aim"),
    ),
    "priority": EntryKind(
        ThematicPriority,
        "number",
        ("title", "rationale"),
        "title",
        plain=("transversal",),
        lists=(("aims", PriorityAim, "priority"),),
        noun=gettext_lazy("thematic priority"),
    ),
    "format": EntryKind(
        PermanentFormat,
        "number",
        ("name", "short_name", "beneficiaries", "expected_results_intro"),
        "name",
        plain=("kind", "first_year", "last_year"),
        lists=(
            ("aims", FormatAim, "format"),
            ("objectives", FormatObjective, "format"),
            ("expected_results", FormatExpectedResult, "format"),
        ),
        noun=gettext_lazy("activity format"),
    ),
    "criterion": EntryKind(
        AdoptionCriterion,
        "number",
        ("title", "guidance"),
        "title",
        plain=("weight", "computed"),
        noun=gettext_lazy("adoption criterion"),
    ),
}


def kind_of(name: str) -> EntryKind:
    try:
        return KINDS[name]
    except KeyError:
        raise DomainError(_("Unknown kind of entry %(k)r.") % {"k": name}) from None


def entries(wp: WorkProgramme, kind: str) -> list[Any]:
    """The entries of one kind in their order (numbers compare by their parts)."""
    spec = kind_of(kind)
    rows = list(spec.model._default_manager.filter(work_programme=wp))
    return sorted(rows, key=lambda e: _order(spec, getattr(e, spec.order)))


def _order(spec: EntryKind, value: Any) -> tuple:
    return number_key(value) if isinstance(value, str) else (value,)


def _max_length(model: type[models.Model], name: str) -> int | None:
    return getattr(model._meta.get_field(f"{name}_{LANGUAGES[0]}"), "max_length", None)


def _check_texts(spec: EntryKind, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    for name in spec.texts:
        limit = _max_length(spec.model, name)
        for lang in LANGUAGES:
            value = (data.get(f"{name}_{lang}") or "").strip()
            data[f"{name}_{lang}"] = value
            if limit and len(value) > limit:
                errors[f"{name}_{lang}"] = [
                    _("At most %(n)s characters (this has %(m)s).") % {"n": limit, "m": len(value)}
                ]
    if not data[f"{spec.required}_{LANGUAGES[0]}"]:
        errors[f"{spec.required}_{LANGUAGES[0]}"] = [_("Give the English text.")]


def _check_lists(spec: EntryKind, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    english, *others = LANGUAGES
    for relation, _model, _fk in spec.lists:
        lines = {
            lang: [line.strip() for line in data.get(f"{relation}_{lang}") or [] if line.strip()]
            for lang in LANGUAGES
        }
        for lang in others:
            if lines[lang] and len(lines[lang]) != len(lines[english]):
                errors[f"{relation}_{lang}"] = [
                    _(
                        "Give one line per English line (%(n)s), in the same order, "
                        "or none (the English is read)."
                    )
                    % {"n": len(lines[english])}
                ]
        for lang in LANGUAGES:
            data[f"{relation}_{lang}"] = lines[lang]


def _check_number(spec: EntryKind, wp, entry, data, errors) -> None:
    if spec.order == "position":
        return
    others = spec.model._default_manager.filter(work_programme=wp)
    if entry is not None:
        others = others.exclude(pk=entry.pk)
    value = data.get(spec.order)
    if isinstance(spec.model._meta.get_field(spec.order), models.CharField):
        value = str(value or "").strip()
        if not NUMBER.match(value):
            errors[spec.order] = [_("Give a number like 3.2.")]
            return
    else:
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[spec.order] = [_("Give a whole number.")]
            return
        if not 1 <= value <= 99:
            errors[spec.order] = [_("Give a whole number between 1 and 99.")]
            return
    data[spec.order] = value
    if others.filter(**{spec.order: value}).exists():
        errors[spec.order] = [
            _("Another %(noun)s of this programme has the number %(n)s.")
            % {"noun": spec.noun, "n": value}
        ]


def _check_weight(data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    try:
        weight = Decimal(str(data.get("weight")))
    except (InvalidOperation, ValueError):
        errors["weight"] = [_("Give the weight as a number, e.g. 1 or 1.5.")]
        return
    if not weight.is_finite() or not Decimal(0) < weight <= MAX_WEIGHT:
        errors["weight"] = [_("The weight is above 0 and at most %(m)s.") % {"m": MAX_WEIGHT}]
    elif weight != weight.quantize(Decimal("0.01")):
        errors["weight"] = [_("The weight has at most two decimals.")]
    else:
        data["weight"] = weight


def _check_format(wp: WorkProgramme, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if data.get("kind") not in PermanentFormat.Kind.values:
        errors["kind"] = [_("Choose a permanent format or a time-limited project.")]
    first, last = data.get("first_year"), data.get("last_year")
    for name, year in (("first_year", first), ("last_year", last)):
        if year is not None and not wp.first_year <= year <= wp.last_year:
            errors[name] = [
                _("Within the programme's years, %(a)s–%(b)s.")
                % {"a": wp.first_year, "b": wp.last_year}
            ]
    if first is not None and last is not None and last < first and "last_year" not in errors:
        errors["last_year"] = [_("The last year comes after the first year.")]


CHECKS: dict[str, Callable[[WorkProgramme, dict[str, Any], dict[str, list[str]]], None]] = {
    "criterion": lambda wp, data, errors: _check_weight(data, errors),
    "format": _check_format,
}


def _write_lists(spec: EntryKind, entry: Any, data: dict[str, Any]) -> None:
    english = LANGUAGES[0]
    for relation, model, fk in spec.lists:
        getattr(entry, relation).all().delete()
        model._default_manager.bulk_create(
            model(
                **{fk: entry},
                position=i,
                **{
                    f"text_{lang}": (data[f"{relation}_{lang}"][i - 1 : i] or [""])[0]
                    for lang in LANGUAGES
                },
            )
            for i in range(1, len(data[f"{relation}_{english}"]) + 1)
        )


def _next_order(spec: EntryKind, wp: WorkProgramme) -> Any:
    current = entries(wp, _name(spec))
    if spec.order == "position":
        return (max((e.position for e in current), default=0)) + 1
    return data_default_number(spec, current)


def _name(spec: EntryKind) -> str:
    return next(name for name, s in KINDS.items() if s is spec)


def data_default_number(spec: EntryKind, current: list[Any]) -> Any:
    """The number a new entry takes when none is given: after the last (3.5 after 3.4)."""
    if not current:
        return {"priority": "3.1", "format": "4.1", "criterion": 1}.get(_name(spec))
    last = getattr(current[-1], spec.order)
    if isinstance(last, int):
        return last + 1
    head, _sep, tail = last.rpartition(".")
    return f"{head}.{int(tail) + 1}" if head and tail.isdigit() else ""


@transaction.atomic
def entry_save(
    wp: WorkProgramme, kind: str, *, data: dict[str, Any], by: Any, entry: Any = None
) -> Any:
    """Add an entry (``entry`` None) or change one: its number, texts in every
    language, other fields and numbered lists, all checked at once."""
    spec = kind_of(kind)
    wp = locked_for_authoring(wp, by)
    if entry is not None and entry.work_programme_id != wp.pk:
        raise DomainError(_("This entry belongs to another work programme."))
    data = dict(data)
    for name in spec.plain:  # left out: as it was, or the model's default
        if name not in data:
            field = spec.model._meta.get_field(name)
            data[name] = getattr(entry, name) if entry else field.get_default()  # type: ignore[union-attr]
    errors: dict[str, list[str]] = {}
    if spec.order != "position" and data.get(spec.order) in (None, ""):
        data[spec.order] = (
            getattr(entry, spec.order) if entry else data_default_number(spec, entries(wp, kind))
        )
    _check_number(spec, wp, entry, data, errors)
    _check_texts(spec, data, errors)
    _check_lists(spec, data, errors)
    CHECKS.get(kind, lambda *a: None)(wp, data, errors)
    if kind == "aim":
        data["key"] = slugify(data.get("key") or data.get("title_en") or "")[:40]
        if not data["key"]:
            errors.setdefault("title_en", [_("Give the English text.")])
    if errors:
        raise DomainError(errors)
    fields = {f"{n}_{lang}" for n in spec.texts for lang in LANGUAGES} | set(spec.plain)
    if spec.order != "position":
        fields.add(spec.order)
    created = entry is None
    if created:
        entry = spec.model(work_programme=wp)
        if spec.order == "position":
            entry.position = _next_order(spec, wp)
    before = {name: getattr(entry, name) for name in fields} if not created else {}
    for name in fields:
        setattr(entry, name, data.get(name))
    entry.save()
    _write_lists(spec, entry, data)
    label = str(entry)[:80]
    saved(wp, by, {kind: [None if created else audit.jsonable(before.get("number")), label]})
    return entry


@transaction.atomic
def entry_move(wp: WorkProgramme, kind: str, *, entry: Any, offset: int, by: Any) -> Any:
    """Move an entry one place up (``offset=-1``) or down (``+1``): it swaps its
    number (or position) with its neighbour's, so numbers stay unique."""
    spec = kind_of(kind)
    wp = locked_for_authoring(wp, by)
    current = entries(wp, kind)
    index = next((i for i, e in enumerate(current) if e.pk == entry.pk), None)
    if index is None:
        raise DomainError(_("This entry is no longer in the programme."))
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(current):
        raise DomainError(_("The entry is already at that end of the list."))
    a, b = current[index], current[target]
    va, vb = getattr(a, spec.order), getattr(b, spec.order)
    parking = "~" if isinstance(va, str) else 32767  # free while the two swap
    manager = spec.model._default_manager
    manager.filter(pk=a.pk).update(**{spec.order: parking})
    manager.filter(pk=b.pk).update(**{spec.order: va})
    manager.filter(pk=a.pk).update(**{spec.order: vb})
    if any(f.name == "updated_at" for f in spec.model._meta.concrete_fields):
        touch(spec.model, [a.pk, b.pk])  # their numbers changed
    saved(wp, by, {kind: [audit.jsonable(va), audit.jsonable(vb)]})
    return manager.get(pk=a.pk)


@transaction.atomic
def entry_remove(wp: WorkProgramme, kind: str, *, entry: Any, by: Any) -> str:
    """Take an entry out of the programme, unless activities or proposals cite it;
    returns what it was called."""
    kind_of(kind)
    wp = locked_for_authoring(wp, by)
    label = str(entry)[:80]
    try:
        with transaction.atomic():
            entry.delete()
    except ProtectedError as exc:
        raise DomainError(
            _("%(entry)s is cited by %(n)s records (activities, proposals, scores); it stays.")
            % {"entry": label, "n": len(exc.protected_objects)}
        ) from None
    saved(wp, by, {kind: [label, None]})
    return label
