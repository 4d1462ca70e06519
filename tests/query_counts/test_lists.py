"""Every list page and list endpoint answers in an exact number of queries, the same
with 3 rows of everything as with 12: a query per row (an N+1) makes the two differ, a
query added or removed changes the number (tests/query_counts/table.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pompidou.listing import lists_changed
from tests.conftest import client_for
from tests.query_counts.table import LISTS, QUERIES, Listing
from tests.query_counts.world import grow, world_for

SMALL, LARGE = 3, 12

CASES = [(listing, persona) for listing in LISTS for persona in listing.personas]


def _measure(client, address: str) -> tuple[list[str], str, int]:
    """The queries of one request (after one to warm what is cached per process), the
    body it answered, and how many queries the same request makes right after a write
    (the figures cached until then computed afresh: pompidou.listing)."""
    assert client.get(address).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    lists_changed()
    with CaptureQueriesContext(connection) as fresh:
        assert client.get(address).status_code == 200
    return (
        [query["sql"] for query in queries.captured_queries],
        response.content.decode(),
        len(fresh.captured_queries),
    )


@pytest.mark.parametrize(
    ("listing", "persona"), CASES, ids=[f"{listing.name}-{persona}" for listing, persona in CASES]
)
def test_list_answers_in_the_same_exact_number_of_queries_at_two_sizes(
    listing: Listing, persona, programme, states, personas
):
    world = world_for(programme, states, personas)
    client = client_for(personas[persona])
    grow(world, SMALL)
    small, small_body, small_fresh = _measure(client, listing.address(world))
    grow(world, LARGE - SMALL)
    large, large_body, large_fresh = _measure(client, listing.address(world))

    if listing.shows:
        assert large_body.count(listing.shows) > small_body.count(listing.shows), (
            f"{listing.name} does not show the rows it is measured with"
        )
    assert small_fresh == large_fresh, f"after a write: {small_fresh} then {large_fresh} queries"
    added = "\n".join(sql for sql in large if sql not in small)
    assert len(large) == len(small), f"{len(small)} then {len(large)} queries; new:\n{added}"
    expected = QUERIES.get((listing.name, persona))
    assert len(large) == expected, (
        f"QUERIES[{(listing.name, persona)!r}] = {len(large)} (was {expected}):\n"
        + "\n".join(large)
    )
