"""The client's address, as the trusted proxy saw it.

Behind ``TRUSTED_PROXY_COUNT`` proxies, each appends the address it received the
request from to ``X-Forwarded-For``; the entry the outermost trusted proxy wrote is
the ``TRUSTED_PROXY_COUNT``-th from the right, and whatever stands left of it was
written by the client and is ignored. With no proxy the socket's address is the only
one. DRF's ``NUM_PROXIES`` reads the header the same way (and is set to the same
number), so the throttles and the lockout agree.
"""

import ipaddress
from typing import Any

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: Any) -> str | None:
    """The address of the client of ``request`` (a Django or DRF request)."""
    meta = request.META
    remote = _valid(meta.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return remote
    # Fewer entries than proxies means a proxy was bypassed or misconfigured; the
    # left-most then is still no further left than the proxies could have written.
    return _valid(entries[-min(proxies, len(entries))]) or remote
