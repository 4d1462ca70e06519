"""What an API list answer skips when it can, without changing the answer: the
FilterSet when no filter is asked, the newest change's query while nothing was
written, one cache entry per row of a page asked again, a model instance per key
read, a Redis client per cache call (issue 17: the list's throughput)."""

import os
import socket

import pytest
from django.core.cache import cache
from django.http import QueryDict

from activities.filters import ActivityFilter
from activities.models import Activity
from pompidou import keyset, listing
from pompidou.filters import names_a_filter
from pompidou.sync import read_clock, version_of
from tests.activities.api_helpers import LIST, make
from tests.conftest import client_as


@pytest.fixture
def filterset_built(monkeypatch):
    built = []
    original = ActivityFilter.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(ActivityFilter, "__init__", counting)
    return built


def test_a_list_naming_no_filter_builds_no_filterset_and_answers_the_same_rows(
    programme, states, filterset_built
):
    for day in (1, 2, 3):
        make(programme, states, adoption_route=Activity.Route.AD_HOC, title=f"Day {day}")
    api = client_as(None)
    plain = api.get(f"{LIST}?page_size=2").json()
    assert filterset_built == []
    # The same list through the FilterSet (a parameter it reads, given empty).
    filtered = api.get(f"{LIST}?page_size=2&status=").json()
    assert filterset_built == [1]
    assert plain["results"] == filtered["results"] and plain["count"] == filtered["count"]
    assert plain["next"] and plain["next"].replace("&status=", "") == filtered["next"].replace(
        "&status=", ""
    )


def test_unfiltered_is_what_the_filterset_does_given_no_parameter(db):
    queryset = Activity.objects.filter(is_public=True)
    through_the_form = ActivityFilter(QueryDict(""), queryset=queryset).qs
    assert str(ActivityFilter.unfiltered(queryset).query) == str(through_the_form.query)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ("page_size=100&cursor=abc&page=2&updated_since=x&format=json", False),
        ("status=ongoing", True),
        ("year_min=2020", True),  # a range's half still goes through the FilterSet
        ("ordering=title", True),
        ("search=", True),
    ],
)
def test_a_parameter_counts_as_a_filter_when_it_begins_with_a_filters_name(params, named):
    assert names_a_filter(ActivityFilter, QueryDict(params)) is named


def test_the_list_version_is_read_from_the_cache_until_a_write(
    programme, states, rf, django_assert_num_queries
):
    activity = make(programme, states, adoption_route=Activity.Route.AD_HOC)
    request = rf.get(LIST)
    request.user = type("Anonymous", (), {"is_authenticated": False, "pk": None})()
    queryset = Activity.objects.filter(is_public=True)
    watermark, gone = read_clock(Activity)
    first = version_of(request, queryset, watermark_at=watermark, gone_at=gone)
    with django_assert_num_queries(0):  # the count and the newest change, cached
        assert version_of(request, queryset, watermark_at=watermark, gone_at=gone) == first
    activity.title = "Changed"
    activity.save()
    watermark, gone = read_clock(Activity)
    again = version_of(request, queryset, watermark_at=watermark, gone_at=gone)
    assert again.etag != first.etag and again.rows == first.rows


def test_a_page_asked_again_is_one_cache_entry_read(programme, states, monkeypatch):
    rows = [make(programme, states, adoption_route=Activity.Route.AD_HOC) for _ in range(3)]
    asked = []

    def represent(some):
        asked.append(len(some))
        return [f"row {a.pk}" for a in some]

    first = listing.cached_representations("test", rows, "", represent)
    reads = []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(len(keys)) or real(keys))
    assert listing.cached_representations("test", rows, "", represent) == first
    assert asked == [3] and reads == [2]  # the generation and the page
    # Another page sharing rows reads theirs one by one, then is kept whole too.
    assert listing.cached_representations("test", rows[:2], "", represent) == first[:2]
    assert asked == [3] and reads == [2, 2, 3]


def test_a_page_by_keys_reads_named_tuples_not_model_instances(programme, states):
    activity = make(programme, states, adoption_route=Activity.Route.AD_HOC)
    queryset = Activity.objects.filter(pk=activity.pk).order_by("-start_date", "reference")
    keys = keyset.ordering_of(queryset)
    (row,) = keyset.keys_only(queryset, keys, ("updated_at",))
    assert not isinstance(row, Activity)
    assert (row.pk, row.start_date, row.reference, row.updated_at) == (
        activity.pk,
        activity.start_date,
        activity.reference,
        activity.updated_at,
    )


def test_the_redis_cache_makes_its_client_once():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("CI runs Redis on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    from pompidou.cache import RedisCache

    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/13"
    redis_cache = RedisCache(url, {"KEY_PREFIX": "test-client-once"})
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("k", [1, 2], 30)
    assert redis_cache.get("k") == [1, 2]
    assert redis_cache._cache.get_client() is client
    redis_cache.delete("k")
