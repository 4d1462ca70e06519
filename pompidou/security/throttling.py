"""API throttles counted in the shared cache, per client address (``ip.client_ip``)."""

from typing import Any

from rest_framework import throttling

from .ip import client_ip

# The anonymous throttle's window, in this many slices (see CountedHistoryMixin).
SLICES = 60


class ClientAddressMixin:
    def get_ident(self, request: Any) -> str:
        return client_ip(request) or "unknown"


class CountedHistoryMixin:
    """DRF's throttle (at most ``num_requests`` in any ``duration``), whose history
    is a count of requests per slice of the window (a 60th of it: a minute of an
    hour) instead of one timestamp per request: DRF reads and writes back the whole
    list at every request, so its cost grows with the rate (a client at 600 an hour,
    600 floats; a bench at 10,000 requests, 10,000). A request is counted until the
    end of its slice has left the window: up to a slice longer than DRF counts it,
    never shorter (the limit is never exceeded)."""

    cache: Any
    timer: Any
    rate: str | None
    num_requests: int
    duration: int
    get_cache_key: Any

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        width = self.duration / SLICES
        # [(slice's start, requests)], oldest first; anything else (DRF's floats) is
        # an older release's history, not counted.
        kept = self.cache.get(self.key, [])
        self.history = [
            (start, n)
            for start, n in (s for s in kept if isinstance(s, tuple))
            if start + width > self.now - self.duration
        ]
        if sum(n for _start, n in self.history) >= self.num_requests:
            return False
        start = self.now - self.now % width
        if self.history and self.history[-1][0] == start:
            self.history[-1] = (start, self.history[-1][1] + 1)
        else:
            self.history.append((start, 1))
        self.cache.set(self.key, self.history, self.duration)
        return True

    def wait(self) -> float | None:
        """As DRF's: the time until the oldest counted requests leave the window (the
        end of their slice), spread over the requests that will then be free."""
        if self.history:
            oldest = self.history[0][0] + self.duration / SLICES
            remaining = self.duration - (self.now - oldest)
        else:
            remaining = self.duration
        available = self.num_requests - sum(n for _start, n in self.history) + 1
        if available <= 0:
            return None
        return remaining / float(available)


class AnonRateThrottle(ClientAddressMixin, CountedHistoryMixin, throttling.AnonRateThrottle):
    """Anonymous requests: ``API_ANON_RATE`` per address."""


class LoginRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    """The token endpoint: 20 attempts a minute per address, on top of the lockout
    (which counts failures only)."""

    scope = "login"
    rate = "20/minute"
