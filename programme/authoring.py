"""Authoring a work programme: drafting it (a copy of another, or from scratch),
editing its texts in both languages and its scoring thresholds, opening the
consultation and taking it back to draft. Every saved change is a version
(``programme.versions``) and one event in the history.

The entries of the programme (aims, priorities, formats, criteria) are edited by
``programme.authoring_entries``; comments of the consultation by
``programme.authoring_comments``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from pompidou import audit
from pompidou.errors import DomainError
from pompidou.rules import require
from pompidou.tombstones import touch

from . import permissions, versions
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
from .workflow import PROGRAMME_WORKFLOW

# A programme's years: a sensible range, and a period of at most this many years.
FIRST_POSSIBLE_YEAR, LAST_POSSIBLE_YEAR, LONGEST_PERIOD = 1971, 2100, 10
# What a copy does not take from its source: the adoption belongs to the source.
NOT_COPIED = (
    "id",
    "reference",
    "first_year",
    "last_year",
    "status",
    "adopted_by",
    "conference_number",
    "adopted_place",
    "conference_start",
    "adopted_on",
    "adopting_meeting",
    "created_at",
    "updated_at",
)


def locked_for_authoring(wp: WorkProgramme, by: Any) -> WorkProgramme:
    """The programme's row, locked for the change, once ``by`` may author it now."""
    require(permissions.can_author_programme(by, wp))
    locked = WorkProgramme.objects.select_for_update().get(pk=wp.pk)
    require(permissions.can_author_programme(by, locked))
    # Its record in the API nests its aims, priorities, formats and criteria: it moves
    # with any of them, so a syncing client fetches it again (pompidou/sync.py).
    touch(WorkProgramme, [locked.pk])
    return locked


def saved(wp: WorkProgramme, by: Any, changes: dict[str, Any] | None = None, **kw: Any):
    """After a change: its event in the history and the programme's next version."""
    version = versions.record(wp, by, **kw)
    if version is not None:
        audit.record(
            wp,
            audit.Kind.UPDATED,
            by,
            changes={**(changes or {}), "version": [None, version.number]},
        )
    return version


def _check_new(
    *, reference: str, title_en: str, first_year: Any, last_year: Any, exclude: int | None = None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    others = WorkProgramme.objects.exclude(pk=exclude) if exclude else WorkProgramme.objects.all()
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = [_("Give the programme's reference, e.g. P-PG/MinConf (2018) 3.")]
    elif others.filter(reference__iexact=reference).exists():
        errors["reference"] = [
            _("Another work programme has the reference %(r)s.") % {"r": reference}
        ]
    if not (title_en or "").strip():
        errors["title_en"] = [_("Give the programme's title in English.")]
    years_ok = True
    for name, value in (("first_year", first_year), ("last_year", last_year)):
        if not isinstance(value, int) or not FIRST_POSSIBLE_YEAR <= value <= LAST_POSSIBLE_YEAR:
            errors[name] = [
                _("Give a year between %(a)s and %(b)s.")
                % {"a": FIRST_POSSIBLE_YEAR, "b": LAST_POSSIBLE_YEAR}
            ]
            years_ok = False
    if years_ok:
        if last_year < first_year:
            errors["last_year"] = [_("The last year comes after the first year.")]
        elif last_year - first_year >= LONGEST_PERIOD:
            errors["last_year"] = [
                _("A work programme runs for at most %(n)s years.") % {"n": LONGEST_PERIOD}
            ]
        else:
            overlap = others.filter(first_year__lte=last_year, last_year__gte=first_year).first()
            if overlap is not None:
                errors["first_year"] = [
                    _("The years %(a)s–%(b)s overlap those of %(other)s (%(c)s–%(d)s).")
                    % {
                        "a": first_year,
                        "b": last_year,
                        "other": overlap.title,
                        "c": overlap.first_year,
                        "d": overlap.last_year,
                    }
                ]
    return errors


def _values(obj: models.Model, *, skip: tuple[str, ...]) -> dict[str, Any]:
    """Every column of ``obj`` (each language's text included) but ``skip`` and its
    foreign keys to a parent, by attribute name."""
    translated = set(translator.get_options_for_model(type(obj)).all_fields)
    # Each language's column of a skipped text is skipped too; the translated field's
    # own column (read through the active language) is not copied, its columns are.
    skipped = {*skip, *(f"{n}_{lang}" for n in skip for lang in versions.LANGUAGES)}
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in skipped and f.attname not in skipped and f.name not in translated
    }


def _copy_children(source: WorkProgramme, wp: WorkProgramme) -> None:
    ProgrammeAim.objects.bulk_create(
        ProgrammeAim(work_programme=wp, **_values(a, skip=("id", "work_programme")))
        for a in source.aims.all()
    )
    for p in source.priorities.prefetch_related("aims"):
        new = ThematicPriority.objects.create(
            work_programme=wp, **_values(p, skip=("id", "work_programme"))
        )
        PriorityAim.objects.bulk_create(
            PriorityAim(priority=new, **_values(a, skip=("id", "priority"))) for a in p.aims.all()
        )
    lists: tuple[tuple[type[models.Model], str], ...] = (
        (FormatAim, "aims"),
        (FormatObjective, "objectives"),
        (FormatExpectedResult, "expected_results"),
    )
    for f in source.formats.prefetch_related("aims", "objectives", "expected_results"):
        new_format = PermanentFormat.objects.create(
            work_programme=wp, **_values(f, skip=("id", "work_programme"))
        )
        for model, relation in lists:
            model._default_manager.bulk_create(
                model(format=new_format, **_values(item, skip=("id", "format")))
                for item in getattr(f, relation).all()
            )
    AdoptionCriterion.objects.bulk_create(
        AdoptionCriterion(work_programme=wp, **_values(c, skip=("id", "work_programme")))
        for c in source.criteria.all()
    )


@transaction.atomic
def programme_copy(
    source: WorkProgramme | None,
    *,
    reference: str,
    title_en: str,
    title_fr: str = "",
    first_year: int,
    last_year: int,
    by: Any,
) -> WorkProgramme:
    """Draft the next programme: a deep copy of ``source`` (its texts in every
    language, aims, priorities and their aims, formats and their lists, criteria,
    thresholds), or an empty programme when ``source`` is None. Its version 1."""
    require(permissions.can_author_programme(by))
    errors = _check_new(
        reference=reference, title_en=title_en, first_year=first_year, last_year=last_year
    )
    if errors:
        raise DomainError(errors)
    values = _values(source, skip=NOT_COPIED) if source is not None else {}
    values.update(
        reference=reference.strip(),
        title_en=title_en.strip(),
        title_fr=(title_fr or "").strip(),
        first_year=first_year,
        last_year=last_year,
        status=WorkProgramme.Status.DRAFT,
    )
    try:
        with transaction.atomic():
            wp = WorkProgramme.objects.create(**values)
    except IntegrityError:  # the same reference saved by someone else meanwhile
        raise DomainError(
            _("Another work programme has the reference %(r)s.") % {"r": values["reference"]},
            field="reference",
        ) from None
    if source is not None:
        _copy_children(source, wp)
    version = versions.record(wp, by, copied_from=source.reference if source else "")
    audit.record(
        wp,
        audit.Kind.CREATED,
        by,
        changes={"copied_from": [None, source.reference if source else None], "version": [None, 1]},
        comment=_("Copied from %(r)s") % {"r": source.reference} if source else "",
    )
    assert version is not None
    return wp


@transaction.atomic
def programme_update_texts(wp: WorkProgramme, *, data: dict[str, Any], by: Any) -> WorkProgramme:
    """The programme's reference, years and texts (``<field>_<language>`` keys of
    ``versions.PROGRAMME_TEXTS``)."""
    wp = locked_for_authoring(wp, by)
    errors = _check_new(
        reference=data.get("reference", wp.reference),
        title_en=data.get("title_en", getattr(wp, "title_en", "")) or "",
        first_year=data.get("first_year", wp.first_year),
        last_year=data.get("last_year", wp.last_year),
        exclude=wp.pk,
    )
    if errors:
        raise DomainError(errors)
    allowed = {"reference", "first_year", "last_year"} | {
        f"{name}_{lang}" for name in versions.PROGRAMME_TEXTS for lang in versions.LANGUAGES
    }
    unknown = set(data) - allowed
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    before = {name: getattr(wp, name) for name in data}
    for name, value in data.items():
        setattr(wp, name, value.strip() if isinstance(value, str) else value)
    wp.save()
    saved(wp, by, audit.diff(before, {name: getattr(wp, name) for name in data}))
    return wp


def _decimal(value: Any, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Give a number."), field=field) from None


@transaction.atomic
def programme_update_thresholds(
    wp: WorkProgramme,
    *,
    min_criterion_mean: Any,
    min_total_numerator: Any,
    min_total_denominator: Any,
    by: Any,
) -> WorkProgramme:
    """The scoring thresholds: the least mean per criterion (0–5) and the share of
    the maximum the weighted total must reach (a fraction, at most 1)."""
    wp = locked_for_authoring(wp, by)
    mean = _decimal(min_criterion_mean, "min_criterion_mean")
    errors: dict[str, list[str]] = {}
    if not Decimal(0) <= mean <= Decimal(5) or mean != mean.quantize(Decimal("0.1")):
        errors["min_criterion_mean"] = [_("Give a mean between 0 and 5, to one decimal.")]
    try:
        num, den = int(min_total_numerator), int(min_total_denominator)
    except (TypeError, ValueError):
        raise DomainError(_("Give whole numbers."), field="min_total_numerator") from None
    if den <= 0:
        errors["min_total_denominator"] = [_("The denominator is a whole number above 0.")]
    elif not 0 <= num <= den:
        errors["min_total_numerator"] = [
            _("The numerator is between 0 and the denominator (at most the whole maximum).")
        ]
    if errors:
        raise DomainError(errors)
    before = {name: getattr(wp, name) for name in versions.THRESHOLDS}
    wp.min_criterion_mean, wp.min_total_numerator, wp.min_total_denominator = mean, num, den
    wp.save(update_fields=[*versions.THRESHOLDS, "updated_at"])
    saved(wp, by, audit.diff(before, {name: getattr(wp, name) for name in before}))
    return wp


@transaction.atomic
def programme_move(wp: WorkProgramme, *, move: str, by: Any, comment: str = "") -> WorkProgramme:
    """Open the consultation ("consult") or take the programme back to draft
    ("rework"): the moves of the authoring pages (adoption is another page's)."""
    if move not in ("consult", "rework"):
        raise DomainError(_("Open the consultation or take the programme back to draft."))
    wp = WorkProgramme.objects.select_for_update().get(pk=wp.pk)
    target = PROGRAMME_WORKFLOW.named(move).target
    return PROGRAMME_WORKFLOW.move(wp, target, by, comment=comment)
