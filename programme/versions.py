"""Versions of a work programme and their comparison, section by section.

``snapshot(wp)`` is the whole programme as JSON-safe data, every translated text in
every language (each modeltranslation column); ``record(wp, by)`` stores it as the
next version with the sections that changed since the last one; ``compare(a, b)``
lays two snapshots side by side, section by section, the changes marked (difflib,
every text escaped). Plain JSON snapshots rather than django-reversion: a version
here is the programme *with* its priorities, formats and criteria, and comparing
two of them needs one document, not a revision of each row to reassemble.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .authoring_models import ProgrammeVersion
from .models import WorkProgramme

LANGUAGES = [code for code, _name in settings.LANGUAGES]

PROGRAMME_TEXTS = (
    "title",
    "theme",
    "conference_theme",
    "introduction",
    "aims_introduction",
    "aims_closing",
    "structure",
    "evaluation",
)
THRESHOLDS = ("min_criterion_mean", "min_total_numerator", "min_total_denominator")
PRIORITY_TEXTS = ("title", "rationale")
FORMAT_TEXTS = ("name", "short_name", "beneficiaries", "expected_results_intro")
FORMAT_LISTS = ("aims", "objectives", "expected_results")
CRITERION_TEXTS = ("title", "guidance")
AIM_TEXTS = ("title", "text")


def _texts(obj: Any, names: tuple[str, ...]) -> dict[str, str]:
    return {f"{n}_{lang}": getattr(obj, f"{n}_{lang}") or "" for n in names for lang in LANGUAGES}


def _lines(items) -> list[dict[str, str]]:
    return [_texts(item, ("text",)) for item in items]


def number_key(number: str) -> tuple:
    """ "3.10" after "3.9": numbers compare by their parts."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\s]", str(number)) if p)


def snapshot(wp: WorkProgramme) -> dict[str, Any]:
    """The whole programme as data (a fresh read, whatever ``wp`` holds prefetched)."""
    wp = WorkProgramme.objects.get(pk=wp.pk)
    priorities = sorted(wp.priorities.prefetch_related("aims"), key=lambda p: number_key(p.number))
    formats = sorted(wp.formats.prefetch_related(*FORMAT_LISTS), key=lambda f: number_key(f.number))
    return {
        "reference": wp.reference,
        "first_year": wp.first_year,
        "last_year": wp.last_year,
        "texts": _texts(wp, PROGRAMME_TEXTS),
        "thresholds": {name: str(getattr(wp, name)) for name in THRESHOLDS},
        "aims": [{"key": a.key, **_texts(a, AIM_TEXTS)} for a in wp.aims.order_by("position")],
        "priorities": [
            {
                "number": p.number,
                "transversal": p.transversal,
                **_texts(p, PRIORITY_TEXTS),
                "aims": _lines(p.aims.all()),
            }
            for p in priorities
        ],
        "formats": [
            {
                "number": f.number,
                "kind": f.kind,
                "first_year": f.first_year,
                "last_year": f.last_year,
                **_texts(f, FORMAT_TEXTS),
                **{name: _lines(getattr(f, name).all()) for name in FORMAT_LISTS},
            }
            for f in formats
        ],
        "criteria": [
            {
                "number": c.number,
                "weight": f"{c.weight.normalize():f}",
                "computed": c.computed,
                **_texts(c, CRITERION_TEXTS),
            }
            for c in wp.criteria.order_by("number")
        ],
    }


# --- sections --------------------------------------------------------------------


def _lang(lang: str) -> str:
    return lang.upper()


def _text_lines(label: str, data: dict[str, Any], name: str) -> list[str]:
    return [f"{label} ({_lang(lang)}): {data.get(f'{name}_{lang}', '')}" for lang in LANGUAGES]


def _list_lines(label: str, items: list[dict[str, str]]) -> list[str]:
    return [
        f"{label} {i} ({_lang(lang)}): {item.get(f'text_{lang}', '')}"
        for i, item in enumerate(items, start=1)
        for lang in LANGUAGES
    ]


SECTION_LABELS = {
    "introduction": gettext_lazy("Title and texts"),
    "aims": gettext_lazy("Aims"),
    "criteria": gettext_lazy("Adoption criteria"),
    "thresholds": gettext_lazy("Scoring thresholds"),
}


def section_label(key: str) -> str:
    kind, _sep, number = key.partition(":")
    if kind == "priority":
        return _("Thematic priority %(number)s") % {"number": number}
    if kind == "format":
        return _("Activity format %(number)s") % {"number": number}
    return str(SECTION_LABELS.get(key, key))


def sections(snap: dict[str, Any]) -> dict[str, list[str]]:
    """The snapshot as the compare page reads it: section key -> lines of text, in
    the document's order (introduction, aims, each priority, each format, criteria,
    thresholds)."""
    out: dict[str, list[str]] = {}
    texts = snap["texts"]
    intro = [_("Reference: %(r)s") % {"r": snap["reference"]}]
    intro.append(_("Years: %(a)s–%(b)s") % {"a": snap["first_year"], "b": snap["last_year"]})
    for name in PROGRAMME_TEXTS:
        if name not in ("aims_introduction", "aims_closing"):
            intro += _text_lines(_field_label(WorkProgramme, name), texts, name)
    out["introduction"] = intro
    aims = _text_lines(_("Introduction"), texts, "aims_introduction")
    for aim in snap["aims"]:
        aims += _text_lines(aim.get("title_en") or aim["key"], aim, "text")
    out["aims"] = aims + _text_lines(_("After the aims"), texts, "aims_closing")
    for p in snap["priorities"]:
        lines = _text_lines(_("Title"), p, "title") + _text_lines(_("Rationale"), p, "rationale")
        lines.append(_("Transversal: %(v)s") % {"v": _("yes") if p["transversal"] else _("no")})
        out[f"priority:{p['number']}"] = lines + _list_lines(_("Aim"), p["aims"])
    for f in snap["formats"]:
        lines = _text_lines(_("Name"), f, "name") + _text_lines(_("Short name"), f, "short_name")
        lines.append(_("Kind: %(v)s") % {"v": f["kind"]})
        years = f"{f['first_year'] or ''}–{f['last_year'] or ''}"
        lines.append(_("Years: %(v)s") % {"v": years})
        lines += _text_lines(_("Beneficiaries"), f, "beneficiaries")
        lines += _list_lines(_("Aim"), f["aims"]) + _list_lines(_("Objective"), f["objectives"])
        lines += _text_lines(_("Expected results"), f, "expected_results_intro")
        lines += _list_lines(_("Expected result"), f["expected_results"])
        out[f"format:{f['number']}"] = lines
    criteria = []
    for c in snap["criteria"]:
        criteria.append(
            _("Criterion %(n)s, weight %(w)s%(computed)s")
            % {
                "n": c["number"],
                "w": c["weight"],
                "computed": _(" (computed from supports)") if c["computed"] else "",
            }
        )
        criteria += _text_lines(_("Title"), c, "title") + _text_lines(_("Guidance"), c, "guidance")
    out["criteria"] = criteria
    t = snap["thresholds"]
    out["thresholds"] = [
        _("Minimum mean per criterion: %(v)s") % {"v": t["min_criterion_mean"]},
        _("Weighted total at least %(n)s/%(d)s of the maximum")
        % {"n": t["min_total_numerator"], "d": t["min_total_denominator"]},
    ]
    return out


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def section_titles(snap: dict[str, Any]) -> dict[str, str]:
    """The title of each priority's and format's section, in the active language (the
    English where the other is missing)."""
    lang = get_language() or LANGUAGES[0]

    def title(entry: dict[str, Any], name: str) -> str:
        return entry.get(f"{name}_{lang}") or entry.get(f"{name}_{LANGUAGES[0]}") or ""

    return {
        **{f"priority:{p['number']}": title(p, "title") for p in snap["priorities"]},
        **{f"format:{f['number']}": title(f, "name") for f in snap["formats"]},
    }


def changed_sections(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    if before is None:
        return []
    a, b = sections(before), sections(after)
    return [key for key in {**a, **b} if a.get(key) != b.get(key)]


def record(wp: WorkProgramme, by: Any, *, copied_from: str = "") -> ProgrammeVersion | None:
    """Store the programme as its next version, if anything changed since the last
    (a save that changes nothing makes no version). Call inside the service's
    transaction, with the programme's row locked."""
    snap = snapshot(wp)
    last = ProgrammeVersion.objects.filter(work_programme=wp).order_by("-number").first()
    if last is not None and last.snapshot == snap:
        return None
    return ProgrammeVersion.objects.create(
        work_programme=wp,
        number=(last.number + 1) if last else 1,
        author=by if getattr(by, "is_authenticated", False) else None,
        changed=changed_sections(last.snapshot if last else None, snap),
        copied_from=copied_from,
        snapshot=snap,
    )


# --- comparison ------------------------------------------------------------------


# Two lines sharing less than this share of their words are shown as rewritten.
REWRITTEN = 0.3


@dataclass
class Row:
    left: SafeString
    right: SafeString
    tag: str  # equal, replace, delete, insert


@dataclass
class SectionDiff:
    key: str
    label: str
    rows: list[Row]

    @property
    def changed(self) -> bool:
        return any(r.tag != "equal" for r in self.rows)


def _words(a: str, b: str) -> tuple[SafeString, SafeString]:
    """Two lines with the words that differ marked (<del> left, <ins> right), escaped."""
    label_a, sep_a, rest_a = a.partition(": ")
    label_b, sep_b, rest_b = b.partition(": ")
    prefix = ""
    if sep_a and sep_b and label_a == label_b:  # "Title (EN): " stays unmarked
        prefix, a, b = escape(label_a + sep_a), rest_a, rest_b
    wa, wb = re.split(r"(\s+)", a), re.split(r"(\s+)", b)
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    if matcher.ratio() < REWRITTEN:  # rewritten: word-by-word marks would be noise
        old, new = escape(a), escape(b)
        return (
            mark_safe(f"{prefix}<del>{old}</del>"),  # noqa: S308 (escaped)
            mark_safe(f"{prefix}<ins>{new}</ins>"),  # noqa: S308
        )
    left: list[str] = [prefix]
    right: list[str] = [prefix]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = escape("".join(wa[i1:i2])), escape("".join(wb[j1:j2]))
        if tag == "equal":
            left.append(old)
            right.append(new)
            continue
        if old:
            left.append(f"<del>{old}</del>")
        if new:
            right.append(f"<ins>{new}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 (escaped above)


def _diff_lines(a: list[str], b: list[str]) -> list[Row]:
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [Row(escape(x), escape(x), "equal") for x in a[i1:i2]]
        elif tag == "replace":
            old, new = a[i1:i2], b[j1:j2]
            for k in range(max(len(old), len(new))):
                x, y = (old[k] if k < len(old) else ""), (new[k] if k < len(new) else "")
                if x and y:
                    left, right = _words(x, y)
                    rows.append(Row(left, right, "replace"))
                elif x:
                    rows.append(Row(mark_safe(f"<del>{escape(x)}</del>"), escape(""), "delete"))  # noqa: S308
                else:
                    rows.append(Row(escape(""), mark_safe(f"<ins>{escape(y)}</ins>"), "insert"))  # noqa: S308
        elif tag == "delete":
            rows += [
                Row(mark_safe(f"<del>{escape(x)}</del>"), escape(""), "delete")  # noqa: S308
                for x in a[i1:i2]
            ]
        else:
            rows += [
                Row(escape(""), mark_safe(f"<ins>{escape(y)}</ins>"), "insert")  # noqa: S308
                for y in b[j1:j2]
            ]
    return rows


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[SectionDiff]:
    """Every section of either snapshot, in the document's order, side by side."""
    a, b = sections(before), sections(after)
    keys = list(dict.fromkeys([*b, *a]))
    order = {"introduction": 0, "aims": 1, "priority": 2, "format": 3, "criteria": 4}
    keys.sort(key=lambda k: (order.get(k.partition(":")[0], 5), number_key(k.partition(":")[2])))
    return [SectionDiff(k, section_label(k), _diff_lines(a.get(k, []), b.get(k, []))) for k in keys]
