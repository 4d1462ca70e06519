"""The anonymous API throttle: DRF's limit (at most N requests in any window), its
history a count per slice of the window, so its cost does not grow with the rate."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory

from pompidou.security import throttling
from pompidou.security.throttling import SLICES, AnonRateThrottle


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _throttle(rate: str, clock: Clock) -> AnonRateThrottle:
    throttle = AnonRateThrottle()
    throttle.rate = rate
    throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    throttle.timer = clock  # type: ignore[method-assign]
    return throttle


@pytest.fixture
def request_from():
    request = RequestFactory().get("/api/v1/activities/", REMOTE_ADDR="10.0.0.7")
    request.user = AnonymousUser()
    return request


def test_the_limit_holds_over_any_window_and_frees_once_the_slice_has_left_it(request_from):
    clock = Clock(1_000_000.0)  # the start of a one-second slice of a minute
    asks = [_throttle("3/minute", clock) for _ in range(5)]
    assert [t.allow_request(request_from, None) for t in asks[:3]] == [True, True, True]
    clock.now += 30
    assert asks[3].allow_request(request_from, None) is False
    # As DRF: the oldest requests leave the window 30 s from now (their slice's end,
    # a second after they were made), one request free then.
    assert asks[3].wait() == pytest.approx(31.0)
    clock.now += 30.5  # the first slice's requests are still inside (till +61 s)
    assert asks[4].allow_request(request_from, None) is False
    clock.now += 0.5
    assert _throttle("3/minute", clock).allow_request(request_from, None) is True


def test_the_history_is_a_count_per_slice_whatever_the_number_of_requests(request_from):
    clock = Clock(2_000_000.0)
    for _ in range(1000):
        assert _throttle("100000/day", clock).allow_request(request_from, None)
        clock.now += 0.01  # ten seconds in all: within one slice of a day (24 min)
    key = AnonRateThrottle().get_cache_key(request_from, None)
    assert cache.get(key) == [(2_000_000.0 - 2_000_000.0 % (86400 / SLICES), 1000)]


def test_a_history_written_by_drfs_throttle_is_not_counted(request_from):
    clock = Clock(3_000_000.0)
    key = AnonRateThrottle().get_cache_key(request_from, None)
    cache.set(key, [clock.now - 1, clock.now - 2], 60)  # DRF's own: one float a request
    assert _throttle("1/minute", clock).allow_request(request_from, None) is True
    assert _throttle("1/minute", clock).allow_request(request_from, None) is False


def test_the_api_answers_429_with_retry_after_past_the_rate(db, monkeypatch):
    from rest_framework.test import APIClient

    monkeypatch.setattr(throttling.AnonRateThrottle, "rate", "2/hour", raising=False)
    client = APIClient()
    statuses = [client.get("/api/v1/member-states/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    retry = int(client.get("/api/v1/member-states/")["Retry-After"])
    assert 3540 <= retry <= 3660
