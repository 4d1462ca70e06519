"""Numbers, dates and ordinals in English and French."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from pompidou.lib.l10n import number, ordinal
from programme.models import Meeting

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "12,345.50"), ("fr", f"12{NNBSP}345,50")],
)
def test_numbers_group_thousands_and_mark_decimals_as_the_language_does(language, expected):
    with translation.override(language):
        assert number(Decimal("12345.5"), 2) == expected


def test_french_pages_write_a_decimal_comma_and_money_with_narrow_spaces():
    template = Template('{{ score|floatformat:1 }} · {{ money|floatformat:"0g" }} EUR · {{ mean }}')
    context = Context({"score": Decimal("3"), "money": Decimal("12345"), "mean": Decimal("3.25")})
    with translation.override("fr"):
        assert template.render(context) == f"3,0 · 12{NNBSP}345 EUR · 3,25"
    with translation.override("en"):
        assert template.render(context) == "3.0 · 12,345 EUR · 3.25"


def test_dates_follow_each_languages_convention():
    day = dt.date(2014, 11, 20)
    with translation.override("fr"):
        assert formats.date_format(day) == "20 novembre 2014"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "20/11/2014"
        assert formats.date_format(dt.date(2015, 2, 1)) == "1 février 2015"
    with translation.override("en"):
        assert formats.date_format(day) == "20 November 2014"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "20/11/2014"


def test_a_french_date_typed_day_first_is_read_day_first():
    from django import forms

    with translation.override("fr"):
        field = forms.DateField()
        assert field.clean("20/11/2014") == dt.date(2014, 11, 20)


@pytest.mark.parametrize(
    ("value", "english", "french", "french_feminine"),
    [
        (1, "1st", "1er", "1re"),
        (2, "2nd", "2e", "2e"),
        (3, "3rd", "3e", "3e"),
        (4, "4th", "4e", "4e"),
        (11, "11th", "11e", "11e"),
        (12, "12th", "12e", "12e"),
        (13, "13th", "13e", "13e"),
        (16, "16th", "16e", "16e"),
        (21, "21st", "21e", "21e"),
        (22, "22nd", "22e", "22e"),
        (77, "77th", "77e", "77e"),
        (101, "101st", "101e", "101e"),
        (111, "111th", "111e", "111e"),
    ],
)
def test_ordinals_in_english_and_french(value, english, french, french_feminine):
    assert ordinal(value, language="en") == english
    assert ordinal(value, language="fr") == french
    assert ordinal(value, language="fr", feminine=True) == french_feminine
    with translation.override("fr"):
        assert ordinal(value) == french


def test_humanize_is_wrong_for_french_ordinals_above_twenty():
    """Why the portal has its own: Django's humanize writes "21er", in HTML."""
    from django.contrib.humanize.templatetags.humanize import ordinal as humanize_ordinal

    with translation.override("fr"):
        assert humanize_ordinal(21) != ordinal(21)


def test_a_meeting_is_named_with_its_ordinal_in_the_readers_language():
    plenary = Meeting(kind="pc_plenary", number=77, date=dt.date(2014, 11, 20), place="Strasbourg")
    with translation.override("en"):
        assert str(plenary) == "77th Permanent Correspondents' plenary, Strasbourg, 20/11/2014"
        conference = Meeting(kind="ministerial", number=16, date=dt.date(2014, 12, 10))
        assert conference.title == "16th Ministerial Conference"
        assert Meeting(kind="bureau", number=1, date=dt.date(2015, 1, 5)).title == (
            "1st Bureau meeting"
        )
    with translation.override("fr"):
        # The ordinal is French whether or not the catalogue has the sentence yet.
        assert str(plenary).startswith("77e ")
        assert str(plenary).endswith(", Strasbourg, 20/11/2014")
        assert Meeting(kind="bureau", number=1, date=dt.date(2015, 1, 5)).title.startswith("1re ")
