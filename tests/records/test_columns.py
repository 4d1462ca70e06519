import datetime as dt
from decimal import Decimal

import pytest

from records.columns import CellError, parse_bool, parse_date, parse_decimal, parse_list


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1234.5", Decimal("1234.5")),
        ("1234,5", Decimal("1234.5")),
        ("1 234,50", Decimal("1234.50")),
        ("1\u00a0234,50 €", Decimal("1234.50")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        (1500, Decimal("1500")),
        (12.25, Decimal("12.25")),
        ("", None),
    ],
)
def test_amounts_as_people_type_them(raw, value):
    assert parse_decimal(raw) == value


@pytest.mark.parametrize("raw", ["abc", "12,5,3", "1.2.3", True])
def test_not_a_number(raw):
    with pytest.raises(CellError):
        parse_decimal(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "2016-03-31",
        "31/03/2016",
        "31.03.2016",
        dt.date(2016, 3, 31),
        dt.datetime(2016, 3, 31, 0, 0),
    ],
)
def test_dates_iso_or_day_first(raw):
    assert parse_date(raw) == dt.date(2016, 3, 31)


@pytest.mark.parametrize("raw", ["03/31/2016", "31 March", "2016-02-30"])
def test_not_a_date(raw):
    with pytest.raises(CellError):
        parse_date(raw)


def test_lists_and_yes_no():
    assert parse_list("3.1; 3.4,3.2") == ["3.1", "3.4", "3.2"]
    assert parse_bool("oui") is True and parse_bool("") is False
    with pytest.raises(CellError):
        parse_bool("maybe")
