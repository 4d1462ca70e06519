"""N+1 detection is on for every test (tests/n_plus_one.py): a list that loads a
relation once per row fails the test that requests it."""

import pytest
from zeal import NPlusOneError

from activities import selectors
from tests.activities.api_helpers import LIST, grow_activities
from tests.conftest import client_as


def test_a_list_that_loads_a_relation_per_row_fails_the_test(programme, states, monkeypatch):
    grow_activities(programme, states, 3)
    # The list's selector without its select_related and prefetches: the serializer
    # then reads each activity's lead state and priorities with a query of its own.
    monkeypatch.setattr(selectors, "activities_for_api", lambda qs: qs)

    with pytest.raises(NPlusOneError, match="N\\+1 detected on activities.Activity"):
        client_as(None).get(LIST)


def test_the_same_list_through_its_selector_passes(programme, states):
    grow_activities(programme, states, 3)

    assert len(client_as(None).get(LIST).json()["results"]) == 3
