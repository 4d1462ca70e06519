"""Half-year reporting periods: "2016-H1" is January–June 2016."""

import datetime as dt
import re

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pompidou.errors import DomainError

PERIOD = re.compile(r"^(\d{4})-H([12])$")


def parse(period: str) -> tuple[int, int]:
    match = PERIOD.match(period or "")
    if not match:
        raise DomainError(_("Give the period as a half-year, e.g. 2016-H1."), field="period")
    return int(match.group(1)), int(match.group(2))


def bounds(period: str) -> tuple[dt.date, dt.date]:
    year, half = parse(period)
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def of(day: dt.date) -> str:
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def of_year(year: int) -> list[str]:
    return [f"{year}-H1", f"{year}-H2"]


def previous(period: str) -> str:
    year, half = parse(period)
    return f"{year}-H1" if half == 2 else f"{year - 1}-H2"


def last_due(today: dt.date, grace_days: int = 30) -> str:
    """The latest period that ended at least ``grace_days`` ago: its reports are due."""
    period = previous(of(today))
    while bounds(period)[1] + dt.timedelta(days=grace_days) > today:
        period = previous(period)
    return period


def day(value: dt.date | dt.datetime) -> str:
    """A date as people read it on the pages and in the e-mails ("15 December 2026")."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "DATE_FORMAT")
