"""pompidou.listing's cache of figures: kept until the next write, whatever the write."""

from django.db import transaction

from pompidou.listing import GENERATION_KEY, cached_aggregate, cached_value, lists_changed
from programme.models import MemberState


def test_a_figure_is_computed_again_after_any_write(states):
    calls = []

    def compute() -> int:
        calls.append(1)
        return MemberState.objects.count()

    first = cached_value("test", "members", compute)
    assert cached_value("test", "members", compute) == first and len(calls) == 1
    MemberState.objects.create(code="ZZ", name="Nowhere")
    assert cached_value("test", "members", compute) == first + 1 and len(calls) == 2


def test_an_aggregate_follows_a_write(states):
    from django.db.models import Count

    before = cached_aggregate(MemberState.objects.all(), n=Count("id"))["n"]
    MemberState.objects.create(code="ZY", name="Elsewhere")
    assert cached_aggregate(MemberState.objects.all(), n=Count("id"))["n"] == before + 1


def test_an_aggregate_over_a_subquery_is_found_again(states, django_assert_num_queries):
    """Its key is the aggregate's SQL, not the expressions' repr (a subquery's names
    its address, new at each request)."""
    from django.db.models import Count, Exists, OuterRef, Q

    def figure():
        led = Exists(MemberState.objects.filter(pk=OuterRef("pk"), code__startswith="F"))
        return cached_aggregate(MemberState.objects.all(), n=Count("id", filter=Q(led)))

    first = figure()
    with django_assert_num_queries(0):
        assert figure() == first
    MemberState.objects.create(code="FX", name="Elsewhere")
    assert figure()["n"] == first["n"] + 1


def test_a_write_in_a_transaction_starts_afresh_again_at_its_commit(
    db, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        lists_changed()
        lists_changed()
        during = cache.get(GENERATION_KEY)
    assert len(callbacks) == 1  # one per transaction, however many writes
    assert cache.get(GENERATION_KEY) == during + 1
