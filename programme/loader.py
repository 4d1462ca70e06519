"""Loaders of the reference data kept in ``programme/data/``: the work programme
(YAML written from the adopted document) and the member states (CSV).

Both are idempotent (a second run changes nothing) and all-or-nothing: a
malformed file raises ``LoaderError`` naming the file and the entry, and the
database is left as it was.

The work programme's texts come in English and French: each translated key has
its French beside it under the same name with ``_fr`` (``title_fr`` beside
``title``, an ``aims_fr`` list beside ``aims``). They are written to the
``<field>_en`` and ``<field>_fr`` columns by name, whatever language is active.
A French value may be left out: its column stays empty and the pages read the
English one (``MODELTRANSLATION_FALLBACK_LANGUAGES``). What is refused is French
that does not match the English: a list with another number of entries, a
French text without its English one, a ``_fr`` key on a field that is not
translated.
"""

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

import yaml
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import translation

from pompidou.lib.countries import UnknownCountryCode, country_names

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

DATA_DIR = Path(__file__).resolve().parent / "data"
WORK_PROGRAMME_2015_2018 = DATA_DIR / "work_programme_2015_2018.yaml"
MEMBER_STATES = DATA_DIR / "member_states.csv"


class LoaderError(Exception):
    pass


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


class _Entry:
    """Reads one mapping of the file, naming file and entry in every error."""

    def __init__(self, path: Path, where: str, data: Any):
        if not isinstance(data, dict):
            raise LoaderError(f"{path}: {where}: expected a mapping, found {type(data).__name__}.")
        self.path, self.where, self.data = path, where, data

    def fail(self, message: str) -> NoReturn:
        raise LoaderError(f"{self.path}: {self.where}: {message}")

    def text(self, key: str, required: bool = True, max_length: int | None = None) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"'{key}' is required.")
            return ""
        if not isinstance(value, str):
            self.fail(f"'{key}' must be text, found {value!r}.")
        if max_length and len(value) > max_length:
            self.fail(f"'{key}' is longer than {max_length} characters.")
        return value

    def integer(self, key: str, required: bool = True) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(f"'{key}' is required.")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"'{key}' must be a whole number, found {value!r}.")
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"'{key}' must be true or false, found {value!r}.")
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dt.date):
            self.fail(f"'{key}' must be a date (YYYY-MM-DD), found {value!r}.")
        return value

    def choice(self, key: str, choices) -> str:
        value = self.text(key)
        if value not in choices.values:
            self.fail(f"'{key}' must be one of {', '.join(choices.values)}, found {value!r}.")
        return value

    def check_french(self, translated: set[str]) -> None:
        """Every ``<key>_fr`` of the entry sits beside an English ``<key>`` that is translated."""
        for name, value in self.data.items():
            if not (isinstance(name, str) and name.endswith(FRENCH_SUFFIX)):
                continue
            key = name.removesuffix(FRENCH_SUFFIX)
            if key not in translated:
                self.fail(f"'{name}': '{key}' is not a translated text.")
            if _blank(self.data.get(key)) and not _blank(value):
                self.fail(f"'{name}' has no English '{key}' beside it.")

    def translated(self, key: str, required: bool = True, max_length: int | None = None) -> dict:
        """The English and French of a text, as the values of its two columns. A French
        text left out is stored empty (None): the English one is shown in its place."""
        english = self.text(key, required=required, max_length=max_length)
        french = self.text(key + FRENCH_SUFFIX, required=False, max_length=max_length)
        return {f"{key}_en": english, f"{key}_fr": french or None}

    def translated_texts(self, key: str, required: bool = False) -> list[tuple[str, str | None]]:
        """A list of texts with its French: as many French entries as English ones, or none."""
        english = self.texts(key, required=required)
        french_key = key + FRENCH_SUFFIX
        if french_key not in self.data or self.data[french_key] is None:
            return [(text, None) for text in english]
        french = self.texts(french_key)
        if len(french) != len(english):
            self.fail(
                f"'{french_key}' has {len(french)} entries where '{key}' has "
                f"{len(english)}: each English entry needs its French one, in the same order."
            )
        return list(zip(english, french, strict=True))

    def texts(self, key: str, required: bool = False) -> list[str]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(f"'{key}' must be a list of texts.")
        if required and not value:
            self.fail(f"'{key}' must list at least one entry.")
        return value

    def entries(self, key: str, label: str) -> list["_Entry"]:
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            self.fail(f"'{key}' must be a non-empty list.")
        result: list[_Entry] = []
        for index, item in enumerate(value, start=1):
            name = item.get(label) if isinstance(item, dict) else None
            where = f"{key}[{index}]" + (f" ({name})" if name is not None else "")
            result.append(_Entry(self.path, where, item))
        return result


FRENCH_SUFFIX = "_fr"


def _blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _upsert(report: LoadReport, model, lookup: dict, values: dict):
    """update_or_create that only writes when a value differs (so a re-run changes nothing)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        report.created += 1
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.updated += 1
    return obj


def _sync_texts(
    report: LoadReport, model, parent_field: str, parent, texts: list[tuple[str, str | None]]
):
    for position, (english, french) in enumerate(texts, start=1):
        _upsert(
            report,
            model,
            {parent_field: parent, "position": position},
            {"text_en": english, "text_fr": french},
        )
    deleted, _ = model.objects.filter(**{parent_field: parent, "position__gt": len(texts)}).delete()
    report.deleted += deleted


def _read_yaml(path: Path) -> _Entry:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise LoaderError(f"{path}: the file does not exist.") from exc
    except yaml.YAMLError as exc:
        raise LoaderError(f"{path}: not valid YAML: {exc}") from exc
    return _Entry(path, "top level", data)


WORK_PROGRAMME_TEXTS = (
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
FORMAT_TEXTS = (
    "name",
    "short_name",
    "beneficiaries",
    "expected_results_intro",
    "aims",
    "objectives",
    "expected_results",
)


@transaction.atomic
def load_work_programme(path: Path = WORK_PROGRAMME_2015_2018) -> LoadReport:
    """Create or bring up to date the work programme described in ``path``."""
    path = Path(path)
    doc = _read_yaml(path)
    report = LoadReport()
    first_year, last_year = doc.integer("first_year"), doc.integer("last_year")
    assert first_year is not None and last_year is not None  # required: integer() fails otherwise
    if last_year < first_year:
        doc.fail("'last_year' is before 'first_year'.")
    status = doc.choice("status", WorkProgramme.Status) if "status" in doc.data else "draft"
    reference = doc.text("reference", max_length=40)
    if status == WorkProgramme.Status.IN_FORCE:
        other = WorkProgramme.objects.in_force().exclude(reference=reference).first()
        if other:
            doc.fail(f"cannot put it in force: {other.reference} is in force; close it first.")
    wp = _upsert(
        report,
        WorkProgramme,
        {"reference": reference},
        {
            **doc.translated("title", max_length=200),
            **doc.translated("theme", required=False, max_length=300),
            **doc.translated("conference_theme", required=False, max_length=300),
            "first_year": first_year,
            "last_year": last_year,
            "status": status,
            **doc.translated("adopted_by", required=False, max_length=200),
            "conference_number": doc.integer("conference_number", required=False),
            "adopted_place": doc.text("adopted_place", required=False, max_length=100),
            "conference_start": doc.date("adopted_start"),
            "adopted_on": doc.date("adopted_end") or doc.date("adopted_start"),
            **doc.translated("introduction", required=False),
            **doc.translated("aims_introduction", required=False),
            **doc.translated("aims_closing", required=False),
            **doc.translated("structure", required=False),
            **doc.translated("evaluation", required=False),
        },
    )

    # After the reads: a missing English text is reported as missing, not as its French's.
    doc.check_french(set(WORK_PROGRAMME_TEXTS))

    aims = doc.entries("aims", "key")
    for position, aim in enumerate(aims, start=1):
        _upsert(
            report,
            ProgrammeAim,
            {"work_programme": wp, "position": position},
            {
                "key": aim.text("key", max_length=40),
                **aim.translated("title", max_length=100),
                **aim.translated("text"),
            },
        )
        aim.check_french({"title", "text"})
    report.deleted += ProgrammeAim.objects.filter(
        work_programme=wp, position__gt=len(aims)
    ).delete()[0]

    priorities = doc.entries("thematic_priorities", "number")
    for entry in priorities:
        priority = _upsert(
            report,
            ThematicPriority,
            {"work_programme": wp, "number": entry.text("number", max_length=10)},
            {
                **entry.translated("title", max_length=300),
                **entry.translated("rationale", required=False),
                "transversal": entry.boolean("transversal"),
            },
        )
        _sync_texts(
            report, PriorityAim, "priority", priority, entry.translated_texts("aims", required=True)
        )
        entry.check_french({"title", "rationale", "aims"})
    _delete_missing(
        report,
        ThematicPriority.objects.filter(work_programme=wp),
        [e.data["number"] for e in priorities],
    )

    formats = doc.entries("permanent_formats", "number")
    for entry in formats:
        kind = entry.choice("kind", PermanentFormat.Kind)
        first, last = entry.integer("first_year", False), entry.integer("last_year", False)
        if first and last and last < first:
            entry.fail("'last_year' is before 'first_year'.")
        fmt = _upsert(
            report,
            PermanentFormat,
            {"work_programme": wp, "number": entry.text("number", max_length=10)},
            {
                **entry.translated("name", max_length=300),
                **entry.translated("short_name", required=False, max_length=300),
                "kind": kind,
                "first_year": first,
                "last_year": last,
                **entry.translated("beneficiaries", required=False),
                **entry.translated("expected_results_intro", required=False),
            },
        )
        _sync_texts(report, FormatAim, "format", fmt, entry.translated_texts("aims", required=True))
        _sync_texts(report, FormatObjective, "format", fmt, entry.translated_texts("objectives"))
        _sync_texts(
            report,
            FormatExpectedResult,
            "format",
            fmt,
            entry.translated_texts("expected_results", required=True),
        )
        entry.check_french(set(FORMAT_TEXTS))
    _delete_missing(
        report,
        PermanentFormat.objects.filter(work_programme=wp),
        [e.data["number"] for e in formats],
    )

    criteria = doc.entries("criteria", "number")
    for entry in criteria:
        weight = entry.data.get("weight", 1)
        try:
            weight = Decimal(str(weight))
        except InvalidOperation:
            entry.fail(f"'weight' must be a number, found {weight!r}.")
        if weight <= 0:
            entry.fail("'weight' must be above 0.")
        _upsert(
            report,
            AdoptionCriterion,
            {"work_programme": wp, "number": entry.integer("number")},
            {
                **entry.translated("title", max_length=300),
                **entry.translated("guidance", required=False),
                "weight": weight,
                "computed": entry.boolean("computed"),
            },
        )
        entry.check_french({"title", "guidance"})
    _delete_missing(
        report,
        AdoptionCriterion.objects.filter(work_programme=wp),
        [e.data["number"] for e in criteria],
    )

    report.counts = {
        "aims": wp.aims.count(),
        "thematic_priorities": wp.priorities.count(),
        "permanent_formats": wp.formats.count(),
        "criteria": wp.criteria.count(),
    }
    return report


def _delete_missing(report: LoadReport, queryset: models.QuerySet, numbers: list) -> None:
    if len(set(map(str, numbers))) != len(numbers):
        raise LoaderError(f"duplicate numbers in the file: {numbers}")
    report.deleted += queryset.exclude(number__in=numbers).delete()[0]


MEMBER_STATE_COLUMNS = ("iso2", "status", "joined", "left", "source_note")


@transaction.atomic
def load_member_states(path: Path = MEMBER_STATES) -> LoadReport:
    """Create or bring up to date the member states and partners listed in ``path``.

    The file gives each state's ISO 3166-1 code, status, years and a note; the names,
    in English and French, come from ISO 3166 through django-countries
    (``pompidou/lib/countries.py``), so the file holds no name to go stale."""
    path = Path(path)
    report = LoadReport()
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            columns = tuple(reader.fieldnames or ())
    except FileNotFoundError as exc:
        raise LoaderError(f"{path}: the file does not exist.") from exc
    if set(columns) != set(MEMBER_STATE_COLUMNS):
        raise LoaderError(
            f"{path}: the columns must be {', '.join(MEMBER_STATE_COLUMNS)}; found "
            f"{', '.join(columns) or 'none'}. The names come from ISO 3166 (django-countries), "
            "not from the file."
        )
    seen: set[str] = set()
    # In the default language: modeltranslation writes the plain ``name`` column
    # (unique) from the active language's value, and compares ``name`` in it.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        for line, row in enumerate(rows, start=2):
            where = f"{path}: line {line} ({row.get('iso2') or '?'})"
            values = _member_state_row(where, row, seen)
            code = values.pop("code")
            try:
                with transaction.atomic():
                    _upsert(report, MemberState, {"code": code}, values)
            except IntegrityError as exc:
                raise LoaderError(f"{where}: {exc}") from exc
    report.counts = {"member_states": MemberState.objects.count()}
    return report


def _member_state_row(where: str, row: dict, seen: set[str]) -> dict:
    code = (row.get("iso2") or "").strip().upper()
    status = (row.get("status") or "").strip()
    if len(code) != 2 or not code.isalpha():
        raise LoaderError(f"{where}: 'iso2' must be a two-letter ISO 3166-1 code.")
    if code in seen:
        raise LoaderError(f"{where}: {code} is listed twice.")
    seen.add(code)
    try:
        names = country_names(code)
    except UnknownCountryCode as exc:
        raise LoaderError(f"{where}: {exc}") from exc
    valid_status = MemberState.Status.values
    if status not in valid_status:
        raise LoaderError(f"{where}: 'status' must be one of {', '.join(valid_status)}.")
    years = {}
    for key in ("joined", "left"):
        raw = (row.get(key) or "").strip()
        if raw and not raw.isdigit():
            raise LoaderError(f"{where}: '{key}' must be a year or empty.")
        years[key] = int(raw) if raw else None
    return {
        "code": code,
        # ``name`` is the default language's column, kept by modeltranslation.
        "name": names[settings.MODELTRANSLATION_DEFAULT_LANGUAGE],
        **{f"name_{language}": name for language, name in names.items()},
        "status": status,
        "joined_year": years["joined"],
        "left_year": years["left"],
        "note": (row.get("source_note") or "").strip()[:255],
    }
