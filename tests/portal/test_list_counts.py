"""A list's count is written as each language writes numbers: "12,345 activities",
"12 345 activités" (a narrow no-break space between thousands, as the French
formats say), however large the list."""

from unittest import mock

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("language", "activities", "proposals"),
    [
        ("en", "12,345 activities", "12,345 proposals"),
        ("fr", f"12{NNBSP}345 activités", f"12{NNBSP}345 propositions"),
    ],
)
def test_large_counts_are_grouped_in_each_language(
    client, secretariat, programme, language, activities, proposals
):
    with mock.patch("pompidou.listing.cached_count", return_value=12345):
        page = client.get(f"/{language}/activities/").content.decode()
        mine = client_for(secretariat).get(f"/{language}/proposals/").content.decode()
    assert activities in page
    assert proposals in mine


def test_a_small_count_keeps_its_plural_form(client, programme):
    with mock.patch("pompidou.listing.cached_count", return_value=1):
        assert "1 activité<" in client.get("/fr/activities/").content.decode()
