"""What the activities and the proposals kinds share: the columns that mean the same
in both, and finding a work programme, its priorities and its formats by the numbers
a row names (from the lists read once per import)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompidou.models import Sequence
from programme.models import PermanentFormat, ThematicPriority, WorkProgramme

from ..columns import Column, fold, parse_date, parse_decimal, parse_list, text
from .base import Errors, choice_parser


class References:
    """A kind's references (PG-2016-014, PR-2016-0003): each row's is checked, and the
    highest number imported per year kept. Past references take their numbers: at the
    end the portal's sequence goes on after them, so the next record made in the
    portal gets a new one."""

    def __init__(self, prefix: str, sequence: str, example: str) -> None:
        self.pattern = re.compile(rf"^{prefix}-(\d{{4}})-(\d{{1,6}})$")
        self.sequence = sequence
        self.example = example
        self.numbers: dict[int, int] = {}

    def check(self, reference: str, errors: Errors) -> tuple[int, int] | None:
        match = self.pattern.match(reference)
        if match is None:
            errors["reference"] = [
                _("%(ref)s is not a reference like %(example)s.")
                % {"ref": reference, "example": self.example}
            ]
            return None
        return int(match.group(1)), int(match.group(2))

    def taken(self, numbered: tuple[int, int] | None) -> None:
        assert numbered is not None  # checked before the row was written
        year, number = numbered
        self.numbers[year] = max(self.numbers.get(year, 0), number)

    def continue_sequence(self) -> None:
        for year, number in self.numbers.items():
            Sequence.objects.get_or_create(key=self.sequence, year=year)
            Sequence.objects.filter(key=self.sequence, year=year, last_number__lt=number).update(
                last_number=number
            )


def upper(value: Any) -> str:
    return text(value).upper()


def reference_column(help: str | Promise) -> Column:
    return Column("reference", "Reference", "Référence", help, required=True, parse=upper)


def programme_column(help: str | Promise) -> Column:
    return Column("work_programme", "Work programme", "Programme de travail", help)


def format_column(help: str | Promise) -> Column:
    return Column("permanent_format", "Format", "Format", help)


def states_column(key: str, en: str, fr: str) -> Column:
    help = gettext_lazy("ISO codes separated by ';', e.g. DE; ES.")
    return Column(key, en, fr, help, parse=parse_list)


def choice_column(key: str, en: str, fr: str, help: str | Promise, choices: Any) -> Column:
    """A column of one of ``choices`` (a TextChoices), with the template's drop-down."""
    return Column(key, en, fr, help, parse=choice_parser(choices), choices=tuple(choices.values))


def amount_column(key: str, en: str, fr: str) -> Column:
    help = gettext_lazy("A number; decimal point or comma.")
    return Column(key, en, fr, help, parse=parse_decimal)


THEMATIC_PRIORITIES = Column(
    "thematic_priorities",
    "Thematic priorities",
    "Priorités thématiques",
    gettext_lazy("Their numbers, separated by ';', e.g. 3.1; 3.4."),
    required=True,
    parse=parse_list,
)


def dates(required: bool) -> tuple[Column, Column]:
    """The start and end columns."""
    start = gettext_lazy("2016-03-31 or 31/03/2016.")
    end = gettext_lazy("Not before the start.")
    return (
        Column("start_date", "Start", "Début", start, required=required, parse=parse_date),
        Column("end_date", "End", "Fin", end, required=required, parse=parse_date),
    )


def programme_named(
    programmes: list[WorkProgramme], wanted: str, errors: Errors
) -> WorkProgramme | None:
    for wp in programmes:
        if fold(wp.reference) == fold(wanted):
            return wp
    errors.setdefault("work_programme", []).append(
        _("No work programme has the reference %(ref)s.") % {"ref": wanted}
    )
    return None


def priorities_in(wp: WorkProgramme, numbers: list[str], errors: Errors) -> list[ThematicPriority]:
    priorities = {p.number: p for p in wp.priorities.all()}
    chosen = []
    for number in numbers:
        if number in priorities:
            chosen.append(priorities[number])
        else:
            errors.setdefault("thematic_priorities", []).append(
                _("Priority %(n)s is not in the programme %(wp)s.")
                % {"n": number, "wp": wp.reference}
            )
    return chosen


def format_in(wp: WorkProgramme, value: Any, errors: Errors) -> PermanentFormat | None:
    number = text(value)
    if not number:
        return None
    found = {f.number: f for f in wp.formats.all()}.get(number)
    if found is None:
        errors.setdefault("permanent_format", []).append(
            _("Format %(n)s is not in the programme %(wp)s.") % {"n": number, "wp": wp.reference}
        )
    return found
